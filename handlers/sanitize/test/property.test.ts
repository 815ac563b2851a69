import { describe, expect, it } from 'vitest';
import { sanitizeHandler } from '../index.ts';
import type { SanitizeSummary } from '../index.ts';
import type { ObjectItem, RejectedItem, RowItem, StepSummary } from '../../../shared/contract/handler.ts';
import { seededRandom } from '../../../test/support/seeded-random.ts';
import { TEST_SALT, capturingLogger } from './helpers.ts';

/**
 * Generated files through the whole step (CSV reading included): valid rows, invalid ones,
 * duplicates, ragged rows, empty cells, free text with contact details. Whatever the mix, every
 * row read is clean, rejected or deduplicated, and no raw PII value reaches a reason, the
 * summary, a log line or the quarantined record.
 */

const COLUMNS = ['id', 'email', 'phone', 'amount', 'day', 'note'];
const config = sanitizeHandler.spec.parse({
  columns: {
    id: { required: true, pattern: 'o-[0-9]+' },
    email: { type: 'email', required: true, case: 'lower', pii: 'hash' },
    phone: { type: 'phone', country: 'US', pii: { mask: { keepLast: 4 } } },
    amount: { type: 'decimal', required: true, min: 0 },
    day: { type: 'date', formats: ['YYYY-MM-DD', 'DD/MM/YYYY'] },
    note: { maxLength: 60 },
  },
  dedupeBy: ['id'],
  scan: { columns: ['note'], country: 'US' },
  salt: { env: 'SLUICE_PROPERTY_SALT' },
});

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (random: Random, count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');

interface Generated {
  csv: string;
  rows: number;
  /** Every PII value written into the file. */
  pii: Set<string>;
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function generate(seed: number): Generated {
  const random = seededRandom(seed);
  const pii = new Set<string>();
  const ids: string[] = [];
  const lines = [COLUMNS.join(',')];
  const count = 20 + Math.floor(random() * 60);
  for (let i = 0; i < count; i++) {
    const kind = pick(random, ['valid', 'valid', 'valid', 'invalid', 'duplicate', 'ragged', 'empty'] as const);
    const email = pick(random, [`user${digits(random, 5)}@example.com`, `U${digits(random, 4)}.Name@Example.ORG`, `broken${digits(random, 4)}@nowhere`, `no-at-${digits(random, 6)}`]);
    const phone = pick(random, [`(415) 555-${digits(random, 4)}`, `+44 20 7946 ${digits(random, 4)}`, `555-${digits(random, 4)}`, `415${digits(random, 7)}`]);
    pii.add(email);
    pii.add(phone);
    const contact = pick(random, [`mail me at contact${digits(random, 4)}@example.net`, `call 212-555-${digits(random, 4)}`, 'card 4111 1111 1111 1111', 'nothing personal', '=cmd|calc']);
    if (/@|\d{4}/.test(contact)) pii.add(contact.replace(/^(mail me at|call|card) /, ''));
    let id = `o-${digits(random, 6)}`;
    if (kind === 'duplicate' && ids.length) id = pick(random, ids);
    ids.push(id);
    const amount = kind === 'invalid' ? pick(random, ['-1', 'abc', '1,5', '']) : `${Math.floor(random() * 1000)}.${digits(random, 2)}`;
    const day = pick(random, ['2026-11-29', '29/11/2026', '2026-02-30', '']);
    let cells = [id, email, phone, amount, day, `${contact}${random() < 0.2 ? '\nsecond line' : ''}`];
    if (kind === 'empty') cells = cells.map((cell, index) => (index === 1 || random() < 0.5 ? '' : cell));
    // Ragged rows lose or gain fields at the end, so the PII columns stay where the header says.
    if (kind === 'ragged') cells = random() < 0.5 ? cells.slice(0, 3 + Math.floor(random() * 2)) : [...cells, 'extra', 'more'];
    lines.push(cells.map(quote).join(','));
  }
  return { csv: `${lines.join(random() < 0.5 ? '\n' : '\r\n')}\n`, rows: count, pii };
}

async function run(file: Generated) {
  const { logger, lines } = capturingLogger();
  const summaries: StepSummary[] = [];
  const step = sanitizeHandler.createStep(config, sanitizeHandler.lambda!);
  async function* items(): AsyncIterable<ObjectItem> {
    yield { kind: 'object', body: Buffer.from(file.csv) };
  }
  const out: (RowItem | RejectedItem)[] = [];
  for await (const item of step(items(), { pipeline: 'p', source: { bucket: 'b', key: 'orders.csv', eTag: 'x' }, logger, report: (summary) => summaries.push(summary) })) out.push(item as RowItem | RejectedItem);
  return { out, lines, summary: summaries[0] as SanitizeSummary };
}

describe('generated files (seeded)', () => {
  it('always account for every row, and never let a raw PII value out', async () => {
    process.env.SLUICE_PROPERTY_SALT = TEST_SALT;
    try {
      for (let seed = 1; seed <= 60; seed++) {
        const file = generate(seed);
        const { out, lines, summary } = await run(file);
        const rows = out.filter((item) => item.kind === 'row');
        const rejected = out.filter((item): item is RejectedItem => item.kind === 'rejected');
        const where = `seed ${seed}`;
        expect(summary.rowsIn, where).toBe(file.rows);
        expect(summary.rowsIn, where).toBe(summary.clean + summary.rejected + summary.deduplicated);
        expect(rows.length, where).toBe(summary.clean);
        expect(rejected.length, where).toBe(summary.rejected);
        const reasonCount = Object.values(summary.rejectedByReason).reduce((sum, n) => sum + n, 0);
        expect(reasonCount, where).toBe(rejected.reduce((sum, item) => sum + item.reasons.length, 0));
        const ids = rows.map((item) => (item as RowItem).row.id);
        expect(new Set(ids).size, where).toBe(ids.length);
        const leaks = [JSON.stringify(rejected.map((item) => item.reasons)), JSON.stringify(summary), lines.join('\n'), JSON.stringify(rejected.map((item) => item.record)), JSON.stringify(rows)];
        for (const value of file.pii) for (const text of leaks) expect(text.includes(value), `${where}: ${value}`).toBe(false);
        expect(lines.join('\n')).not.toContain(TEST_SALT);
      }
    } finally {
      delete process.env.SLUICE_PROPERTY_SALT;
    }
  });
});
