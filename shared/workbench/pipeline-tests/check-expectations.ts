import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { DispatchFailure } from '../local/dispatcher.ts';
import { scanItems } from '../local/table-items.ts';
import type { Resources } from '../../engine/pipeline/resources.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { StreamBatchResult } from '../../engine/runtime/handle-stream-event.ts';
import type { ObjectResult } from '../../engine/runtime/process-object.ts';
import { openObject } from '../../engine/runtime/object-io.ts';
import { QUARANTINE_REASON_SUFFIX } from '../../engine/pipeline/quarantine-keys.ts';
import { quarantineKey } from '../../engine/runtime/quarantine.ts';
import { checkItems } from './check-items.ts';
import { checkRejected } from './check-rejected.ts';
import { listKeys } from './list-keys.ts';
import { readStreamQuarantine } from './stream-quarantine.ts';
import type { ExpectedObject, ExpectedQuarantine, TestCase } from './test-file-spec.ts';

/** What happened during one case, as the local runtime reported it. */
export interface CaseOutcome {
  results: ObjectResult[];
  failures: DispatchFailure[];
  /** Every stream batch a table-triggered pipeline processed, in order. */
  batches: StreamBatchResult[];
}

/** The stores a case ran on and the project it ran, as `startLocalRuntime` gives them. */
export interface CaseStores {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  /** Every pipeline of the project: any of them may quarantine what the case did not expect. */
  pipelines: readonly Pipeline[];
  resources: Resources;
}

async function readBody(s3: S3Client, bucket: string, key: string): Promise<{ body: Buffer; contentType?: string } | undefined> {
  const object = await openObject(s3, bucket, key);
  if (!object?.Body) return undefined;
  return { body: Buffer.from(await object.Body.transformToByteArray()), ...(object.ContentType ? { contentType: object.ContentType } : {}) };
}

async function checkImage(body: Buffer, expected: NonNullable<ExpectedObject['image']>, where: string): Promise<string[]> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(body).metadata();
  } catch (error) {
    return [`${where}: expected an image, but sharp cannot read it (${(error as Error).message})`];
  }
  const problems: string[] = [];
  for (const field of ['format', 'width', 'height'] as const) {
    const want = expected[field];
    if (want !== undefined && meta[field] !== want) problems.push(`${where}: expected ${field} ${want}, found ${meta[field] ?? 'none'}`);
  }
  if (expected.noMetadata) {
    const left = [meta.exif && 'EXIF', meta.icc && 'ICC', meta.xmp && 'XMP'].filter(Boolean);
    if (left.length) problems.push(`${where}: expected no metadata, found ${left.join(', ')}`);
  }
  return problems;
}

async function checkObject(s3: S3Client, expected: ExpectedObject): Promise<string[]> {
  const where = `${expected.bucket}/${expected.key}`;
  const object = await readBody(s3, expected.bucket, expected.key);
  if (!object) return [`${where}: expected to exist, not found`];
  const problems: string[] = [];
  if (expected.contentType && object.contentType !== expected.contentType) {
    problems.push(`${where}: expected content type ${expected.contentType}, found ${object.contentType ?? 'none'}`);
  }
  if (expected.image) problems.push(...(await checkImage(object.body, expected.image, where)));
  return problems;
}

async function checkQuarantined(s3: S3Client, pipeline: Pipeline, expected: ExpectedQuarantine): Promise<string[]> {
  const bucket = pipeline.onError.quarantine.bucket;
  const key = quarantineKey(pipeline.onError, pipeline.name, { bucket: expected.bucket, key: expected.key });
  const source = `${expected.bucket}/${expected.key}`;
  const problems: string[] = [];
  if (!(await readBody(s3, bucket, key))) problems.push(`${bucket}/${key}: expected the quarantined copy of ${source}, not found`);
  const report = await readBody(s3, bucket, key + QUARANTINE_REASON_SUFFIX);
  if (!report) return [...problems, `${bucket}/${key}${QUARANTINE_REASON_SUFFIX}: expected the reason ${source} was quarantined, not found`];
  const code = (JSON.parse(report.body.toString('utf8')) as { error?: { code?: string } }).error?.code;
  if (code !== expected.code) problems.push(`${bucket}/${key}${QUARANTINE_REASON_SUFFIX}: expected error code ${expected.code}, found ${code ?? 'none'}`);
  return problems;
}

