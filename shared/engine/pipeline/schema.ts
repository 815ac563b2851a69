import { z } from 'zod';
import { MAX_FILTERS, filterPatternSpec } from './filter-pattern.ts';
import { KEY_PLACEHOLDERS, SOURCE_KEY_PLACEHOLDERS } from './key-template.ts';
import type { HandlerRegistry } from '../registry.ts';
import type { PipelinePositions } from './positions.ts';

/**
 * The pipeline definition: a trigger (a bucket's object events or a table's stream), steps, an
 * output (a bucket with a key template, or a table), and where failures go. Declared once: the
 * `Pipeline` type, YAML validation, the JSON Schema for editors and the docs all come from here.
 */

// S3's rules for bucket names (3-63 chars, lowercase letters, digits, dots and hyphens).
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3-63 lowercase letters, digits, dots or hyphens')
  .describe('Bucket name, as S3 allows it.');

// DynamoDB's rules for table names.
export const tableName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a table name: 3-255 letters, digits, "_", "-" or "."')
  .describe('Table name, as DynamoDB allows it.');

const placeholderPattern = /\{([^{}]*)\}/g;

const keyTemplate = z
  .string()
  .min(1)
  .superRefine((template, ctx) => {
    for (const match of template.matchAll(placeholderPattern)) {
      const name = match[1] ?? '';
      if (!(KEY_PLACEHOLDERS as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {${name}} in key template; expected one of ${KEY_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        });
      }
    }
  })
  .describe('Key of each output object, with placeholders: {key} {dir} {name} {stem} {ext} {srcExt} {variant} {date} {pipeline} {bucket}.');

export const BUCKET_EVENTS = ['created', 'removed'] as const;
export type BucketEvent = (typeof BUCKET_EVENTS)[number];

export const bucketTriggerSpec = z
  .object({
    bucket: bucketName.describe('Bucket whose object events start the pipeline.'),
    events: z
      .array(z.enum(BUCKET_EVENTS))
      .min(1)
      .default(['created'])
      .describe('Which object events trigger the pipeline: `created` (every ObjectCreated:* event: the steps run and the outputs are written) and `removed` (every ObjectRemoved:* event: the outputs this pipeline made from the removed object are deleted).'),
    prefix: z.string().default('').describe('Only keys starting with this (case-sensitive, as S3 matches).'),
    suffix: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .transform((value) => (value === undefined ? [] : typeof value === 'string' ? [value] : value))
      .describe('Only keys ending with one of these (case-sensitive, as S3 matches: list `.JPG` too if wanted).'),
  })
  .strict();

export const STARTING_POSITIONS = ['TRIM_HORIZON', 'LATEST'] as const;

/**
 * A table stream trigger: the settings of Lambda's event source mapping for DynamoDB Streams,
 * with Lambda's own defaults (deployment tools differ: Serverless Framework v3 defaults to a batch
 * of 10 and TRIM_HORIZON; Sluice writes every setting out explicitly when it deploys).
 */
export const tableTriggerSpec = z
  .object({
    table: tableName.describe('Table whose change stream starts the pipeline; it must be declared in resources.yml with a `stream`.'),
    startingPosition: z
      .enum(STARTING_POSITIONS)
      .describe('Where the pipeline starts reading the stream the first time: `TRIM_HORIZON` (the oldest record still kept: 24 hours) or `LATEST` (changes made from then on). Required, as Lambda has no default. Later runs resume after the last acknowledged record.'),
    batchSize: z.number().int().min(1).max(10000).default(100).describe('Most records per invocation (Lambda: 1-10000, default 100).'),
    batchingWindow: z
      .number()
      .int()
      .min(0)
      .max(300)
      .default(0)
      .describe('Seconds to wait gathering records before invoking with fewer than `batchSize` (Lambda: 0-300, default 0).'),
    filters: z
      .array(filterPatternSpec)
      .max(MAX_FILTERS)
      .default([])
      .describe(`Lambda event filter patterns (FilterCriteria), applied to each stream record as Lambda delivers it (marshalled images, e.g. \`dynamodb: { NewImage: { status: { S: [paid] } } }\`): a record is delivered when it matches any pattern; records matching none are skipped, never retried. At most ${MAX_FILTERS}, as Lambda's default quota.`),
    retries: z
      .number()
      .int()
      .min(-1)
      .max(10000)
      .default(-1)
      .describe('Retries of a failed batch before it goes to the quarantine (Lambda\'s MaximumRetryAttempts: -1 means until the records expire, the default; 0-10000).'),
    maxRecordAge: z
      .union([z.literal(-1), z.number().int().min(60).max(604800)])
      .default(-1)
      .describe('Seconds after which an unprocessed record goes to the quarantine instead of the pipeline (Lambda\'s MaximumRecordAgeInSeconds: -1 means no limit, the default; 60-604800).'),
    bisectOnError: z
      .boolean()
      .default(false)
      .describe('On a failed batch, split it in two and retry each half, to isolate a bad record (Lambda\'s BisectBatchOnFunctionError; default false).'),
  })
  .strict();

