import { performance } from 'node:perf_hooks';
import { StepError } from '../errors.ts';
import type { Item, RejectedItem, StepContext } from '../handlers/types.ts';
import type { CompiledStep } from './compile.ts';

/** A record a step refused, with the step that refused it. */
export interface Rejection {
  item: RejectedItem;
  step: string;
}

/**
 * Runs one step and pins any failure on it (failures from earlier steps pass through unchanged),
 * times it, and takes the records it rejects out of the flow.
 */
async function* runStep(step: CompiledStep, items: AsyncIterable<Item>, ctx: StepContext, stepMs: number[], onRejected: (rejection: Rejection) => void): AsyncIterable<Item> {
  const iterator = step.run(items, ctx)[Symbol.asyncIterator]();
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
    if (next.value.kind === 'rejected') onRejected({ item: next.value, step: step.handler });
    else yield next.value;
  }
}

/** The steps chained in the order written: each pulls from the one before, so items stream through. */
export function runSteps(steps: readonly CompiledStep[], items: AsyncIterable<Item>, ctx: StepContext, stepMs: number[], onRejected: (rejection: Rejection) => void): AsyncIterable<Item> {
  let flow = items;
  for (const step of steps) flow = runStep(step, flow, ctx, stepMs, onRejected);
  return flow;
}
