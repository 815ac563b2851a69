import type { HandlerRegistry } from '../handlers/registry.ts';
import type { Step } from '../handlers/types.ts';
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
}

export function compilePipeline(definition: Pipeline, registry: HandlerRegistry): CompiledPipeline {
  const steps = definition.steps.map((step, index) => {
    const handler = registry.get(step.handler);
    if (!handler) throw new Error(`pipeline ${definition.name}: handler "${step.handler}" is not registered`);
    return { handler: step.handler, index, run: handler.createStep(step.config) };
  });
  return { definition, steps };
}