export const rowsFormatSpec = z
  .object({
    format: z.enum(['csv', 'ndjson']).default('csv').describe('`csv` (a header from the first row) or `ndjson` (one JSON object per line, exact numbers). It is also `{ext}` in the key template.'),
    formulas: z
      .enum(['escape', 'keep'])
      .default('escape')
      .describe("CSV only: `escape` puts a `'` before every text cell starting with `=`, `+`, `-`, `@`, tab or carriage return, so spreadsheets do not run it as a formula (OWASP's advice on CSV injection; numbers are left alone); `keep` writes cells as they are."),
  })
  .strict();

export const bucketOutputSpec = z
  .object({
    bucket: bucketName.describe('Bucket the outputs are written to.'),
    key: keyTemplate.default('{key}'),
    rows: rowsFormatSpec.optional().describe('When the last step gives rows (sanitize): how they are written, one file per source object, streamed as a multipart upload. Default: CSV with formulas escaped.'),
  })
  .strict();

export type RowsFormat = z.output<typeof rowsFormatSpec>;
export const DEFAULT_ROWS_FORMAT: RowsFormat = { format: 'csv', formulas: 'escape' };

export const tableOutputSpec = z
  .object({
    table: tableName.describe('Table the outputs are written to: rows as items (batched), aggregates as one conditional update per group per batch.'),
  })
  .strict();

export const LAMBDA_ARCHITECTURES = ['arm64', 'x86_64'] as const;

/** How the pipeline's function runs on AWS Lambda; locally these only feed the cost estimate. */
export const lambdaSpec = z
  .object({
    memorySize: z
      .number()
      .int()
      .min(128)
      .max(10240)
      .optional()
      .describe("Memory of the pipeline's function, in MB (128-10240; Lambda gives CPU in proportion). Default: the largest its handlers ask for (resize 1536, sanitize 512, aggregate 256)."),
    timeout: z.number().int().min(1).max(900).optional().describe('Seconds an invocation may run (1-900). Default: the largest its handlers ask for (resize 60, sanitize 300, aggregate 60).'),
    architecture: z.enum(LAMBDA_ARCHITECTURES).default('arm64').describe('`arm64` (Graviton: about 20% cheaper per GB-second) or `x86_64`. sharp is packaged for the one chosen, whatever the build machine.'),
  })
  .strict();

/** Lambda retries a failed asynchronous invocation twice. */
export const DEFAULT_OBJECT_RETRIES = 2;

export const onErrorSpec = z
  .object({
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe(`Retries after a transient failure, for bucket triggers (default ${DEFAULT_OBJECT_RETRIES}: Lambda retries asynchronous invocations twice). Bad input is never retried. Table triggers retry whole batches instead: see \`on.retries\`.`),
    quarantine: z
      .object({
        bucket: bucketName.describe('Bucket that receives the failed source object and a `.error.json` with the reason.'),
        prefix: z.string().default('').describe('Key prefix inside the quarantine bucket.'),
      })
      .strict()
      .describe('Where what cannot be processed goes: for a bucket trigger, a copy of the source at <prefix><pipeline>/<source bucket>/<source key> and <that key>.error.json with the reason; for a table trigger (Lambda\'s on-failure destination), each failed batch or rejected record as JSON under <prefix><pipeline>/<table>/.'),
  })
  .strict();

