import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { ConfigError } from '../errors.ts';
import type { ConfigIssue } from '../errors.ts';
import { describeIssues } from '../config/describe-issue.ts';
import { YamlSource } from '../config/yaml-source.ts';
import type { HandlerRegistry } from '../handlers/registry.ts';
import { builtInHandlers } from '../handlers/registry.ts';
import { checkProject } from './check-project.ts';
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

/** Validates one pipeline document; every problem is returned, not only the first. */
export function parsePipeline(text: string, file: string, registry: HandlerRegistry = builtInHandlers): ParsedPipeline {
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
      if (!handler) {
        const names = [...registry.keys()];
        const suggestion = names.length ? ` (did you mean "${closest(name, names)}"?)` : '';
        issues.push(...source.locate([{ path: [name], atKey: true, message: `unknown handler "${name}"${suggestion}; known handlers: ${names.join(', ')}` }], ['steps', index]));
        return;
      }
      const parsed = handler.spec.safeParse(config ?? {});
      if (!parsed.success) {
        issues.push(...source.locate(describeIssues(parsed.error.issues, config ?? {}, handler.spec), ['steps', index, name]));
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
  return { pipeline: { ...result.data, steps, file, positions: capturePositions(source) }, issues };
}

export async function loadPipelineFile(file: string, registry: HandlerRegistry = builtInHandlers, displayRoot = process.cwd()): Promise<Pipeline> {
  const shown = relative(displayRoot, file) || file;
  const { pipeline, issues } = parsePipeline(await readFile(file, 'utf8'), shown, registry);
  if (!pipeline) throw new ConfigError(issues);
  return pipeline;
}

export interface ParsedProject {
  /** The valid pipelines, names unique. */
  pipelines: Pipeline[];
  /** The problems of each file, and duplicate names; project checks not run. */
  issues: ConfigIssue[];
}

/** Every `*.yml`/`*.yaml` directly in `dir` but `resources.yml` and test files, each parsed and validated on its own. */
export async function parsePipelines(dir: string, registry: HandlerRegistry = builtInHandlers, displayRoot = process.cwd()): Promise<ParsedProject> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name) && name !== RESOURCES_FILE && !name.endsWith(TEST_FILE_SUFFIX)).sort();
  } catch (error) {
    throw new ConfigError([{ file: relative(displayRoot, dir) || dir, line: 1, column: 1, path: '', message: `cannot read the pipelines folder: ${(error as Error).message}` }]);
  }
  const pipelines: Pipeline[] = [];
  const issues: ConfigIssue[] = [];
  const byName = new Map<string, Pipeline>();
  for (const name of entries) {
    const file = join(dir, name);
    const shown = relative(displayRoot, file) || file;
    const parsed = parsePipeline(await readFile(file, 'utf8'), shown, registry);
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
  return { pipelines, issues };
}

export interface Project {
  pipelines: Pipeline[];
  resources: Resources;
}

/**
 * The project in `dir`: its pipelines and its declared resources, checked together: the problems
 * of every file and the project checks (undeclared resources, trigger cycles), all in one error.
 */
export async function loadProject(dir: string, registry: HandlerRegistry = builtInHandlers, displayRoot = process.cwd()): Promise<Project> {
  const { pipelines, issues } = await parsePipelines(dir, registry, displayRoot);
  const declared = await loadResources(dir, displayRoot);
  issues.push(...declared.issues);
  if (declared.resources) issues.push(...checkProject(pipelines, { ...declared, resources: declared.resources }));
  if (issues.length || !declared.resources) throw new ConfigError(issues);
  return { pipelines, resources: declared.resources };
}
