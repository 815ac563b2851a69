import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { _Object } from '@aws-sdk/client-s3';
import { BATCH_SUFFIXES, QUARANTINE_REASON_SUFFIX, REJECTED_RECORDS_SUFFIX } from '../../engine/pipeline/quarantine-keys.ts';
import { openObject } from '../../engine/runtime/object-io.ts';
import type { QuarantineEntry } from './api-types.ts';

/** Entries shown, newest first. */
const SHOWN_ENTRIES = 200;
/** Rejected records shown per file, and the bytes read to find them. */
const SHOWN_RECORDS = 50;
const READ_BYTES = 256 * 1024;

type RecordLine = NonNullable<QuarantineEntry['records']>[number];

interface Line {
  source?: string;
  position?: string;
  step?: string;
  reasons?: RecordLine['reasons'];
}

async function listAll(s3: S3Client, bucket: string): Promise<_Object[]> {
  const objects: _Object[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    objects.push(...(page.Contents ?? []));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function readJson(s3: S3Client, bucket: string, key: string): Promise<Record<string, unknown> | undefined> {
  const object = await openObject(s3, bucket, key);
  try {
    return object?.Body ? (JSON.parse(await object.Body.transformToString('utf8')) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const recordLine = (line: Line): RecordLine => ({ ...(line.position !== undefined ? { position: String(line.position) } : {}), ...(line.step ? { step: line.step } : {}), reasons: line.reasons ?? [] });

/** The first rejected records of a `.rejected.ndjson` file, without reading a large one whole. */
async function readRejections(s3: S3Client, bucket: string, key: string, size: number): Promise<{ records: RecordLine[]; count?: number }> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(size > READ_BYTES ? { Range: `bytes=0-${READ_BYTES - 1}` } : {}) }));
  const text = (await Body?.transformToString('utf8')) ?? '';
  const lines = text.split('\n');
  if (size > READ_BYTES) lines.pop(); // cut off mid-line
  const records = lines.filter((line) => line.trim()).flatMap((line) => {
    try {
      return [recordLine(JSON.parse(line) as Line)];
    } catch {
      return [];
    }
  });
  return { records: records.slice(0, SHOWN_RECORDS), ...(size > READ_BYTES ? {} : { count: records.length }) };
}

/** `<prefix><pipeline>/<source>/<rest>`: the pipeline and the source's bucket or table from a key's layout. */
function layout(key: string, prefixes: readonly string[]): { pipeline: string; source: string; rest: string } | undefined {
  const prefix = prefixes.find((candidate) => key.startsWith(candidate)) ?? '';
  const [pipeline, source, ...rest] = key.slice(prefix.length).split('/');
  return pipeline && source && rest.length ? { pipeline, source, rest: rest.join('/') } : undefined;
}

const errorOf = (value: unknown): QuarantineEntry['error'] => {
  const error = value as { code?: unknown; message?: unknown; step?: unknown } | undefined;
  if (!error || typeof error.message !== 'string') return undefined;
  return { code: String(error.code ?? ''), message: error.message, ...(typeof error.step === 'string' ? { step: error.step } : {}) };
};

async function entryOf(s3: S3Client, bucket: string, object: _Object, prefixes: readonly string[]): Promise<QuarantineEntry | undefined> {
  const key = object.Key ?? '';
  const where = layout(key, prefixes);
  if (!where) return undefined;
  const time = object.LastModified?.toISOString();
  const base = { bucket, key, pipeline: where.pipeline, ...(time ? { time } : {}) };
  if (key.endsWith(QUARANTINE_REASON_SUFFIX)) {
    const report = await readJson(s3, bucket, key);
    const error = errorOf(report?.error);
    const copyKey = key.slice(0, -QUARANTINE_REASON_SUFFIX.length);
    return { ...base, kind: 'object', source: `${where.source}/${where.rest.slice(0, -QUARANTINE_REASON_SUFFIX.length)}`, ...(report?.sourceCopied ? { copyKey } : {}), ...(error ? { error } : {}) };
  }
  if (key.endsWith(REJECTED_RECORDS_SUFFIX)) {
    const { records, count } = await readRejections(s3, bucket, key, object.Size ?? 0);
    return { ...base, kind: 'rejected-records', source: `${where.source}/${where.rest.slice(0, -REJECTED_RECORDS_SUFFIX.length)}`, records, ...(count !== undefined ? { recordCount: count } : {}) };
  }
  if (key.endsWith(BATCH_SUFFIXES.failed) || key.endsWith(BATCH_SUFFIXES.rejected)) {
    const report = await readJson(s3, bucket, key);
    const error = errorOf(report?.error);
    const source = `${where.source} stream`;
    if (key.endsWith(BATCH_SUFFIXES.failed)) {
      const records = Array.isArray(report?.records) ? report.records.length : undefined;
      return { ...base, kind: 'batch', source, ...(error ? { error } : {}), ...(records !== undefined ? { recordCount: records } : {}) };
    }
    return { ...base, kind: 'rejected-record', source, records: report ? [recordLine(report as Line)] : [], recordCount: 1 };
  }
  return undefined; // the quarantined copies themselves, and the pipelines' records of processed sources
}

/**
 * What the pipelines quarantined, newest first: objects that failed with their reasons, records a
 * step rejected with theirs, stream batches given up on. Read from the quarantine buckets'
 * layout (`<prefix><pipeline>/<source>/...`), as the runtime writes it.
 */
export async function listQuarantine(s3: S3Client, quarantines: readonly { bucket: string; prefix: string }[]): Promise<QuarantineEntry[]> {
  const buckets = [...new Set(quarantines.map((q) => q.bucket))];
  const found: { bucket: string; object: _Object; prefixes: string[] }[] = [];
  for (const bucket of buckets) {
    const prefixes = [...new Set(quarantines.filter((q) => q.bucket === bucket).map((q) => q.prefix))].sort((a, b) => b.length - a.length);
    for (const object of await listAll(s3, bucket)) {
      const key = object.Key ?? '';
      if ([QUARANTINE_REASON_SUFFIX, REJECTED_RECORDS_SUFFIX, ...Object.values(BATCH_SUFFIXES)].some((suffix) => key.endsWith(suffix))) found.push({ bucket, object, prefixes });
    }
  }
  found.sort((a, b) => (b.object.LastModified?.getTime() ?? 0) - (a.object.LastModified?.getTime() ?? 0));
  const entries = await Promise.all(found.slice(0, SHOWN_ENTRIES).map(({ bucket, object, prefixes }) => entryOf(s3, bucket, object, prefixes)));
  return entries.filter((entry): entry is QuarantineEntry => entry !== undefined);
}
