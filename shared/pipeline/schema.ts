import { z } from 'zod';
import { KEY_PLACEHOLDERS } from './key-template.ts';
import type { PipelinePositions } from './positions.ts';

/**
 * The pipeline definition, first version: a bucket trigger, steps, an output bucket with a key
 * template, and an error destination. Declared once: the `Pipeline` type and YAML validation
 * both come from here.
 */

// S3's rules for bucket names (3-63 chars, lowercase letters, digits, dots and hyphens).
export const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3-63 lowercase letters, digits, dots or hyphens')
  .describe('Bucket name, as S3 allows it.');

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

export const bucketTriggerSpec = z
  .object({
    bucket: bucketName.describe('Bucket whose object events start the pipeline.'),
    events: z
      .array(z.literal('created'))
      .min(1)
      .default(['created'])
      .describe('Which object events trigger the pipeline. `created` covers every ObjectCreated:* event.'),
    prefix: z.string().default('').describe('Only keys starting with this (case-sensitive, as S3 matches).'),
    suffix: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .transform((value) => (value === undefined ? [] : typeof value === 'string' ? [value] : value))
      .describe('Only keys ending with one of these (case-sensitive, as S3 matches: list `.JPG` too if wanted).'),
  })
  .strict();

export const bucketOutputSpec = z
  .object({
    bucket: bucketName.describe('Bucket the outputs are written to.'),
    key: keyTemplate.default('{key}'),
  })
  .strict();

export const onErrorSpec = z
  .object({
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('Retries after a transient failure (Lambda retries asynchronous invocations twice). Bad input is never retried.'),
    quarantine: z
      .object({
        bucket: bucketName.describe('Bucket that receives the failed source object and a `.error.json` with the reason.'),
        prefix: z.string().default('').describe('Key prefix inside the quarantine bucket.'),
      })
      .strict()
      .describe('Where what cannot be processed goes: a copy of the source at <prefix><pipeline>/<source bucket>/<source key>, and <that key>.error.json with the reason.'),
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
    on: bucketTriggerSpec.describe('The trigger: object events in a bucket, filtered by prefix and suffix as S3 filters notifications.'),
    steps: z.array(stepSpec).min(1).describe('Handlers applied in the order written.'),
    to: bucketOutputSpec.describe('Where the outputs of the last step are written.'),
    onError: onErrorSpec.describe('Retries for transient failures, and the quarantine for what still fails.'),
  })
  .strict();

export type BucketTrigger = z.output<typeof bucketTriggerSpec>;
export type BucketOutput = z.output<typeof bucketOutputSpec>;
export type OnError = z.output<typeof onErrorSpec>;
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
}
