import { createHash } from 'node:crypto';
import type { Step } from '../../contract/handler.ts';
import { functionLimits } from '../pipeline/function-limits.ts';
import type { Pipeline } from '../pipeline/schema.ts';

export interface CompiledStep {
  handler: string;
  index: number;
  run: Step;
}

/** A pipeline with every step's core created once, ready to process many objects. */
export interface CompiledPipeline {
  definition: Pipeline;
  steps: CompiledStep[];
  /**
   * What the outputs of a source depend on besides the source itself: the steps with their
   * config and the output. A source already processed by the same fingerprint is not processed
   * again; after a change to the pipeline, it is.
   */
  fingerprint: string;
}

function fingerprintOf(definition: Pipeline): string {
  return createHash('sha256').update(JSON.stringify({ steps: definition.steps, to: definition.to })).digest('hex').slice(0, 16);
}

/** With the handlers the pipeline was checked against, each step made for the limits of the pipeline's function. */
export function compilePipeline(definition: Pipeline): CompiledPipeline {
  const limits = functionLimits(definition);
  const { memorySize, timeout } = limits;
  const steps = definition.steps.map((step, index) => {
    const handler = definition.handlers.get(step.handler);
    if (!handler) throw new Error(`pipeline ${definition.name}: handler "${step.handler}" is not registered`);
    return { handler: step.handler, index, run: handler.createStep(step.config, { memorySize, timeout }) };
  });
  return { definition, steps, fingerprint: fingerprintOf(definition) };
}
