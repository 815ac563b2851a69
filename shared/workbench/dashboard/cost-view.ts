import { estimateCost } from '../cost/estimate.ts';
import { DEFAULT_PRICES } from '../cost/prices.ts';
import { UsageError } from '../../contract/errors.ts';
import type { LastRun } from '../local/last-run.ts';
import { keepEarlierWork, readLastRun } from '../local/last-run.ts';
import type { CostView } from './api-types.ts';

/** The last recorded run, if there is one this version can read. */
function lastRecorded(dataDir: string): LastRun | undefined {
  try {
    return readLastRun(dataDir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return undefined;
  }
}

/**
 * The estimate `sluice cost` prints, per pipeline, for `events` a month each: from this session's
 * invocations once there are some (a pipeline this session did no work for keeps the last recorded
 * run's measurement), else from the last recorded run, if any.
 */
export function costView(session: LastRun, dataDir: string, events: number): CostView {
  const recorded = lastRecorded(dataDir);
  const fromSession = session.pipelines.some((pipeline) => pipeline.invocations > 0);
  const run = fromSession ? keepEarlierWork(session, recorded) : recorded;
  if (!run) return { measured: undefined, events, region: DEFAULT_PRICES.region, pipelines: [], unpriced: [], notes: [], total: { requestCost: 0, durationCost: 0 }, freeTier: { requestCost: 0, durationCost: 0 }, cost: 0 };
  const estimate = estimateCost(run, { events: () => events }, DEFAULT_PRICES);
  return {
    measured: { command: run.command, finishedAt: run.finishedAt, session: fromSession },
    events,
    region: DEFAULT_PRICES.region,
    pipelines: estimate.pipelines.map(({ measured: _measured, ...row }) => row),
    unpriced: estimate.unpriced,
    notes: estimate.notes,
    total: { requestCost: estimate.total.requestCost, durationCost: estimate.total.durationCost },
    freeTier: { requestCost: estimate.freeTier.requestCost, durationCost: estimate.freeTier.durationCost },
    cost: estimate.cost,
  };
}
