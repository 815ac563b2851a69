import { closest } from 'fastest-levenshtein';
import type { ConfigIssue } from '../../contract/errors.ts';
import type { HandlerDefinition } from '../../contract/handler.ts';
import { describeIssues } from '../../contract/describe-issue.ts';
import { YamlSource } from './yaml-source.ts';
import type { HandlerRegistry } from '../registry.ts';
import { capturePositions } from './positions.ts';
import { isBucketOutput, isBucketTrigger, pipelineSpec } from './schema.ts';
import type { ChainedStep } from './step-chain.ts';
import { stepChainIssues } from './step-chain.ts';
import type { Pipeline, PipelineStep } from './schema.ts';

/** Problems are listed in the order of the file, whichever check found them. */
const byPosition = (a: ConfigIssue, b: ConfigIssue) => a.line - b.line || a.column - b.column;

export interface ParsedPipeline {
  pipeline?: Pipeline;
  issues: ConfigIssue[];
}

/** A step that names a module by its path (relative to the pipeline file) rather than a handler by name. */
export function isModulePath(step: string): boolean {
  return step.startsWith('./') || step.startsWith('../');
}

export interface ParseOptions {
  /** The handlers and module steps that exist but could not be loaded, with what to say at a step that names one. */
  unavailable?: ReadonlyMap<string, string>;
  /** The file a user's handler comes from, named when its spec refuses a step's config. */
  sourceOf?(handler: HandlerDefinition): string | undefined;
}

/**
 * Validates one pipeline document against the handlers of `registry` (by name, and module steps
 * under their path as written); every problem is returned, not only the first.
 */
export function parsePipeline(text: string, file: string, registry: HandlerRegistry, options: ParseOptions = {}): ParsedPipeline {
  const unavailable = options.unavailable ?? new Map<string, string>();
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
        const own = options.sourceOf?.(handler);
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

/** Step names as written, from a document that may be invalid. */
export function stepNames(text: string, file: string): string[] {
  const source = new YamlSource(text, file);
  if (source.syntaxIssues().length) return [];
  const steps = (source.toJS() as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((step: unknown) => (step !== null && typeof step === 'object' && !Array.isArray(step) ? Object.keys(step) : []));
}
