import type { HandlerDefinition, ObjectItem, RowItem, Step } from '../../shared/contract/handler.ts';
import { Sanitizer, sourceName } from './core.ts';
import type { ByteSource } from './input/read-records.ts';
import { readRecordBatches } from './input/read-records.ts';
import { DedupeKeys } from './dedupe-keys.ts';
import { sanitizeSpec } from './spec.ts';
import type { SanitizeConfig } from './spec.ts';

export { Sanitizer, sourceName } from './core.ts';
export type { SanitizerOptions } from './core.ts';
export { sanitizeSpec } from './spec.ts';
export type { ColumnRule, ColumnRuleInput, SanitizeConfig, SanitizeConfigInput } from './spec.ts';
export type { SanitizeSummary } from './tally.ts';

async function* single(buffer: Buffer): AsyncIterable<Uint8Array> {
  yield buffer;
}

function createSanitizeStep(config: SanitizeConfig): Step<ObjectItem, RowItem> {
  return async function* sanitizeStep(items, ctx) {
    // Per invocation: the salt is read from the environment as it is now, and a missing one fails
    // this source (quarantined, to replay) before a record is read.
    const sanitizer = new Sanitizer(config);
    for await (const item of items) {
      const body: ByteSource = Buffer.isBuffer(item.body) ? single(item.body) : item.body;
      const contentType = item.contentType ?? ctx.source?.contentType;
      const batches = readRecordBatches(body, config.input, { ...(ctx.source ? { key: ctx.source.key } : {}), ...(contentType ? { contentType } : {}) });
      const keys = new DedupeKeys();
      const source = sourceName(ctx.source);
      try {
        for await (const batch of batches) yield* sanitizer.cleanBatch(batch, source, keys);
      } finally {
        keys.close();
      }
    }
    const summary = sanitizer.summary();
    // Counts only: no value from the data is ever logged.
    ctx.logger.debug({ step: 'sanitize', key: ctx.source?.key, rowsIn: summary.rowsIn, clean: summary.clean, rejected: summary.rejected, deduplicated: summary.deduplicated }, 'sanitized object');
    ctx.report?.(summary);
  };
}

export const sanitizeHandler: HandlerDefinition<typeof sanitizeSpec, 'object', 'row'> = {
  name: 'sanitize',
  accepts: ['object'],
  emits: 'row',
  description:
    'Cleans the rows of CSV, NDJSON and JSON-array objects, streamed in constant memory: per-column rules (type, trim, case, Unicode normalization, required, default, pattern, range, enum, date formats to ISO-8601, emails, phone numbers to E.164), PII columns hashed (salted), masked, redacted or dropped, free text scanned for emails, phone numbers and card numbers, rows deduplicated by key. Clean rows go on to the output; a row that fails is rejected with every reason and quarantined (PII rules applied), and a summary counts rows in, clean, rejected by reason and deduplicated. No message ever repeats a value.',
  spec: sanitizeSpec,
  // Memory stays flat (dedupe digests past 16 MB go to /tmp); more memory also buys Lambda CPU, and a
  // large file takes minutes (about 150,000 rows a second on one core here), so the timeout leaves room.
  lambda: { memorySize: 512, timeout: 300 },
  createStep: createSanitizeStep,
};
