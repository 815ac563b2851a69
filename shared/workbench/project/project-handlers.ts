import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ConfigIssue } from '../../contract/errors.ts';
import { ConfigError } from '../../contract/errors.ts';
import { HANDLER_NAME_PATTERN, HANDLER_NAME_RULE, checkHandlerExports } from './definition-check.ts';
import { moduleLoadIssue } from './module-errors.ts';
import { HANDLERS_DIR, handlerEntry, importProjectModule, listHandlerFolders, projectModuleExists } from './project-modules.ts';
import type { HandlerRegistry } from '../../engine/registry.ts';
import { createRegistry } from '../../engine/registry.ts';
import { isModulePath } from '../../engine/pipeline/load.ts';
import { builtInHandlers } from './built-in-handlers.ts';
import type { HandlerDefinition } from '../../contract/handler.ts';

/**
 * The handlers a project can use: the built-in ones, every folder under the project's `handlers/`
 * that is not one of them (`sluice fork`, `sluice new handler`), and the modules its pipelines name
 * by path. A project's handlers need no registration: a folder with an `index.ts` exporting one
 * HandlerDefinition is enough.
 */

/** Where each user handler was loaded from (relative to the project root, with `/`): the deploy bundler includes it. */
const sources = new WeakMap<HandlerDefinition, string>();

/** The project module a user handler came from; undefined for a built-in handler. */
export function handlerSource(handler: HandlerDefinition): string | undefined {
  return sources.get(handler);
}

/**
 * The project a pipelines folder belongs to: the nearest folder at or above it with a
 * package.json, else the folder above it.
 */
export function findProjectRoot(pipelinesDir: string): string {
  const start = resolve(pipelinesDir);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(start);
  }
}

export interface LoadedModule {
  handler?: HandlerDefinition;
  /** What is wrong with the module, at the user's file. */
  issues: ConfigIssue[];
}

/** Imports one project module (`path` relative to `root`) and checks the handler it exports. */
export async function loadHandlerModule(root: string, path: string, displayRoot: string, folderName?: string): Promise<LoadedModule> {
  const file = resolve(root, path);
  const own = (candidate: string) => candidate.startsWith(resolve(root) + sep) && !candidate.includes(`${sep}node_modules${sep}`) && !candidate.startsWith(join(resolve(root), 'shared') + sep);
  let exports: Record<string, unknown>;
  try {
    exports = await importProjectModule(root, path);
  } catch (error) {
    return { issues: [moduleLoadIssue(error, file, displayRoot, own)] };
  }
  const checked = checkHandlerExports(exports, file, displayRoot, folderName);
  if (checked.handler) sources.set(checked.handler, path);
  return checked;
}

export interface ProjectHandlers {
  registry: HandlerRegistry;
  /** Problems in the project's handler folders, at the user's files. */
  issues: ConfigIssue[];
  /** Handler folders that could not be loaded: name → what a pipeline naming it is told. */
  unavailable: Map<string, string>;
}

const issueLocation = (issue: ConfigIssue) => `${issue.file}:${issue.line}:${issue.column}`;

/** The built-in handlers and the project's own, from `root/handlers/`. */
export async function loadProjectHandlers(root: string, displayRoot: string = root, builtIns: HandlerRegistry = builtInHandlers): Promise<ProjectHandlers> {
  const handlers = [...builtIns.values()];
  const issues: ConfigIssue[] = [];
  const unavailable = new Map<string, string>();
  for (const name of await listHandlerFolders(root)) {
    if (builtIns.has(name)) continue;
    const path = handlerEntry(name);
    if (!HANDLER_NAME_PATTERN.test(name)) {
      issues.push({ file: relative(displayRoot, join(root, HANDLERS_DIR, name)) || name, line: 1, column: 1, path: '', message: `the folder name "${name}" is not ${HANDLER_NAME_RULE}` });
      continue;
    }
    const loaded = await loadHandlerModule(root, path, displayRoot, name);
    if (loaded.handler) {
      handlers.push(loaded.handler);
      continue;
    }
    issues.push(...loaded.issues);
    unavailable.set(name, `handler "${name}" cannot be loaded: see the problem at ${issueLocation(loaded.issues[0]!)}`);
  }
  return { registry: createRegistry(handlers), issues, unavailable };
}

/** The project's registry, for what lists every handler (`sluice schema`, `npm run docs`); a broken handler folder is an error. */
export async function loadProjectRegistry(root: string, displayRoot: string = process.cwd()): Promise<HandlerRegistry> {
  const { registry, issues } = await loadProjectHandlers(root, displayRoot);
  if (issues.length) throw new ConfigError(issues);
  return registry;
}

/** The module files a step may name: TypeScript or JavaScript ES modules. */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'] as const;

export interface StepModules {
  /** The registry with each loadable module step added under its name as written. */
  registry: HandlerRegistry;
  /** Module steps that could not be loaded: as written → what the step is told. */
  unavailable: Map<string, string>;
  /** The problems in those modules, at the user's files. */
  issues: ConfigIssue[];
}

/**
 * Loads the modules a pipeline's steps name by path (`- ./steps/stamp.ts: { ... }`), resolved
 * from the pipeline file `pipelineFile` (absolute).
 */
export async function loadStepModules(steps: readonly string[], pipelineFile: string, root: string, displayRoot: string, registry: HandlerRegistry): Promise<StepModules> {
  const extended = new Map(registry);
  const unavailable = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const step of new Set(steps.filter(isModulePath))) {
    const file = resolve(dirname(pipelineFile), step);
    const shown = relative(displayRoot, file) || file;
    if (!MODULE_EXTENSIONS.some((extension) => step.endsWith(extension))) {
      unavailable.set(step, `expected a module file ending in ${MODULE_EXTENSIONS.join(', ')}, found "${step}"`);
      continue;
    }
    const path = relative(root, file).split(sep).join('/');
    if (!(await projectModuleExists(root, path))) {
      unavailable.set(step, `module ${shown} does not exist (a step's path is relative to the pipeline file)`);
      continue;
    }
    const loaded = await loadHandlerModule(root, path, displayRoot);
    if (loaded.handler) {
      extended.set(step, loaded.handler);
      continue;
    }
    issues.push(...loaded.issues);
    unavailable.set(step, `module ${shown} cannot be used as a step: see the problem at ${issueLocation(loaded.issues[0]!)}`);
  }
  return { registry: extended, unavailable, issues };
}
