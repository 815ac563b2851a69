import { z } from 'zod';
import { bucketName, tableName } from '../../engine/pipeline/schema.ts';

/**
 * A pipeline test file (`<name>.test.yml`, beside the pipelines): what a case feeds the project
 * (objects uploaded through the embedded S3, items written to tables through the embedded
 * DynamoDB, so their change streams trigger pipelines as any client's writes do) and what the
 * pipelines must have made of it (objects, table items, quarantined sources and stream records).
 * Declared once here; the types below are derived from it. What the shape cannot say (tables
 * declared in resources.yml, items carrying their table's key) is checked in load-test-file.ts.
 */
const putSpec = z
  .object({
    bucket: bucketName.describe('Bucket to upload into (declared in resources.yml).'),
    key: z.string().min(1).describe('Object key.'),
    file: z.string().min(1).describe('Local file to upload, relative to the test file.'),
  })
  .strict();

// Plain YAML values, written with DynamoDB's document mapping: numbers as N, strings as S, lists as L, mappings as M.
const itemSpec = z.record(z.string().min(1), z.unknown());

// One object with `put` or `delete` rather than a union of two: a write naming both, or neither,
// gets one plain message instead of a union's "matches no form".
const writeSpec = z
  .object({
    table: tableName.describe('Table to write to (declared in resources.yml).'),
    put: itemSpec.optional().describe("PutItem: the whole item, with its table's key attributes. An item whose key exists already is replaced (a MODIFY record)."),
    delete: itemSpec.optional().describe("DeleteItem: exactly the table's key attributes (a REMOVE record when the item exists)."),
  })
  .strict()
  .superRefine((write, ctx) => {
    if (write.put && write.delete) ctx.addIssue({ code: 'custom', message: 'expected "put" or "delete", found both: make them two writes' });
    else if (!write.put && !write.delete) ctx.addIssue({ code: 'custom', message: 'expected "put" (an item to write) or "delete" (the key of an item to delete), found neither' });
  })
  .describe('One write: `put` an item (PutItem) or `delete` one (DeleteItem).');

const imageSpec = z
  .object({
    format: z.string().min(1).optional().describe('sharp format name: jpeg, png, webp, avif, ...'),
    width: z.number().int().min(1).optional().describe('Width in pixels.'),
    height: z.number().int().min(1).optional().describe('Height in pixels.'),
    noMetadata: z.literal(true).optional().describe('No EXIF, ICC or XMP metadata left in the image.'),
  })
  .strict();

const expectedObjectSpec = z
  .object({
    bucket: bucketName,
    key: z.string().min(1),
    contentType: z.string().min(1).optional().describe('Expected Content-Type.'),
    image: imageSpec.optional().describe('Checks on the decoded image (sharp metadata).'),
  })
  .strict();

const expectedQuarantineSpec = z
  .object({
    bucket: bucketName.describe('The source bucket of the quarantined object.'),
    key: z.string().min(1).describe('The source key of the quarantined object.'),
    code: z.string().min(1).describe('The `error.code` in its `.error.json`.'),
  })
  .strict();

const expectedItemSpec = z
  .object({
    table: tableName.describe('The table (declared in resources.yml).'),
    item: itemSpec.describe(
      'Its key attributes (which item) and the attributes it must have, each equal: numbers by decimal value (30.5 equals 30.50), lists and mappings element by element. Attributes not listed are not compared; `_sluice` bookkeeping never is.',
    ),
  })
  .strict();

const keyValue = z.union([z.string(), z.number()]);

const expectedRejectedSpec = z
  .object({
    table: tableName.describe("The table whose stream record was rejected: the pipeline's trigger."),
    keys: z.record(z.string().min(1), keyValue).describe("The record's key attributes, exactly the table's key."),
    field: z.string().min(1).optional().describe('A field among the reasons it was rejected for. Leave out to accept any reason.'),
  })
  .strict();

const expectSpec = z
  .object({
    objects: z.array(expectedObjectSpec).default([]).describe('Objects that must exist, with these properties.'),
    quarantined: z.array(expectedQuarantineSpec).default([]).describe('Exactly the sources the pipeline quarantines, each with its error code.'),
    items: z.array(expectedItemSpec).default([]).describe('Table items that must exist, with these attributes.'),
    rejected: z
      .array(expectedRejectedSpec)
      .default([])
      .describe('Exactly the stream records a step of the pipeline rejects (quarantined one by one, with their reasons). Any other rejected record or quarantined batch fails the case.'),
    onlyThese: z
      .boolean()
      .default(false)
      .describe("Nothing else in the outputs: no objects in the pipeline's output bucket and the buckets in `objects` but those listed, no items in its output table and the tables in `items` but those listed (the case's own uploads and writes aside)."),
  })
  .strict();

const testCaseSpec = z
  .object({
    name: z.string().min(1),
    put: z.array(putSpec).default([]).describe('Objects uploaded through the embedded S3, first; they trigger pipelines as any upload does.'),
    write: z
      .array(writeSpec)
      .default([])
      .describe("Table writes, after the uploads, one at a time in this order, through the embedded DynamoDB: they reach the table's stream, and the pipelines it triggers, as any client's writes do."),
    expect: expectSpec,
  })
  .strict()
  .superRefine((testCase, ctx) => {
    if (!testCase.put.length && !testCase.write.length) {
      ctx.addIssue({ code: 'custom', message: 'expected "put" (objects to upload) or "write" (items to write to tables), or both; found neither' });
    }
  });

export const testFileSpec = z
  .object({
    pipeline: z.string().min(1).describe('The pipeline under test (its quarantine and output bucket or table are checked).'),
    env: z
      .record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name: capitals, digits and "_"'), z.string())
      .optional()
      .describe('Environment variables set while the cases run, e.g. a test-only hashing salt (`SLUICE_PII_SALT`); the environment is restored after.'),
    cases: z.array(testCaseSpec).min(1),
  })
  .strict();

export type TestFile = z.output<typeof testFileSpec>;
export type TestCase = TestFile['cases'][number];
export type TableWrite = TestCase['write'][number];
export type ExpectedObject = TestCase['expect']['objects'][number];
export type ExpectedQuarantine = TestCase['expect']['quarantined'][number];
export type ExpectedItem = TestCase['expect']['items'][number];
export type ExpectedRejected = TestCase['expect']['rejected'][number];
