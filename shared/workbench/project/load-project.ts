import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ConfigError } from '../../contract/errors.ts';
import type { ConfigIssue } from '../../contract/errors.ts';
import type { HandlerRegistry } from '../../engine/registry.ts';
import type { ParsedPipeline } from '../../engine/pipeline/load.ts';
import { parsePipeline, stepNames } from '../../engine/pipeline/load.ts';
import { issueAt } from '../../engine/pipeline/positions.ts';
import { RESOURCES_FILE, loadResources } from '../../engine/pipeline/resources.ts';
import type { Resources } from '../../engine/pipeline/resources.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { checkProject } from '../checks/check-project.ts';
import { findProjectRoot, handlerSource, loadProjectHandlers, loadStepModules } from './project-handlers.ts';

/** Pipeline test files (`<name>.test.yml`) sit beside the pipelines but are not pipelines: `sluice test` reads them. */
export const TEST_FILE_SUFFIX = '.test.yml';

/** The handlers pipelines of one project are checked against: see loadProjectHandlers. */
export interface HandlerContext {
  registry: HandlerRegistry;
  unavailable: ReadonlyMap<string, string>;
  /** The project root: handler folders and module steps are found from it. */
  root: string;
  displayRoot: string;
  /** Problems in the project's handler folders. */
  issues: ConfigIssue[];
}

/**
 * The built-in handlers and the project's own (found from `root`, by default the project the
 * pipelines folder `dir` is in), or exactly `registry` when one is given.
 */
export async function handlerContext(dir: string, registry: HandlerRegistry | undefined, displayRoot: string, root = findProjectRoot(dir)): Promise<HandlerContext> {
  if (registry) return { registry, unavailable: new Map(), root, displayRoot, issues: [] };
  const project = await loadProjectHandlers(root, displayRoot);
  return { registry: project.registry, unavailable: project.unavailable, root, displayRoot, issues: project.issues };
}

/** One pipeline file (absolute), its module steps loaded first: the problems of both, the module's at the user's file. */
async function parsePipelineFile(file: string, context: HandlerContext): Promise<ParsedPipeline> {
  const shown = relative(context.displayRoot, file) || file;
  const text = await readFile(file, 'utf8');
  const modules = await loadStepModules(stepNames(text, shown), file, context.root, context.displayRoot, context.registry);
  const unavailable = new Map([...context.unavailable, ...modules.unavailable]);
  const parsed = parsePipeline(text, shown, modules.registry, { unavailable, sourceOf: handlerSource });
  return { ...parsed, issues: [...modules.issues, ...parsed.issues] };
}

/** Problems found twice (a module named by two pipelines) are reported once. */
function unique(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One pipeline file, with the built-in handlers and the project's own (or exactly `registry`),
 * and the modules its steps name. `root` is the project root (by default found from the file).
 */
export async function loadPipelineFile(file: string, registry?: HandlerRegistry, displayRoot = process.cwd(), root?: string): Promise<Pipeline> {
  const context = await handlerContext(dirname(file), registry, displayRoot, root);
  const { pipeline, issues } = await parsePipelineFile(file, context);
  if (!pipeline || context.issues.length) throw new ConfigError(unique([...context.issues, ...issues]));
  return pipeline;
}

export interface ParsedProject {
  /** The valid pipelines, names unique. */
  pipelines: Pipeline[];
  /** The problems of each file, and duplicate names; project checks not run. */
  issues: ConfigIssue[];
}

/** Every `*.yml`/`*.yaml` directly in `dir` but `resources.yml` and test files, each parsed and validated on its own. */
export async function parsePipelines(dir: string, registry?: HandlerRegistry, displayRoot = process.cwd(), root?: string): Promise<ParsedProject> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name) && name !== RESOURCES_FILE && !name.endsWith(TEST_FILE_SUFFIX)).sort();
  } catch (error) {
    throw new ConfigError([{ file: relative(displayRoot, dir) || dir, line: 1, column: 1, path: '', message: `cannot read the pipelines folder: ${(error as Error).message}` }]);
  }
  const context = await handlerContext(dir, registry, displayRoot, root);
  const pipelines: Pipeline[] = [];
  const issues: ConfigIssue[] = [...context.issues];
  const byName = new Map<string, Pipeline>();
  for (const name of entries) {
    const parsed = await parsePipelineFile(join(dir, name), context);
    issues.push(...parsed.issues);
    if (!parsed.pipeline) continue;
    const twin = byName.get(parsed.pipeline.name);
    if (twin) {
      issues.push(issueAt(parsed.pipeline, 'name', `pipeline name "${parsed.pipeline.name}" is already used by ${twin.file}`));
      continue;
    }
    byName.set(parsed.pipeline.name, parsed.pipeline);
    pipelines.push(parsed.pipeline);
  }
  return { pipelines, issues: unique(issues) };
}

export interface Project {
  pipelines: Pipeline[];
  resources: Resources;
}

/**
 * The project in `dir`: its pipelines and its declared resources, checked together: the problems
 * of every file and the project checks (undeclared resources, trigger cycles), all in one error.
 */
export async function loadProject(dir: string, registry?: HandlerRegistry, displayRoot = process.cwd(), root?: string): Promise<Project> {
  const { pipelines, issues } = await parsePipelines(dir, registry, displayRoot, root);
  const declared = await loadResources(dir, displayRoot);
  issues.push(...declared.issues);
  if (declared.resources) issues.push(...checkProject(pipelines, { ...declared, resources: declared.resources }));
  if (issues.length || !declared.resources) throw new ConfigError(issues);
  return { pipelines, resources: declared.resources };
}
