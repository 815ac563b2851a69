import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { z } from 'zod';
import type { ConfigIssue } from '../../contract/errors.ts';
import { describeIssues, formatPath } from '../../contract/describe-issue.ts';
import { configJsonSchema } from '../docs/json-schema.ts';
import { looksLikeHandler } from '../../engine/registry.ts';
import type { HandlerDefinition } from '../../contract/handler.ts';
import { ITEM_KINDS } from '../../contract/handler.ts';

/**
 * A user's handler module is checked as the built-in handlers are by their tests: it exports one
 * HandlerDefinition whose fields have the right shape, and a config spec that Sluice can validate
 * YAML with and describe as JSON Schema. Problems point at the user's file.
 */

/** Handler names, as pipelines and folders write them. */
export const HANDLER_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const HANDLER_NAME_RULE = 'a handler name in kebab-case: lowercase letters and digits, words joined by "-", starting with a letter';

const isZodSchema = (value: unknown) => value instanceof z.ZodType || (typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function');

const describeFound = (value: unknown) => (typeof value === 'function' ? 'a function' : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${JSON.stringify(value)} (${typeof value})`);

const definitionShape = z.object({
  name: z.string().regex(HANDLER_NAME_PATTERN, HANDLER_NAME_RULE),
  description: z.string().min(1),
  spec: z.custom<z.ZodType>(isZodSchema, { error: (issue) => `expected a zod schema (e.g. z.strictObject({ ... })), found ${describeFound(issue.input)}` }),
  accepts: z.array(z.enum(ITEM_KINDS)).min(1),
  emits: z.enum(ITEM_KINDS),
  lambda: z.strictObject({ memorySize: z.int().min(128).max(10240), timeout: z.int().min(1).max(900) }).optional(),
  preflight: z
    .custom<(config: unknown, limits: unknown) => unknown>((value) => typeof value === 'function', {
      error: (issue) => `expected a function (config, limits) => problems, found ${describeFound(issue.input)}`,
    })
    .optional(),
  createStep: z.custom<(config: unknown) => unknown>((value) => typeof value === 'function', {
    error: (issue) => `expected a function (config) => step, found ${describeFound(issue.input)}`,
  }),
});

/** Where `export const NAME` (or `export default`) is written, so the message opens the right line. */
function exportPosition(file: string, exported: string): { line: number; column: number } {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { line: 1, column: 1 };
  }
  const pattern = exported === 'default' ? /export\s+default\b/ : new RegExp(`export\\s+(?:const|let|var)\\s+${exported}\\b`);
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = pattern.exec(lines[index]!);
    if (match) return { line: index + 1, column: match.index + 1 };
  }
  return { line: 1, column: 1 };
}

export interface CheckedHandler {
  handler?: HandlerDefinition;
  issues: ConfigIssue[];
}

/**
 * The handler a module exports, checked. `file` is absolute; `folderName`, for a handler folder,
 * is the name the handler must have.
 */
export function checkHandlerExports(exports: Record<string, unknown>, file: string, displayRoot: string, folderName?: string): CheckedHandler {
  const shown = relative(displayRoot, file) || file;
  const candidates = Object.entries(exports).filter(([, value]) => looksLikeHandler(value));
  if (candidates.length === 0) {
    const found = Object.keys(exports);
    return {
      issues: [
        {
          file: shown,
          line: 1,
          column: 1,
          path: '',
          message: `exports no handler${found.length ? ` (it exports ${found.join(', ')})` : ''}; expected one export like \`export const myHandler: HandlerDefinition = { name, description, spec, accepts, emits, createStep }\``,
        },
      ],
    };
  }
  if (candidates.length > 1) {
    const [, second] = candidates;
    return { issues: [{ file: shown, ...exportPosition(file, second![0]), path: '', message: `exports ${candidates.length} handlers (${candidates.map(([name]) => name).join(', ')}); a module registers exactly one` }] };
  }
  const [exported, value] = candidates[0]!;
  const at = exportPosition(file, exported);
  const issueAt = (path: readonly PropertyKey[], message: string): ConfigIssue => ({ file: shown, ...at, path: formatPath([exported, ...path]), message });

  const parsed = definitionShape.safeParse(value);
  if (!parsed.success) return { issues: describeIssues(parsed.error.issues, value, definitionShape).map((issue) => issueAt(issue.path, issue.message)) };
  const handler = value as HandlerDefinition;
  if (folderName !== undefined && handler.name !== folderName) {
    return { issues: [issueAt(['name'], `expected ${JSON.stringify(folderName)}, the name of its folder, found ${JSON.stringify(handler.name)}: a handler folder is named as its handler`)] };
  }
  try {
    configJsonSchema(handler.spec);
  } catch (error) {
    return { issues: [issueAt(['spec'], (error as Error).message)] };
  }
  return { handler, issues: [] };
}
