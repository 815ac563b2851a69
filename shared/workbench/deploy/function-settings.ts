import type { HandlerRegistry } from '../../engine/registry.ts';
import { builtInHandlers } from '../../engine/registry.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import type { LAMBDA_ARCHITECTURES } from '../../engine/pipeline/schema.ts';

export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

/** Where a setting came from: the pipeline's `lambda`, the largest its handlers ask for, or Sluice's fallback. */
export type SettingSource = 'pipeline' | 'handlers' | 'default';

export interface FunctionSettings {
  memorySize: number;
  timeout: number;
  architecture: LambdaArchitecture;
  from: { memorySize: SettingSource; timeout: SettingSource; architecture: SettingSource };
}

/**
 * For a pipeline whose handlers declare nothing. Lambda's own defaults (128 MB, 3 s) are too small
 * for any data step; these are what a plain record-moving step needs.
 */
export const FALLBACK_FUNCTION_SETTINGS = { memorySize: 512, timeout: 60, architecture: 'arm64' } as const;

/**
 * The memory, timeout and architecture a pipeline's function gets on Lambda: the pipeline's
 * `lambda` when set, else the largest each of its handlers asks for (a resize step needs more
 * memory than an aggregate one, and the function runs both), else the fallback. The deployment,
 * the cost estimate and the pre-flight checks all read them from here. A loaded pipeline is read
 * with the handlers it was checked against (a project's own ones included); `registry` serves a
 * pipeline built without the loader.
 */
export function functionSettings(pipeline: Pipeline, registry: HandlerRegistry = builtInHandlers): FunctionSettings {
  const handlers = pipeline.handlers ?? registry;
  const asked = pipeline.steps.map((step) => handlers.get(step.handler)?.lambda).filter((lambda) => lambda !== undefined);
  const largest = (field: 'memorySize' | 'timeout') => (asked.length ? Math.max(...asked.map((lambda) => lambda[field])) : undefined);
  const pick = (field: 'memorySize' | 'timeout'): [number, SettingSource] => {
    const own = pipeline.lambda?.[field];
    if (own !== undefined) return [own, 'pipeline'];
    const fromHandlers = largest(field);
    return fromHandlers === undefined ? [FALLBACK_FUNCTION_SETTINGS[field], 'default'] : [fromHandlers, 'handlers'];
  };
  const [memorySize, memoryFrom] = pick('memorySize');
  const [timeout, timeoutFrom] = pick('timeout');
  // The spec defaults `architecture`, so a pipeline with a `lambda` block always has one.
  const architecture = pipeline.lambda?.architecture ?? FALLBACK_FUNCTION_SETTINGS.architecture;
  return {
    memorySize,
    timeout,
    architecture,
    from: { memorySize: memoryFrom, timeout: timeoutFrom, architecture: pipeline.lambda ? 'pipeline' : 'default' },
  };
}
