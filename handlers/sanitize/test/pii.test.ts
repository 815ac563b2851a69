import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { maskText } from '../pii/actions.ts';
import { SaltError } from '../pii/salt.ts';
import { TEST_SALT, record, sanitizeAll, sanitizer } from './helpers.ts';

const hmac = (salt: string, text: string) => createHmac('sha256', salt).update(text).digest('hex');
const salted = { salt: { env: 'SLUICE_TEST_SALT' } };

describe('pii actions on clean rows', () => {
  it('hash the clean value with HMAC-SHA-256 keyed by the salt', async () => {
    const { rows } = await sanitizeAll({ columns: { email: { type: 'email', case: 'lower', pii: 'hash' } }, ...salted }, [record(2, { email: ' Ana@Example.COM ' }), record(3, { email: 'ana@example.com' })]);
    expect(rows).toEqual([{ email: hmac(TEST_SALT, 'ana@example.com') }, { email: hmac(TEST_SALT, 'ana@example.com') }]);
    expect(rows[0]!.email).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hash differently under another salt, and the same across runs under one', async () => {
    const config = { columns: { email: { type: 'email', pii: 'hash' } }, ...salted } as const;
    const first = await sanitizeAll(config, [record(2, { email: 'ana@example.com' })]);
    const again = await sanitizeAll(config, [record(2, { email: 'ana@example.com' })]);
    const other = await sanitizeAll(config, [record(2, { email: 'ana@example.com' })], { SLUICE_TEST_SALT: 'another-salt-of-enough-length' });
    expect(again.rows).toEqual(first.rows);
    expect(other.rows[0]!.email).not.toBe(first.rows[0]!.email);
    const literal = await sanitizeAll({ columns: { email: { type: 'email', pii: 'hash' } }, salt: TEST_SALT }, [record(2, { email: 'ana@example.com' })], {});
    expect(literal.rows).toEqual(first.rows);
  });

  it('read the salt from the environment when a file is processed, and refuse a missing or short one without showing it', () => {
    const config = { columns: { email: { type: 'email', pii: 'hash' } }, ...salted } as const;
    expect(() => sanitizer(config, {})).toThrow(new SaltError('salt: the environment variable SLUICE_TEST_SALT is not set; pii: hash needs it (a secret of at least 16 characters)'));
    expect(() => sanitizer(config, { SLUICE_TEST_SALT: 'short' })).toThrow(/SLUICE_TEST_SALT holds fewer than 16 characters/);
    try {
      sanitizer(config, { SLUICE_TEST_SALT: 'short' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('short;');
      expect((error as SaltError).code).toBe('SANITIZE_SALT');
      expect((error as SaltError).permanent).toBe(true);
    }
  });

  it('mask all but the last characters, redact, or drop the column', async () => {
    const { rows } = await sanitizeAll(
      {
        columns: {
          phone: { type: 'phone', country: 'US', pii: { mask: { keepLast: 4 } } },
          card: { pii: { mask: { keepLast: 2, char: '#' } } },
          ssn: { pii: 'redact' },
          dob: { type: 'date', pii: 'drop' },
          name: { pii: 'mask' },
        },
      },
      [record(2, { phone: '(415) 555-0132', card: '4111', ssn: '078-05-1120', dob: '1990-01-01', name: 'Alexandra' })],
    );
    expect(rows).toEqual([{ phone: '********0132', card: '##11', ssn: '[REDACTED]', name: '*****ndra' }]);
    expect(Object.keys(rows[0]!)).not.toContain('dob');
  });

  it('never show more than half of a masked value, and leave an empty one null', async () => {
    expect(maskText('abc', 4, '*')).toBe('**c');
    expect(maskText('ab', 4, '*')).toBe('*b');
    expect(maskText('a', 4, '*')).toBe('*');
    expect(maskText('😀😀😀😀😀😀', 2, '*')).toBe('****😀😀');
    const { rows } = await sanitizeAll({ columns: { phone: { pii: 'mask' }, email: { pii: 'hash' } }, ...salted }, [record(2, { phone: '', email: null })]);
    expect(rows).toEqual([{ phone: null, email: null }]);
  });
});

describe('pii actions in the quarantine', () => {
  it('apply to a rejected record: hashed from the clean value when the column passed, from the text when it did not', async () => {
    const config = {
      columns: {
        email: { type: 'email', case: 'lower', pii: 'hash' },
        phone: { type: 'phone', country: 'US', pii: 'mask' },
        ssn: { pii: 'drop' },
        secret: { pii: 'redact' },
        amount: { type: 'decimal', min: 0 },
      },
      ...salted,
    } as const;
    const { rejected } = await sanitizeAll(config, [
      record(2, { email: 'Ana@Example.com', phone: '12', ssn: '078-05-1120', secret: 'hunter2', amount: '-1' }),
    ]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.record).toEqual({ email: hmac(TEST_SALT, 'ana@example.com'), phone: '*2', secret: '[REDACTED]', amount: '-1' });
    expect(rejected[0]!.reasons).toEqual([
      { field: 'phone', message: 'expected a phone number (international with +, or national in US), found a number too short for its country' },
      { field: 'amount', message: 'expected a number >= 0, found a smaller one' },
    ]);
    const text = JSON.stringify(rejected);
    for (const raw of ['Ana@Example.com', 'ana@example.com', '078-05-1120', 'hunter2']) expect(text).not.toContain(raw);
  });

  it('apply to a record the input could not read', async () => {
    const { rejected } = await sanitizeAll({ columns: { email: { type: 'email', pii: 'hash' }, note: {} }, ...salted }, [record(5, { email: 'ana@example.com', note: 'hi' }, ['expected 2 fields (the header\'s), found 3'])]);
    expect(rejected[0]).toEqual({
      kind: 'rejected',
      origin: { source: 's3://b/k#e', position: '5' },
      reasons: [{ message: 'expected 2 fields (the header\'s), found 3' }],
      record: { email: hmac(TEST_SALT, 'ana@example.com'), note: 'hi' },
    });
  });
});
