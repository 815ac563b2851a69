import { performance } from 'node:perf_hooks';
import { StepError } from '../../contract/errors.ts';
import type { Item, RejectedItem, StepContext, StepSummary } from '../../contract/handler.ts';
import type { CompiledStep } from './compile.ts';

/** A record a step refused, with the step that refused it. */
export interface Rejection {
  item: RejectedItem;
  step: string;
}

/** Takes a rejected record out of the flow; awaited, so a slow quarantine holds the step back rather than piling records up. */
export type RejectionHandler = (rejection: Rejection) => void | Promise<void>;

/** What the runtime does with what steps hand it besides their items. */
export interface StepHandlers {
  onRejected: RejectionHandler;
  /** A step's summary of the source (see `StepContext.report`). */
  onReport?(step: string, summary: StepSummary): void;
}

/**
 * Runs one step and pins any failure on it (failures from earlier steps pass through unchanged),
 * times it, and takes the records it rejects out of the flow.
 */
async function* runStep(step: CompiledStep, items: AsyncIterable<Item>, ctx: StepContext, stepMs: number[], handlers: StepHandlers): AsyncIterable<Item> {
  const stepCtx: StepContext = { ...ctx, report: (summary) => handlers.onReport?.(step.handler, summary) };
  const iterator = step.run(items, stepCtx)[Symbol.asyncIterator]();
  for (;;) {
    const started = performance.now();
    let next: IteratorResult<Item | RejectedItem>;
    try {
      next = await iterator.next();
    } catch (error) {
      throw error instanceof StepError ? error : new StepError(step.handler, step.index, error);
    } finally {
      stepMs[step.index] = (stepMs[step.index] ?? 0) + (performance.now() - started);
    }
    if (next.done) return;
    if (next.value.kind === 'rejected') await handlers.onRejected({ item: next.value, step: step.handler });
    else yield next.value;
  }
}

/** The steps chained in the order written: each pulls from the one before, so items stream through. */
export function runSteps(steps: readonly CompiledStep[], items: AsyncIterable<Item>, ctx: StepContext, stepMs: number[], handlers: StepHandlers): AsyncIterable<Item> {
  let flow = items;
  for (const step of steps) flow = runStep(step, flow, ctx, stepMs, handlers);
  return flow;
}