/** A step as written: `- handlerName: { ...config }`. Its config is validated by the handler's own spec. */
export const stepSpec = z
  .record(z.string(), z.unknown())
  .refine((step) => Object.keys(step).length === 1, 'a step names exactly one handler, as `- resize: { ... }`');

export const pipelineSpec = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,62}$/, 'a pipeline name: lowercase letters, digits and hyphens, starting with a letter')
      .describe('Pipeline name, unique in the project.'),
    description: z.string().optional().describe('What the pipeline does, for people.'),
    on: z
      .union([bucketTriggerSpec, tableTriggerSpec])
      .describe('The trigger: object events in a bucket (`bucket:`), filtered by prefix and suffix as S3 filters notifications, or the change stream of a table (`table:`), delivered as Lambda\'s event source mapping does.'),
    steps: z.array(stepSpec).min(1).describe('Handlers applied in the order written.'),
    to: z.union([bucketOutputSpec, tableOutputSpec]).describe('Where the outputs of the last step are written: a bucket (`bucket:` and a `key` template) or a table (`table:`).'),
    onError: onErrorSpec.describe('Retries for transient failures, and the quarantine for what still fails.'),
    lambda: lambdaSpec.optional().describe("The pipeline's function on AWS Lambda: memory, timeout, architecture."),
  })
  .strict()
  .superRefine((pipeline, ctx) => {
    const fromTable = 'table' in pipeline.on;
    if (fromTable && pipeline.onError.retries !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['onError', 'retries'], message: 'a table trigger retries whole batches: set `on.retries` (Lambda\'s MaximumRetryAttempts) instead of `onError.retries`' });
    }
    if ('bucket' in pipeline.on && pipeline.on.events.includes('removed') && 'table' in pipeline.to) {
      ctx.addIssue({ code: 'custom', path: ['on', 'events'], message: 'a `removed` event deletes the objects the pipeline made from the removed object, which needs a bucket output (`to: { bucket, key }`)' });
    }
    if (fromTable && 'bucket' in pipeline.to) {
      const used = [...pipeline.to.key.matchAll(placeholderPattern)].map((match) => match[1] ?? '').filter((name) => (SOURCE_KEY_PLACEHOLDERS as readonly string[]).includes(name));
      if (used.length) {
        ctx.addIssue({ code: 'custom', path: ['to', 'key'], message: `a table trigger has no source object: ${[...new Set(used)].map((name) => `{${name}}`).join(', ')} cannot be used in the key template` });
      }
    }
  });

export type BucketTrigger = z.output<typeof bucketTriggerSpec>;
export type TableTrigger = z.output<typeof tableTriggerSpec>;
export type Trigger = BucketTrigger | TableTrigger;
export type BucketOutput = z.output<typeof bucketOutputSpec>;
export type TableOutput = z.output<typeof tableOutputSpec>;
export type Output = BucketOutput | TableOutput;
export type OnError = z.output<typeof onErrorSpec>;
export type LambdaSettings = z.output<typeof lambdaSpec>;
type PipelineDocument = z.output<typeof pipelineSpec>;

export interface PipelineStep {
  handler: string;
  config: unknown;
}

/** A loaded pipeline: validated, defaults applied, each step's config parsed by its handler's spec. */
export interface Pipeline extends Omit<PipelineDocument, 'steps'> {
  steps: PipelineStep[];
  /** The file it was loaded from, for messages. */
  file: string;
  /** Where the fields that project checks report on are in that file. */
  positions: PipelinePositions;
  /** The handlers its steps were checked against (built-in, the project's, its module steps): compiled with the same. */
  handlers: HandlerRegistry;
}

export function isBucketTrigger(trigger: Trigger): trigger is BucketTrigger {
  return 'bucket' in trigger;
}

export function isBucketOutput(output: Output): output is BucketOutput {
  return 'bucket' in output;
}
