import { Writable } from 'node:stream';
import { Sanitizer } from '../core.ts';
import type { SourceRecord } from '../input/source-record.ts';
import type { ColumnReading } from '../rules/column-rule.ts';
import { compileColumn } from '../rules/column-rule.ts';
import type { ColumnRuleInput } from '../rules/column-spec.ts';
import { columnRuleSpec } from '../rules/column-spec.ts';
import { sanitizeSpec } from '../spec.ts';
import type { SanitizeConfigInput } from '../spec.ts';
import type { RejectedItem, RowItem } from '../../../shared/contract/handler.ts';
import { createLogger } from '../../../shared/contract/logger.ts';
import type { Logger } from '../../../shared/contract/logger.ts';

/** A salt for tests, as a pipeline would get it from its environment. */
export const TEST_SALT = 'test-salt-0123456789abcdef';
export const TEST_ENV = { SLUICE_TEST_SALT: TEST_SALT };

/** One column's rule, parsed by the spec (so defaults apply and bad rules fail loudly) and compiled. */
export function column(rule: ColumnRuleInput | object = {}) {
  return compileColumn('c', columnRuleSpec.parse(rule));
}

/** The message of each failure, or the clean value. */
export function read(rule: ColumnRuleInput | object, raw: unknown): unknown {
  const reading: ColumnReading = column(rule).clean(raw);
  return reading.ok ? reading.value : reading.failures.map((failed) => `expected ${failed.expected}, found ${failed.found}`);
}

export const record = (row: number, values: Record<string, unknown>, problems: string[] = []): SourceRecord => ({ row, values, problems });

export function sanitizer(config: SanitizeConfigInput | object, env: NodeJS.ProcessEnv = TEST_ENV): Sanitizer {
  return new Sanitizer(sanitizeSpec.parse(config), { env });
}

/** Every item the core gives for these records, and the summary after them. */
export async function sanitizeAll(config: SanitizeConfigInput | object, records: SourceRecord[], env: NodeJS.ProcessEnv = TEST_ENV) {
  const run = sanitizer(config, env);
  const items: (RowItem | RejectedItem)[] = [];
  for await (const item of run.sanitize(records, 's3://b/k#e')) items.push(item);
  return {
    items,
    rows: items.filter((item): item is RowItem => item.kind === 'row').map((item) => item.row),
    rejected: items.filter((item): item is RejectedItem => item.kind === 'rejected'),
    summary: run.summary(),
  };
}

/** A logger at debug level whose JSON lines are kept, to check what reaches logs. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

