import { estimateCost } from '../cost/estimate.ts';
import { DEFAULT_PRICES } from '../cost/prices.ts';
import { UsageError } from '../../contract/errors.ts';
import type { LastRun } from '../local/last-run.ts';
import { readLastRun } from '../local/last-run.ts';
import type { CostView } from './api-types.ts';

/**
 * The estimate `sluice cost` prints, per pipeline, for `events` a month each: from this session's
 * invocations once there are some, else from the last recorded run, if any.
 */
export function costView(session: LastRun, dataDir: string, events: number): CostView {
  let run: LastRun | undefined = session;
  let fromSession = true;
  if (!session.pipelines.some((pipeline) => pipeline.invocations > 0)) {
    fromSession = false;
    try {
      run = readLastRun(dataDir);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      run = undefined;
    }
  }
  if (!run) return { measured: undefined, events, region: DEFAULT_PRICES.region, pipelines: [], notInvoked: [], total: { requestCost: 0, durationCost: 0 }, freeTier: { requestCost: 0, durationCost: 0 }, cost: 0 };
  const estimate = estimateCost(run, { events: () => events }, DEFAULT_PRICES);
  return {
    measured: { command: run.command, finishedAt: run.finishedAt, session: fromSession },
    events,
    region: DEFAULT_PRICES.region,
    pipelines: estimate.pipelines,
    notInvoked: estimate.notInvoked,
    total: { requestCost: estimate.total.requestCost, durationCost: estimate.total.durationCost },
    freeTier: { requestCost: estimate.freeTier.requestCost, durationCost: estimate.freeTier.durationCost },
    cost: estimate.cost,
  };
}
