import { z } from 'zod';
import { bucketName } from '../pipeline/schema.ts';

/**
 * A pipeline test file (`<name>.test.yml`, beside the pipelines): objects to upload and what the
 * pipelines must have made of them. Declared once here; the types below are derived from it.
 */
const putSpec = z
  .object({
    bucket: bucketName.describe('Bucket to upload into (declared in resources.yml).'),
    key: z.string().min(1).describe('Object key.'),
    file: z.string().min(1).describe('Local file to upload, relative to the test file.'),
  })
  .strict();

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

const expectSpec = z
  .object({
    objects: z.array(expectedObjectSpec).default([]).describe('Objects that must exist, with these properties.'),
    quarantined: z.array(expectedQuarantineSpec).default([]).describe('Exactly the sources the pipeline quarantines, each with its error code.'),
    onlyThese: z.boolean().default(false).describe('No other objects in the output buckets than those listed in `objects`.'),
  })
  .strict();

const testCaseSpec = z
  .object({
    name: z.string().min(1),
    put: z.array(putSpec).min(1).describe('Objects uploaded through the embedded S3; they trigger pipelines as any upload does.'),
    expect: expectSpec,
  })
  .strict();

export const testFileSpec = z
  .object({
    pipeline: z.string().min(1).describe('The pipeline under test (its quarantine and output bucket are checked).'),
    cases: z.array(testCaseSpec).min(1),
  })
  .strict();

export type TestFile = z.output<typeof testFileSpec>;
export type TestCase = TestFile['cases'][number];
export type ExpectedObject = TestCase['expect']['objects'][number];
export type ExpectedQuarantine = TestCase['expect']['quarantined'][number];
