import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { ConfigError } from '../../contract/errors.ts';
import type { ConfigIssue } from '../../contract/errors.ts';
import { describeIssues } from '../../contract/describe-issue.ts';
import { YamlSource } from './yaml-source.ts';
import type { HandlerRegistry } from '../registry.ts';
import { builtInHandlers } from '../registry.ts';
import { findProjectRoot, handlerSource, isModulePath, loadProjectHandlers, loadStepModules } from '../../workbench/project/project-handlers.ts';
import { checkProject } from '../../workbench/checks/check-project.ts';
import { capturePositions, issueAt } from './positions.ts';
import { RESOURCES_FILE, loadResources } from './resources.ts';
import type { Resources } from './resources.ts';
import { isBucketOutput, isBucketTrigger, pipelineSpec } from './schema.ts';
import type { ChainedStep } from './step-chain.ts';
import { stepChainIssues } from './step-chain.ts';
import type { Pipeline, PipelineStep } from './schema.ts';

/** Pipeline test files (`<name>.test.yml`) sit beside the pipelines but are not pipelines: `sluice test` reads them. */
export const TEST_FILE_SUFFIX = '.test.yml';

/** Problems are listed in the order of the file, whichever check found them. */
const byPosition = (a: ConfigIssue, b: ConfigIssue) => a.line - b.line || a.column - b.column;

export interface ParsedPipeline {
  pipeline?: Pipeline;
  issues: ConfigIssue[];
}

/**
 * Validates one pipeline document; every problem is returned, not only the first. `unavailable`
 * names the handlers and module steps that exist but could not be loaded, with what to say at a
 * step that names one.
 */
export function parsePipeline(text: string, file: string, registry: HandlerRegistry = builtInHandlers, unavailable: ReadonlyMap<string, string> = new Map()): ParsedPipeline {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxIssues();
  if (syntax.length) return { issues: syntax };
  const data = source.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { issues: [{ file, line: 1, column: 1, path: '', message: 'expected a pipeline mapping (name, on, steps, to, onError)' }] };
  }

  const issues: ConfigIssue[] = [];
  const result = pipelineSpec.safeParse(data);
  if (!result.success) issues.push(...source.locate(describeIssues(result.error.issues, data, pipelineSpec)));

  const steps: PipelineStep[] = [];
  const chain: ChainedStep[] = [];
  const rawSteps = (data as { steps?: unknown }).steps;
  if (Array.isArray(rawSteps)) {
    rawSteps.forEach((rawStep: unknown, index) => {
      if (rawStep === null || typeof rawStep !== 'object' || Object.keys(rawStep).length !== 1) return; // reported by the spec
      const [name, config] = Object.entries(rawStep)[0] as [string, unknown];
      const handler = registry.get(name);
      const problem = unavailable.get(name);
      if (!handler && problem !== undefined) {
        issues.push(...source.locate([{ path: [name], atKey: true, message: problem }], ['steps', index]));
        return;
      }
      if (!handler && isModulePath(name)) {
        issues.push(...source.locate([{ path: [name], atKey: true, message: `module steps are loaded with the pipeline file (sluice validate, run, test); "${name}" was not` }], ['steps', index]));
        return;
      }
      if (!handler) {
        const names = [...registry.keys()].filter((known) => !isModulePath(known));
        const suggestion = names.length ? ` (did you mean "${closest(name, names)}"?)` : '';
        issues.push(...source.locate([{ path: [name], atKey: true, message: `unknown handler "${name}"${suggestion}; known handlers: ${names.join(', ')}` }], ['steps', index]));
        return;
      }
      const parsed = handler.spec.safeParse(config ?? {});
      if (!parsed.success) {
        // A user's handler: say whose spec refused the config, so the fix is found in either file.
        const own = handlerSource(handler);
        const described = describeIssues(parsed.error.issues, config ?? {}, handler.spec).map((issue) => (own ? { ...issue, message: `${issue.message} (spec of ${own})` } : issue));
        issues.push(...source.locate(described, ['steps', index, name]));
        return;
      }
      steps.push({ handler: name, config: parsed.data });
      chain.push({ handler, index });
    });
  }
  if (result.success && chain.length === steps.length) {
    const { on, to } = result.data;
    issues.push(...source.locate(stepChainIssues(isBucketTrigger(on) ? 'bucket' : 'table', isBucketOutput(to) ? 'bucket' : 'table', chain)));
  }

  if (issues.length || !result.success) return { issues: issues.sort(byPosition) };
  return { pipeline: { ...result.data, steps, file, positions: capturePositions(source), handlers: registry }, issues };
}

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

/** Step names as written, from a document that may be invalid. */
function stepNames(text: string, file: string): string[] {
  const source = new YamlSource(text, file);
  if (source.syntaxIssues().length) return [];
  const steps = (source.toJS() as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((step: unknown) => (step !== null && typeof step === 'object' && !Array.isArray(step) ? Object.keys(step) : []));
}

/** One pipeline file (absolute), its module steps loaded first: the problems of both, the module's at the user's file. */
async function parsePipelineFile(file: string, context: HandlerContext): Promise<ParsedPipeline> {
  const shown = relative(context.displayRoot, file) || file;
  const text = await readFile(file, 'utf8');
  const modules = await loadStepModules(stepNames(text, shown), file, context.root, context.displayRoot, context.registry);
  const unavailable = new Map([...context.unavailable, ...modules.unavailable]);
  const parsed = parsePipeline(text, shown, modules.registry, unavailable);
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