/** The tables whose items the case checks: those it lists items of, and with `onlyThese` the pipeline's output table. */
async function readTables(stores: CaseStores, pipeline: Pipeline, testCase: TestCase): Promise<{ tables: Map<string, Record<string, unknown>[]>; onlyThese: string[] }> {
  const onlyThese = testCase.expect.onlyThese ? [...(isBucketOutput(pipeline.to) ? [] : [pipeline.to.table]), ...testCase.expect.items.map((i) => i.table)] : [];
  const tables = new Map<string, Record<string, unknown>[]>();
  for (const table of new Set([...testCase.expect.items.map((i) => i.table), ...onlyThese])) tables.set(table, await scanItems(stores.dynamodb, table));
  return { tables, onlyThese };
}

/** When the pipeline under test reads a stream that delivered it nothing, that is the likeliest reason its output is missing. */
function neverInvoked(pipeline: Pipeline, outcome: CaseOutcome): string | undefined {
  if (isBucketTrigger(pipeline.on) || outcome.batches.some((batch) => batch.pipeline === pipeline.name)) return undefined;
  return `${pipeline.name}: no stream batch of table ${pipeline.on.table} reached it (does the case write to that table, and do on.filters let the writes through?)`;
}

/** Every way the case's outcome differs from what it expects, one message each; empty when it passed. */
export async function checkExpectations(stores: CaseStores, pipeline: Pipeline, testCase: TestCase, outcome: CaseOutcome): Promise<string[]> {
  const { s3, resources } = stores;
  const { expect } = testCase;
  const problems: string[] = [];
  for (const failure of outcome.failures) {
    problems.push(`${failure.pipeline}: invocation failed outright: ${failure.error instanceof Error ? failure.error.message : String(failure.error)}`);
  }
  // Each case starts from empty buckets, so any quarantine not listed is a surprise worth failing on.
  for (const result of outcome.results.filter((r) => r.status === 'quarantined')) {
    const listed = result.pipeline === pipeline.name && expect.quarantined.some((q) => q.bucket === result.source.bucket && q.key === result.source.key);
    if (!listed) problems.push(`${result.source.bucket}/${result.source.key}: quarantined by ${result.pipeline}, not expected (${result.error?.code}: ${result.error?.message})`);
  }
  problems.push(...checkRejected({ expected: expect.rejected, files: await readStreamQuarantine(s3, stores.pipelines), pipeline: pipeline.name, resources }));
  for (const expected of expect.objects) problems.push(...(await checkObject(s3, expected)));
  for (const expected of expect.quarantined) problems.push(...(await checkQuarantined(s3, pipeline, expected)));
  if (expect.onlyThese) {
    const buckets = new Set([...(isBucketOutput(pipeline.to) ? [pipeline.to.bucket] : []), ...expect.objects.map((o) => o.bucket)]);
    for (const bucket of [...buckets].sort()) {
      // The case's own uploads may sit in an output bucket too: they were not written by a pipeline.
      const listed = new Set([...expect.objects, ...testCase.put].filter((o) => o.bucket === bucket).map((o) => o.key));
      for (const key of await listKeys(s3, bucket)) {
        if (!listed.has(key)) problems.push(`${bucket}/${key}: written, but not listed (onlyThese)`);
      }
    }
  }
  const { tables, onlyThese } = await readTables(stores, pipeline, testCase);
  const itemProblems = checkItems({ expected: expect.items, tables, resources, onlyTheseTables: onlyThese, written: testCase.write });
  problems.push(...itemProblems);
  const hint = itemProblems.length ? neverInvoked(pipeline, outcome) : undefined;
  if (hint) problems.push(hint);
  return problems;
}
