import { resolve } from 'node:path';
import { loadPipelineFile } from '../pipeline/load.ts';
import { createPipelineLambda } from './pipeline-handler.ts';

/**
 * The deployed function's handler: the pipeline named by `SLUICE_PIPELINE_FILE` (a path inside the
 * bundle, relative to the task root), loaded and checked once per container.
 */
const file = process.env.SLUICE_PIPELINE_FILE;
if (!file) throw new Error('SLUICE_PIPELINE_FILE is not set: it names the pipeline definition this function runs');
const pipeline = await loadPipelineFile(resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), file));

export const handler = createPipelineLambda(pipeline);
