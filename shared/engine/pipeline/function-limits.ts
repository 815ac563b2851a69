import type { FunctionLimits } from '../../contract/handler.ts';
import type { Pipeline } from './schema.ts';

/**
 * For a pipeline whose handlers declare nothing. Lambda's own defaults (128 MB, 3 s) are too small
 * for any data step; these are what a plain record-moving step needs.
 */
export const FALLBACK_FUNCTION_LIMITS: FunctionLimits = { memorySize: 512, timeout: 60 };

/** Where a limit came from: the pipeline's `lambda`, the largest its handlers ask for, or the fallback. */
export type LimitSource = 'pipeline' | 'handlers' | 'default';

export interface PipelineLimits extends FunctionLimits {
  from: { memorySize: LimitSource; timeout: LimitSource };
}

/**
 * The memory and timeout of a pipeline's function: the pipeline's `lambda` when set, else the
 * largest each of its handlers asks for (a resize step needs more memory than an aggregate one,
 * and the function runs both), else the fallback. Its steps are created with them, locally as on
 * Lambda, and the deployment, the cost estimate and the pre-flight checks read them from here.
 */
export function functionLimits(pipeline: Pick<Pipeline, 'steps' | 'handlers' | 'lambda'>): PipelineLimits {
  const asked = pipeline.steps.map((step) => pipeline.handlers.get(step.handler)?.lambda).filter((lambda) => lambda !== undefined);
  const pick = (field: keyof FunctionLimits): [number, LimitSource] => {
    const own = pipeline.lambda?.[field];
    if (own !== undefined) return [own, 'pipeline'];
    return asked.length ? [Math.max(...asked.map((lambda) => lambda[field])), 'handlers'] : [FALLBACK_FUNCTION_LIMITS[field], 'default'];
  };
  const [memorySize, memoryFrom] = pick('memorySize');
  const [timeout, timeoutFrom] = pick('timeout');
  return { memorySize, timeout, from: { memorySize: memoryFrom, timeout: timeoutFrom } };
}
