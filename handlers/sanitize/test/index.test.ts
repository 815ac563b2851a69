import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { sanitizeHandler } from '../index.ts';
import type { SanitizeConfigInput } from '../index.ts';
import { loadProjectRegistry } from '../../../shared/workbench/project/project-handlers.ts';
import type { ObjectItem, RejectedItem, RowItem, StepContext, StepSummary } from '../../../shared/contract/handler.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { repoRoot } from '../../../test/support/paths.ts';

const SAMPLE = join(repoRoot, 'pipelines/samples/uploads/orders/orders-2026-11-29.csv');

async function flagshipConfig(): Promise<SanitizeConfigInput> {
  const pipeline = parseYaml(await readFile(join(repoRoot, 'pipelines/orders-ingest.yml'), 'utf8')) as { steps: { sanitize: SanitizeConfigInput }[] };
  return pipeline.steps[0]!.sanitize;
}

async function runStep(config: SanitizeConfigInput, objects: ObjectItem[], ctx: Partial<StepContext> = {}) {
  const summaries: StepSummary[] = [];
  const step = sanitizeHandler.createStep(sanitizeHandler.spec.parse(config), sanitizeHandler.lambda!);
  async function* source(): AsyncIterable<ObjectItem> {
    yield* objects;
  }
  const out: (RowItem | RejectedItem)[] = [];
  const context: StepContext = {
    pipeline: 'orders-ingest',
    source: { bucket: 'uploads', key: 'orders/orders-2026-11-29.csv', eTag: 'e7a1' },
    logger: createSilentLogger(),
    report: (summary) => summaries.push(summary),
    ...ctx,
  };
  for await (const item of step(source(), context)) out.push(item as RowItem | RejectedItem);
  return { out, rows: out.filter((item): item is RowItem => item.kind === 'row'), rejected: out.filter((item): item is RejectedItem => item.kind === 'rejected'), summaries };
}

describe('sanitize handler', () => {
  it('is registered as "sanitize", takes objects, gives rows', async () => {
    expect(sanitizeHandler.name).toBe('sanitize');
    // The project's registry: the built-in handler here, a fork's own folder in a fork (sluice fork sanitize --as NAME).
    expect((await loadProjectRegistry(repoRoot)).get(sanitizeHandler.name)).toBe(sanitizeHandler);
    expect(sanitizeHandler.accepts).toEqual(['object']);
    expect(sanitizeHandler.emits).toBe('row');
    expect(sanitizeHandler.description.length).toBeGreaterThan(80);
  });

  it('cleans the shipped sample orders with the shipped pipeline: every row accounted for', async () => {
    process.env.SLUICE_PII_SALT = 'sample-salt-for-the-handler-test';
    try {
      const { rows, rejected, summaries } = await runStep(await flagshipConfig(), [{ kind: 'object', body: createReadStream(SAMPLE), contentType: 'text/csv' }]);
      expect(summaries).toEqual([
        {
          rowsIn: 14,
          clean: 8,
          rejected: 5,
          deduplicated: 1,
          rejectedByReason: {
            'customer_email: not an email': 1,
            'amount: below minimum': 1,
            'currency: not an allowed value': 1,
            'created_at: not a date-time': 1,
            "record: expected N fields (the header's), found N": 1,
          },
          redacted: { email: 0, phone: 1, card: 1 },
        },
      ]);
      expect(rows.map((item) => item.row.order_id)).toEqual(['ord-0001', 'ord-0002', 'ord-0003', 'ord-0004', 'ord-0005', 'ord-0006', 'ord-0012', 'ord-0013']);
      expect(rows[2]).toEqual({
        kind: 'row',
        origin: { source: 's3://uploads/orders/orders-2026-11-29.csv#e7a1', position: '4' },
        row: {
          order_id: 'ord-0003',
          customer_email: expect.stringMatching(/^[0-9a-f]{64}$/),
          phone: '********0199',
          amount: 164.48,
          currency: 'USD',
          created_at: '2026-11-27T15:21:00Z',
          country: 'US',
          note: 'call me at [REDACTED] before delivery',
        },
      });
      expect(rows[5]!.row.note).toBe('line one\nline two of the note');
      expect(rows[7]!.row.note).toBe('Ünïcödé ✓ note');
      expect(rejected.map((item) => [item.origin.position, item.reasons.map((reason) => reason.field ?? '(record)')])).toEqual([
        ['9', ['customer_email']],
        ['10', ['amount']],
        ['11', ['currency']],
        ['12', ['created_at']],
        ['14', ['(record)']],
      ]);
      const quarantined = JSON.stringify(rejected);
      for (const raw of ['gus@example', 'hana@example.com', '415-555-0188', 'kim@example.com']) expect(quarantined).not.toContain(raw);
    } finally {
      delete process.env.SLUICE_PII_SALT;
    }
  });

  it('reads a buffer body, detects NDJSON from the key, and reports over every object of the invocation', async () => {
    const body = Buffer.from('{"id":"1","n":"2"}\n{"id":"2","n":"x"}\nnot json\n');
    const { rows, rejected, summaries } = await runStep({ columns: { id: {}, n: { type: 'integer' } } }, [{ kind: 'object', body }], { source: { bucket: 'b', key: 'in/data.ndjson' } });
    expect(rows).toEqual([{ kind: 'row', row: { id: '1', n: 2 }, origin: { source: 's3://b/in/data.ndjson', position: '1' } }]);
    expect(rejected.map((item) => item.origin.position)).toEqual(['2', '3']);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ rowsIn: 3, clean: 1, rejected: 2, deduplicated: 0 });
  });

  it('fails the source before reading it when the salt is missing, naming the variable only', async () => {
    const config: SanitizeConfigInput = { columns: { email: { type: 'email', pii: 'hash' } }, salt: { env: 'SLUICE_UNSET_SALT_FOR_TEST' } };
    await expect(runStep(config, [{ kind: 'object', body: Buffer.from('email\na@b.co\n') }])).rejects.toThrow('salt: the environment variable SLUICE_UNSET_SALT_FOR_TEST is not set');
  });

  it('reports an empty file as nothing in', async () => {
    const { out, summaries } = await runStep({ columns: { id: {} } }, [{ kind: 'object', body: Buffer.from('id\n') }]);
    expect(out).toEqual([]);
    expect(summaries[0]).toMatchObject({ rowsIn: 0, clean: 0, rejected: 0, deduplicated: 0 });
  });
});
