import type { LAMBDA_ARCHITECTURES, Pipeline } from '../../engine/pipeline/schema.ts';
import type { LimitSource } from '../../engine/pipeline/function-limits.ts';
import { functionLimits } from '../../engine/pipeline/function-limits.ts';

export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

/** Where a setting came from: the pipeline's `lambda`, the largest its handlers ask for, or Sluice's fallback. */
export type SettingSource = LimitSource;

export interface FunctionSettings {
  memorySize: number;
  timeout: number;
  architecture: LambdaArchitecture;
  from: { memorySize: SettingSource; timeout: SettingSource; architecture: SettingSource };
}

/** Graviton: about 20% cheaper per GB-second, and sharp is packaged for it whatever the build machine. */
export const DEFAULT_ARCHITECTURE: LambdaArchitecture = 'arm64';

/**
 * The memory, timeout (see functionLimits) and architecture a pipeline's function gets on Lambda.
 * The deployment, the cost estimate and the pre-flight checks all read them from here.
 */
export function functionSettings(pipeline: Pipeline): FunctionSettings {
  const limits = functionLimits(pipeline);
  // The spec defaults `architecture`, so a pipeline with a `lambda` block always has one.
  const architecture = pipeline.lambda?.architecture ?? DEFAULT_ARCHITECTURE;
  return {
    memorySize: limits.memorySize,
    timeout: limits.timeout,
    architecture,
    from: { ...limits.from, architecture: pipeline.lambda ? 'pipeline' : 'default' },
  };
}
