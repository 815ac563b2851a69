import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { formatPath } from '../../contract/describe-issue.ts';
import { issueAtPath } from '../../engine/pipeline/positions.ts';
import type { FieldPath } from '../../engine/pipeline/positions.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import type { PreflightIssue } from './preflight.ts';

/**
 * Secrets a pipeline reads from the environment: every option written `{ env: NAME }` in a step's
 * config (sanitize's `salt: { env: SLUICE_PII_SALT }`, and the same in any handler or fork that
 * follows the convention), found from the config rather than from a handler's name. One that is
 * not set is found when Sluice starts and by `sluice validate`, instead of at the first object the
 * step quarantines for want of it.
 */

export interface SecretUse {
  pipeline: string;
  /** The environment variable. */
  name: string;
  /** Where it is named, in the pipeline file: `steps[0].sanitize.salt.env`. */
  path: FieldPath;
}

/** `{ env: NAME }`, and nothing else: the convention for a value read from the environment. */
function envName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  return entries.length === 1 && entries[0]![0] === 'env' && typeof entries[0]![1] === 'string' ? entries[0]![1] : undefined;
}

function* walk(value: unknown, path: (string | number)[]): Iterable<{ name: string; path: (string | number)[] }> {
  const name = envName(value);
  if (name !== undefined) {
    yield { name, path: [...path, 'env'] };
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* walk(item, [...path, index]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* walk(item, [...path, key]);
  }
}

export function secretsOf(pipeline: Pipeline): SecretUse[] {
  return pipeline.steps.flatMap((step, index) => [...walk(step.config, ['steps', index, step.handler])].map(({ name, path }) => ({ pipeline: pipeline.name, name, path })));
}

/** The secrets of `pipelines` that `env` does not set (or sets empty). */
export function missingSecrets(pipelines: readonly Pipeline[], env: NodeJS.ProcessEnv = process.env): SecretUse[] {
  return pipelines.flatMap(secretsOf).filter((use) => !env[use.name]);
}

/**
 * The package.json scripts of the project that start Sluice with `node --env-file=FILE`, FILE
 * setting `name`: `npm run dev`, `npm start`.
 */
function scriptsSetting(name: string, projectRoot: string): { scripts: string[]; file: string } | undefined {
  let scripts: Record<string, string>;
  try {
    scripts = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch {
    return undefined;
  }
  const found = new Map<string, string[]>();
  for (const [script, command] of Object.entries(scripts)) {
    if (typeof command !== 'string' || !/\bsluice(\.js)?\b/.test(command)) continue;
    const file = /--env-file[= ](\S+)/.exec(command)?.[1];
    if (!file) continue;
    let values: Record<string, string>;
    try {
      values = parseEnv(readFileSync(join(projectRoot, file), 'utf8')) as Record<string, string>;
    } catch {
      continue;
    }
    if (!values[name]) continue;
    found.set(file, [...(found.get(file) ?? []), script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`]);
  }
  const [first] = found;
  return first ? { file: first[0], scripts: first[1] } : undefined;
}

/** The sluice script, as a path from the current folder: what `node --env-file=FILE` runs. */
const sluiceScript = () => relative(process.cwd(), fileURLToPath(new URL('../../../bin/sluice.js', import.meta.url))) || 'bin/sluice.js';

/** How to set `name` for a local `sluice <command>` of the project at `projectRoot`, and for a deployed function. */
export function howToSet(name: string, projectRoot: string, command: 'run' | 'dev' = 'dev', lambda = true): string {
  const scripts = scriptsSetting(name, projectRoot);
  const local = [
    ...(scripts ? [`${scripts.scripts.join(' and ')} set it from ${relative(process.cwd(), join(projectRoot, scripts.file)) || scripts.file}`] : []),
    `export ${name}=... before starting, or put ${name}=... in a file and start with node --env-file=FILE ${sluiceScript()} ${command}`,
  ];
  return `for a local run, ${local.join('; or ')}${lambda ? "; on Lambda, it comes from the function's environment (custom.sluice.environment in serverless.yml)" : ''}`;
}

/**
 * For the local runtime: a failure whose reason names a secret its pipeline lacks gets how to set
 * it for a local run (the reason itself, written in the quarantine, stays the handler's own).
 */
export function secretHints(pipelines: readonly Pipeline[], projectRoot: string, env: NodeJS.ProcessEnv = process.env): (pipeline: string, message: string) => string {
  const missing = missingSecrets(pipelines, env);
  return (pipeline, message) => {
    const use = missing.find((candidate) => candidate.pipeline === pipeline && message.includes(candidate.name));
    return use ? `${message} (${howToSet(use.name, projectRoot, 'dev', false)})` : message;
  };
}

/** What a secret that is not set means: `SLUICE_PII_SALT is not set: orders-ingest needs it (steps[0].sanitize.salt.env) ...` */
function notSet(use: SecretUse, where: string, withPath: boolean): string {
  return `${use.name} is not set${where}: ${use.pipeline} needs it${withPath ? ` (${formatPath(use.path)})` : ''}, and quarantines what it processes without it`;
}

/** One line per secret not set, for `sluice run` and `sluice dev` as they start. */
export function missingSecretLines(pipelines: readonly Pipeline[], projectRoot: string, command: 'run' | 'dev', env: NodeJS.ProcessEnv = process.env): string[] {
  return missingSecrets(pipelines, env).map((use) => `warning: ${notSet(use, '', true)}; ${howToSet(use.name, projectRoot, command)}`);
}

/** `sluice validate`'s warnings, at the `env:` of each secret not set. */
export function secretIssues(pipelines: readonly Pipeline[], projectRoot: string, env: NodeJS.ProcessEnv = process.env): PreflightIssue[] {
  return missingSecrets(pipelines, env).map((use) => {
    const pipeline = pipelines.find((candidate) => candidate.name === use.pipeline)!;
    return { ...issueAtPath(pipeline, use.path, `${notSet(use, ' in this environment', false)}; ${howToSet(use.name, projectRoot)}`), severity: 'warning' as const };
  });
}
