import { readFile } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { ConfigError } from '../../contract/errors.ts';
import type { HandlerDefinition } from '../../contract/handler.ts';
import { isModulePath, parsePipeline, stepNames } from '../pipeline/load.ts';
import type { HandlerRegistry } from '../registry.ts';
import { handlerOfModule } from '../registry.ts';
import { createDeployedPipelineLambda } from './deployed-lambda.ts';
import { resourceNamesFromEnv } from './name-mapping.ts';
import { createPipelineLambda } from './pipeline-handler.ts';

type ModuleExports = Record<string, unknown>;

/** The code a function is packaged with: the modules its pipeline's steps use, and nothing else. */
export interface FunctionModules {
  /** The modules of the handlers its steps name (built-in ones and the project's own). */
  handlers: readonly ModuleExports[];
  /** The modules its steps name by path, by their path from the project root (with `/`). */
  steps: Readonly<Record<string, ModuleExports>>;
}

/** The registry of one pipeline file: its handlers by name, its module steps under their path as written (relative to the file). */
function functionRegistry(modules: FunctionModules, text: string, file: string): HandlerRegistry {
  const registry = new Map<string, HandlerDefinition>();
  modules.handlers.forEach((exports, index) => {
    const handler = handlerOfModule(exports, `handler module ${index + 1}`);
    registry.set(handler.name, handler);
  });
  for (const step of stepNames(text, file).filter(isModulePath)) {
    const path = posix.normalize(posix.join(posix.dirname(file.split('\\').join('/')), step));
    const exports = modules.steps[path];
    if (exports) registry.set(step, handlerOfModule(exports, path));
  }
  return registry;
}

/**
 * A deployed function: the pipeline named by `SLUICE_PIPELINE_FILE` (a path inside the bundle,
 * relative to the task root, where it sits as in the project), loaded and checked once per
 * container, during Lambda's init phase, with the handlers it was packaged with. A function
 * deployed by serverless.yml is also told the AWS names of its buckets and tables
 * (`SLUICE_RESOURCE_NAMES`); without them the declared names are used as they are.
 */
export async function startFunction(modules: FunctionModules, env: NodeJS.ProcessEnv = process.env) {
  const file = env.SLUICE_PIPELINE_FILE;
  if (!file) throw new Error('SLUICE_PIPELINE_FILE is not set: it names the pipeline definition this function runs');
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const text = await readFile(resolve(root, file), 'utf8');
  const { pipeline, issues } = parsePipeline(text, file, functionRegistry(modules, text, file));
  if (!pipeline) throw new ConfigError(issues);
  const names = resourceNamesFromEnv(env);
  return names ? createDeployedPipelineLambda(pipeline, names) : createPipelineLambda(pipeline);
}
