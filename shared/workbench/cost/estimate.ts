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
  /** Events one invocation took when measured: 1 for a bucket trigger, the batches' fill for a table trigger. */
  eventsPerInvocation: number;
  invocations: number;
  /** Mean of the measured durations, each rounded up to the millisecond as Lambda bills it. */
  billedMs: number;
  memorySize: number;
  architecture: LambdaArchitecture;
  gbSeconds: number;
  requestCost: number;
  durationCost: number;
  /** How many invocations the price rests on, and the earlier run they come from when the last one did no work for this pipeline. */
  measured: { invocations: number; from?: { command: 'run' | 'dev'; finishedAt: string } };
}

/** What a pipeline's price leaves out, or why it has none. */
export interface CostNote {
  pipeline: string;
  message: string;
}

export interface CostEstimate {
  pipelines: PipelineCost[];
  /** Pipelines with nothing to price from, each with the reason. */
  unpriced: CostNote[];
  /** What the prices of the others rest on, where it is not simply every invocation of the last run. */
  notes: CostNote[];
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
  const { priced } = run;
  if (!priced) return undefined;
  const { memorySize, architecture } = assumptions.lambda?.(run.pipeline) ?? run.lambda;
  const events = assumptions.events(run.pipeline);
  // A table trigger's batches are assumed as full as they were when measured: the duration is a batch's.
  const eventsPerInvocation = priced.itemsIn > 0 ? priced.itemsIn / priced.invocations : 1;
  const invocations = Math.ceil(events / eventsPerInvocation);
  const billedMs = priced.durationMs.billed / priced.invocations;
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
    measured: { invocations: priced.invocations, ...(priced.from ? { from: priced.from } : {}) },
  };
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** `7 skipped as already processed, 1 quarantined`: the invocations of the last run the price leaves out. */
export function describeLeftOut(run: PipelineRun): string {
  const { skipped, quarantined, removed } = run.leftOut;
  const parts: string[] = [];
  if (skipped) parts.push(`${skipped} skipped as already processed`);
  if (quarantined) parts.push(`${quarantined} quarantined`);
  if (removed) parts.push(`${plural(removed, 'removal')}`);
  return parts.join(', ');
}

/** What `sluice cost` says about a pipeline's price: undefined when it is every invocation of the last run. */
function noteOf(run: PipelineRun, cost: PipelineCost | undefined): CostNote | undefined {
  const leftOut = describeLeftOut(run);
  const work = run.unit === 'objects' ? 'processed an object' : 'handled a stream batch';
  const what = run.invocations ? `its ${plural(run.invocations, 'invocation')} in the last run did no work to price${leftOut ? ` (${leftOut})` : ''}` : 'not invoked in the last run';
  if (!cost) {
    return { pipeline: run.pipeline, message: `${what}, and no earlier run measured one: nothing to estimate from (upload new ${run.unit === 'objects' ? 'objects' : 'changes'} it takes, then run again)` };
  }
  const { from } = cost.measured;
  const priced = `priced from the ${plural(cost.measured.invocations, 'invocation')} that ${work}`;
  if (from) return { pipeline: run.pipeline, message: `${what}: ${priced} in the \`sluice ${from.command}\` that finished at ${from.finishedAt.replace(/\.\d+Z$/, 'Z')}` };
  if (leftOut) return { pipeline: run.pipeline, message: `${priced}; left out: ${leftOut}` };
  return undefined;
}

/**
 * The month's Lambda cost of each pipeline, from the durations of the invocations that did its
 * work (in the last run, or the last one that did): requests, and GB-seconds (billed milliseconds x
 * memory) at the architecture's price. The free tier belongs to the account, so it is taken off
 * once, from the sum; its GB-seconds are valued at the pipelines' own prices in proportion to
 * their GB-seconds, as it covers either architecture.
 */
export function estimateCost(run: LastRun, assumptions: CostAssumptions, prices: Prices): CostEstimate {
  const pipelines: PipelineCost[] = [];
  const unpriced: CostNote[] = [];
  const notes: CostNote[] = [];
  for (const measured of run.pipelines) {
    const cost = pipelineCost(measured, assumptions, prices);
    const note = noteOf(measured, cost);
    if (cost) pipelines.push(cost);
    if (note) (cost ? notes : unpriced).push(note);
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
  return { pipelines, unpriced, notes, total, freeTier, cost: Math.max(0, cost) };
}
