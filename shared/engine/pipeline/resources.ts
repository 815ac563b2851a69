import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { z } from 'zod';
import type { ConfigIssue } from '../../contract/errors.ts';
import { describeIssues } from '../../contract/describe-issue.ts';
import { YamlSource } from './yaml-source.ts';
import { STREAM_VIEW_TYPES } from '../../contract/table-change.ts';
import { bucketName, tableName } from './schema.ts';

/**
 * The project's buckets and tables, declared once in `resources.yml` beside the pipelines: the
 * local runtime creates them, the deployment declares them, and every pipeline may use only these.
 */
export const RESOURCES_FILE = 'resources.yml';


const bucketSpec = z
  .object({
    existing: z
      .boolean()
      .optional()
      .describe('On AWS, the bucket exists already under exactly this name, outside the stack: the deployment adds its triggers to it but neither creates nor removes it. Locally it is created like any other. Default false: the stack creates the bucket (its name prefixed, as bucket names are global).'),
  })
  .strict()
  .describe('A bucket: `{}`, or `{ existing: true }` for one that exists on AWS already.');

const attributeSpec = z
  .object({
    name: z.string().min(1).describe('Attribute name.'),
    type: z.enum(['S', 'N', 'B']).describe('DynamoDB scalar type: S (string), N (number) or B (binary).'),
  })
  .strict();

const tableSpec = z
  .object({
    partitionKey: attributeSpec.describe('The partition (hash) key.'),
    sortKey: attributeSpec.optional().describe('The sort (range) key, if any.'),
    stream: z
      .enum(STREAM_VIEW_TYPES)
      .optional()
      .describe('The change stream and what its records carry; without it the table has no stream and cannot trigger pipelines.'),
  })
  .strict();

export const resourcesSpec = z
  .object({
    buckets: z.record(bucketName, bucketSpec).default({}).describe('Buckets by name.'),
    tables: z
      .record(tableName, tableSpec)
      .default({})
      .describe('DynamoDB tables by name.'),
  })
  .strict();

export type Resources = z.output<typeof resourcesSpec>;
export type TableResource = z.output<typeof tableSpec>;

function undeclared(kind: 'bucket' | 'table', name: string, declared: string[], file: string): string | undefined {
  if (declared.includes(name)) return undefined;
  const hint = declared.length ? ` (did you mean "${closest(name, declared)}"?); declared: ${declared.join(', ')}` : `; no ${kind}s are declared`;
  return `${kind} "${name}" is not declared in ${file}${hint}`;
}

/**
 * Why `bucket` may not be used, or undefined when it is declared: the one message for a pipeline
 * field, a test file or `--put` naming a bucket that `file` does not declare.
 */
export function undeclaredBucket(bucket: string, resources: Resources, file: string): string | undefined {
  return undeclared('bucket', bucket, Object.keys(resources.buckets), file);
}

/** The same, for a table. */
export function undeclaredTable(table: string, resources: Resources, file: string): string | undefined {
  return undeclared('table', table, Object.keys(resources.tables), file);
}

export interface LoadedResources {
  resources?: Resources;
  /** Where each bucket and table is declared, for messages. */
  file: string;
  issues: ConfigIssue[];
}

export function parseResources(text: string, file: string): LoadedResources {
  const source = new YamlSource(text, file);
  const syntax = source.syntaxIssues();
  if (syntax.length) return { file, issues: syntax };
  const data = source.toJS() ?? {};
  const result = resourcesSpec.safeParse(data);
  if (!result.success) return { file, issues: source.locate(describeIssues(result.error.issues, data, resourcesSpec)) };
  return { resources: result.data, file, issues: [] };
}

/** Reads `<dir>/resources.yml`; a project without one gets one clear problem, not a crash. */
export async function loadResources(dir: string, displayRoot = process.cwd()): Promise<LoadedResources> {
  const path = join(dir, RESOURCES_FILE);
  const file = relative(displayRoot, path) || path;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { file, issues: [{ file, line: 1, column: 1, path: '', message: `no ${RESOURCES_FILE}: declare the buckets (and tables) the pipelines use, e.g. "buckets: { uploads: {}, media: {} }"` }] };
  }
  return parseResources(text, file);
}
