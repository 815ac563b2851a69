import type { LastRun, PipelineRun } from '../local/last-run.ts';
import type { LambdaArchitecture } from '../deploy/function-settings.ts';
import type { Prices } from './prices.ts';

/** Without `--events`: a round million events a month for each pipeline, said in the output. */
export const DEFAULT_EVENTS = 1_000_000;

export interface PipelineCost {
  pipeline: string;
  unit: PipelineRun['unit'];
  /** Events a month: objects for a bucket trigger, stream records for a table trigger. */
  events: number;
  /** Events one invocation took in the last run: 1 for a bucket trigger, the batches' fill for a table trigger. */
  eventsPerInvocation: number;
  invocations: number;
  /** Mean of the last run's durations, each rounded up to the millisecond as Lambda bills it. */
  billedMs: number;
  memorySize: number;
  architecture: LambdaArchitecture;
  gbSeconds: number;
  requestCost: number;
  durationCost: number;
}

export interface CostEstimate {
  pipelines: PipelineCost[];
  /** In the last run but never invoked: no duration to estimate from. */
  notInvoked: string[];
  total: { invocations: number; gbSeconds: number; requestCost: number; durationCost: number };
  /** What the free tier takes off the total, once for the whole account. */
  freeTier: { requests: number; gbSeconds: number; requestCost: number; durationCost: number };
  /** The month's estimate, free tier deducted. */
  cost: number;
}

/** What can differ from the run's record: the events a month, and the function (from `--pipelines`). */
export interface CostAssumptions {
  events(pipeline: string): number;
  lambda?(pipeline: string): { memorySize: number; architecture: LambdaArchitecture } | undefined;
}

function pipelineCost(run: PipelineRun, assumptions: CostAssumptions, prices: Prices): PipelineCost | undefined {
  const durations = run.durationMs;
  if (!durations || run.invocations === 0) return undefined;
  const { memorySize, architecture } = assumptions.lambda?.(run.pipeline) ?? run.lambda;
  const events = assumptions.events(run.pipeline);
  // A table trigger's batches are assumed as full as they were in the run: the duration measured is a batch's.
  const eventsPerInvocation = run.itemsIn > 0 ? run.itemsIn / run.invocations : 1;
  const invocations = Math.ceil(events / eventsPerInvocation);
  const billedMs = durations.billed / run.invocations;
  const gbSeconds = ((invocations * billedMs) / 1000) * (memorySize / 1024);
  return {
    pipeline: run.pipeline,
    unit: run.unit,
    events,
    eventsPerInvocation,
    invocations,
    billedMs,
    memorySize,
    architecture,
    gbSeconds,
    requestCost: (invocations / 1_000_000) * prices.requestsPerMillion,
    durationCost: gbSeconds * prices.gbSecond[architecture],
  };
}

/**
 * The month's Lambda cost of each pipeline, from the durations of the last run: requests, and
 * GB-seconds (billed milliseconds x memory) at the architecture's price. The free tier belongs to
 * the account, so it is taken off once, from the sum; its GB-seconds are valued at the pipelines'
 * own prices in proportion to their GB-seconds, as it covers either architecture.
 */
export function estimateCost(run: LastRun, assumptions: CostAssumptions, prices: Prices): CostEstimate {
  const pipelines: PipelineCost[] = [];
  const notInvoked: string[] = [];
  for (const measured of run.pipelines) {
    const cost = pipelineCost(measured, assumptions, prices);
    if (cost) pipelines.push(cost);
    else notInvoked.push(measured.pipeline);
  }
  const sum = (field: 'invocations' | 'gbSeconds' | 'requestCost' | 'durationCost') => pipelines.reduce((total, cost) => total + cost[field], 0);
  const total = { invocations: sum('invocations'), gbSeconds: sum('gbSeconds'), requestCost: sum('requestCost'), durationCost: sum('durationCost') };
  const freeRequests = Math.min(total.invocations, prices.freeTier.requests);
  const freeGbSeconds = Math.min(total.gbSeconds, prices.freeTier.gbSeconds);
  const freeTier = {
    requests: freeRequests,
    gbSeconds: freeGbSeconds,
    requestCost: (freeRequests / 1_000_000) * prices.requestsPerMillion,
    durationCost: total.gbSeconds > 0 ? total.durationCost * (freeGbSeconds / total.gbSeconds) : 0,
  };
  const cost = total.requestCost + total.durationCost - freeTier.requestCost - freeTier.durationCost;
  return { pipelines, notInvoked, total, freeTier, cost: Math.max(0, cost) };
}
