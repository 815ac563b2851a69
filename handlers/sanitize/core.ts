import type { RejectReason, RejectedItem, RowItem, SourceObject } from '../../shared/contract/handler.ts';
import { DedupeKeys } from './dedupe-keys.ts';
import type { SourceRecord } from './input/source-record.ts';
import { createHasher } from './pii/actions.ts';
import { resolveSalt } from './pii/salt.ts';
import type { RecordCleaner } from './rules/record-cleaner.ts';
import { createRecordCleaner } from './rules/record-cleaner.ts';
import type { SanitizeConfig } from './spec.ts';
import type { SanitizeSummary } from './tally.ts';
import { SanitizeTally } from './tally.ts';

/**
 * The sanitize core: records in (as the input layer reads them), clean rows and rejected records
 * out, one at a time, so memory stays flat whatever the file's size (the dedupe keys of one file
 * spill to temporary files past a bound: see `DedupeKeys`). No AWS import and no I/O: the pipeline's step
 * feeds it records read from S3, a test feeds it an array.
 */

/** `s3://bucket/key#etag`: the object version rows and rejections come from. */
export function sourceName(source: SourceObject | undefined): string {
  if (!source) return 'input';
  return `s3://${source.bucket}/${source.key}${source.eTag ? `#${source.eTag}` : ''}`;
}

export interface SanitizerOptions {
  /** Where `salt: { env: NAME }` is read. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export class Sanitizer {
  private readonly cleaner: RecordCleaner;
  private readonly tally = new SanitizeTally();

  /** Throws a `SaltError` when a column hashes and the salt's environment variable is not set. */
  constructor(config: SanitizeConfig, options: SanitizerOptions = {}) {
    const hasher = config.salt === undefined ? undefined : createHasher(resolveSalt(config.salt, options.env ?? process.env));
    this.cleaner = createRecordCleaner(config, hasher, this.tally.redacted);
  }

  /**
   * The records of one file: a clean row for each record that passes every rule (unless its
   * dedupe key was already seen in this file), a rejected item with every reason for the others.
   * `source` names the file in each item's origin, with the record's row as its position.
   */
  async *sanitize(records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>, source: string): AsyncGenerator<RowItem | RejectedItem> {
    const keys = new DedupeKeys();
    try {
      for await (const record of records) yield* this.cleanBatch([record], source, keys);
    } finally {
      keys.close();
    }
  }

  /**
   * The same for the batches of one file the input layer has ready, without a promise per record:
   * `keys` is the file's dedupe set, shared by its batches.
   */
  *cleanBatch(records: readonly SourceRecord[], source: string, keys: DedupeKeys): Generator<RowItem | RejectedItem> {
    const tally = this.tally;
    for (const record of records) {
      tally.rowsIn++;
      const outcome = this.cleaner.clean(record);
      const origin = { source, position: String(record.row) };
      if (!outcome.ok) {
        tally.reject(outcome.reasons);
        const reasons: RejectReason[] = outcome.reasons.map(({ field, message }) => (field === undefined ? { message } : { field, message }));
        yield { kind: 'rejected', origin, reasons, record: outcome.record };
        continue;
      }
      if (outcome.dedupeKey !== undefined && !keys.add(outcome.dedupeKey)) {
        tally.deduplicated++;
        continue;
      }
      tally.clean++;
      yield { kind: 'row', row: outcome.row, origin };
    }
  }

  /** The counts so far, over every file given to `sanitize`. */
  summary(): SanitizeSummary {
    return this.tally.summary();
  }
}
