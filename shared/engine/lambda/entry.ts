import { resolve } from 'node:path';
import { createDeployedPipelineLambda } from './deployed-lambda.ts';
import { resourceNamesFromEnv } from '../../workbench/deploy/resource-names.ts';
import { loadPipelineFile } from '../pipeline/load.ts';
import { createPipelineLambda } from './pipeline-handler.ts';

/**
 * The deployed function's handler: the pipeline named by `SLUICE_PIPELINE_FILE` (a path inside the
 * bundle, relative to the task root), loaded and checked once per container, during Lambda's init
 * phase. A function deployed by serverless.yml is also told the AWS names of its buckets and
 * tables (`SLUICE_RESOURCE_NAMES`); without them the declared names are used as they are.
 */
const file = process.env.SLUICE_PIPELINE_FILE;
if (!file) throw new Error('SLUICE_PIPELINE_FILE is not set: it names the pipeline definition this function runs');
const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
// The task root is the project root: the pipeline file and the project's modules sit where they did.
const pipeline = await loadPipelineFile(resolve(root, file), undefined, root, root);
const names = resourceNamesFromEnv();

export const handler = names ? createDeployedPipelineLambda(pipeline, names) : createPipelineLambda(pipeline);
