import { describe, expect, it } from 'vitest';
import { sanitizeHandler } from '../index.ts';
import type { ObjectItem, StepSummary } from '../../../shared/contract/handler.ts';
import { TEST_SALT, capturingLogger } from './helpers.ts';

// Values that must never reach a log line: PII, and the salt.
const EMAILS = ['ana.silva@example.com', 'Bad Email@example', 'zoe@example.org'];
const PHONES = ['(415) 555-0132', '415-555-01', '+44 20 7946 0958'];
const CARD = '4111 1111 1111 1111';

const csv = [
  'id,email,phone,amount,note',
  `1,${EMAILS[0]},${PHONES[0]},10.5,call ${PHONES[2]}`,
  `2,${EMAILS[1]},${PHONES[1]},x,card ${CARD}`,
  `3,${EMAILS[2]},${PHONES[2]},1`, // ragged: a field short
  `1,${EMAILS[0]},${PHONES[0]},10.5,again`,
].join('\n');

describe('what sanitize logs', () => {
  it('is counts: no raw PII value, no cell value and no salt reaches the logger, at debug level', async () => {
    process.env.SLUICE_LOG_TEST_SALT = TEST_SALT;
    try {
      const { logger, lines } = capturingLogger();
      const config = sanitizeHandler.spec.parse({
        columns: { id: { type: 'integer' }, email: { type: 'email', pii: 'hash' }, phone: { type: 'phone', country: 'US', pii: 'mask' }, amount: { type: 'decimal' }, note: {} },
        dedupeBy: ['id'],
        scan: { columns: ['note'], country: 'US' },
        salt: { env: 'SLUICE_LOG_TEST_SALT' },
      });
      const summaries: StepSummary[] = [];
      async function* items(): AsyncIterable<ObjectItem> {
        yield { kind: 'object', body: Buffer.from(csv) };
      }
      const step = sanitizeHandler.createStep(config, sanitizeHandler.lambda!);
      const out: unknown[] = [];
      for await (const item of step(items(), { pipeline: 'p', source: { bucket: 'b', key: 'k.csv' }, logger, report: (summary) => summaries.push(summary) })) out.push(item);
      expect(out).toHaveLength(3);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 20, step: 'sanitize', key: 'k.csv', rowsIn: 4, clean: 1, rejected: 2, deduplicated: 1, msg: 'sanitized object' });
      const logged = lines.join('\n');
      for (const value of [...EMAILS, ...PHONES, CARD, TEST_SALT, 'ana.silva', '555-0132', '10.5']) expect(logged).not.toContain(value);
      const reported = JSON.stringify(summaries);
      for (const value of [...EMAILS, ...PHONES, CARD, TEST_SALT]) expect(reported).not.toContain(value);
    } finally {
      delete process.env.SLUICE_LOG_TEST_SALT;
    }
  });
});
