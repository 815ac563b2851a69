import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { sanitizeHandler } from '../index.ts';
import { sanitizeSpec } from '../spec.ts';
import { describeIssues } from '../../../shared/contract/describe-issue.ts';
import { formatConfigIssue } from '../../../shared/contract/errors.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { repoRoot } from '../../../test/support/paths.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

/** The messages users see, as the pipeline loader renders them. */
function messagesOf(config: unknown): string[] {
  const result = sanitizeSpec.safeParse(config);
  if (result.success) throw new Error('expected the config to be rejected');
  return describeIssues(result.error.issues, config, sanitizeSpec).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const columns = (rules: Record<string, unknown>) => ({ columns: rules });

describe('sanitizeSpec', () => {
  it('applies defaults', () => {
    const config = sanitizeSpec.parse(columns({ id: {} }));
    expect(config.unknownColumns).toBe('keep');
    expect(config.columns.id).toEqual({ type: 'string', required: false, trim: true, case: 'none', normalize: { form: 'NFC', controls: 'strip' } });
    expect(config.input.encoding).toBe('utf-8');
    expect(sanitizeSpec.parse({ ...columns({ note: {} }), scan: { columns: ['note'] } }).scan?.find).toEqual(['email', 'phone', 'card']);
  });

  it('accepts the shipped orders-ingest pipeline', async () => {
    const file = join(repoRoot, 'pipelines/orders-ingest.yml');
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./pipeline.schema.json');
    expect(parsePipeline(text, file, builtInHandlers).issues.map(formatConfigIssue)).toEqual([]);
    const step = (parseYaml(text) as { steps: { sanitize: unknown }[] }).steps[0]!.sanitize;
    expect(sanitizeSpec.safeParse(step).success).toBe(true);
    // The README shows the shipped pipeline: the two must not drift apart.
    const readme = await readFile(join(repoRoot, 'handlers/sanitize/README.md'), 'utf8');
    const example = /```yaml\n(name: orders-ingest[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const shown = parseYaml(example!) as { steps: Record<string, unknown>[]; on: unknown; to: unknown; onError: unknown };
    const shipped = parseYaml(text) as typeof shown;
    // The README shows the step under its handler's own name (a fork's README, its fork's name).
    expect(Object.keys(shown.steps[0]!)).toEqual([sanitizeHandler.name]);
    const configs = (steps: Record<string, unknown>[]) => steps.map((step) => Object.values(step)[0]);
    expect([shown.on, configs(shown.steps), shown.to, shown.onError]).toEqual([shipped.on, configs(shipped.steps), shipped.to, shipped.onError]);
  });

  it('names unknown keys with a suggestion, in a column too', () => {
    expect(messagesOf(columns({ id: { tpye: 'string' } }))).toEqual([expect.stringMatching(/^columns\.id\.tpye: unknown key "tpye" \(did you mean "type"\?\)/)]);
    expect(messagesOf({ ...columns({ id: {} }), dedupe: ['id'] })).toEqual([expect.stringMatching(/^dedupe: unknown key "dedupe" \(did you mean "dedupeBy"\?\)/)]);
  });

  it('names wrong values with what was expected', () => {
    expect(messagesOf(columns({ id: { type: 'text' } }))).toEqual(['columns.id.type: expected one of "string", "integer", "decimal", "boolean", "date", "datetime", "email", "phone", "enum", found "text" (string)']);
    expect(messagesOf({ ...columns({ id: {} }), unknownColumns: 'ignore' })).toEqual(['unknownColumns: expected one of "keep", "drop", found "ignore" (string)']);
    expect(messagesOf(columns({ id: { pii: 'encrypt' } }))[0]).toMatch(/^columns\.id\.pii: expected one of "hash", "mask", "redact", "drop" or a mapping, found "encrypt" \(string\)/);
    expect(messagesOf({ columns: {} })).toEqual(['columns: at least one column: an empty mapping declares no rule']);
  });

  it('refuses options that do not go with the column type', () => {
    expect(messagesOf(columns({ id: { type: 'string', formats: ['YYYY-MM-DD'], country: 'US', min: 1, case: 'none' } }))).toEqual([
      'columns.id.formats: formats applies to date or datetime columns, not to this string column',
      'columns.id.country: country applies to phone column, not to this string column',
      'columns.id.min: min applies to integer, decimal, date or datetime columns, not to this string column',
    ]);
    expect(messagesOf(columns({ n: { type: 'integer', case: 'upper', maxLength: 3, values: ['a'] } }))).toEqual([
      'columns.n.values: values applies to enum column, not to this integer column',
      'columns.n.maxLength: maxLength applies to string or email columns, not to this integer column',
      'columns.n.case: case applies to string, email and enum columns, not to this integer column',
    ]);
    expect(messagesOf(columns({ d: { type: 'date', timezone: 'UTC' } }))).toEqual(['columns.d.timezone: timezone applies to datetime column, not to this date column']);
  });

  it('requires values for an enum, once each', () => {
    expect(messagesOf(columns({ c: { type: 'enum' } }))).toEqual(['columns.c.values: missing; an enum column needs the list of its allowed values']);
    expect(messagesOf(columns({ c: { type: 'enum', values: ['EUR', 'eur'], caseInsensitive: true } }))).toEqual(['columns.c.values.1: "eur" is already listed as values[0] (ignoring case)']);
    expect(messagesOf(columns({ c: { type: 'boolean', trueValues: ['on'], falseValues: ['off', 'ON'] } }))).toEqual(['columns.c.falseValues.1: "ON" is also one of trueValues (ignoring case); a value cannot be both']);
  });

  it('checks date formats, and that zone-less date-times have a timezone', () => {
    expect(messagesOf(columns({ d: { type: 'date', formats: ['YYYY-MM-DD HH:mm'] } }))).toEqual(['columns.d.formats.0: format "YYYY-MM-DD HH:mm" does not fit a date column: a date has no hour, minute: use type datetime for values with a time']);
    expect(messagesOf(columns({ d: { type: 'date', formats: ['DD/MM/YY'] } }))).toEqual([
      'columns.d.formats.0: format "DD/MM/YY" does not fit a date column: "Y" at character 7 is no token (write literal letters in [brackets]); a format is made of YYYY, MM, M, DD, D, HH, H, mm, ss, SSS (a fraction of a second), Z (a zone: Z or an offset such as +02:00), literal text in [brackets], or epochSeconds / epochMillis',
    ]);
    expect(messagesOf(columns({ d: { type: 'date', formats: ['epochSeconds'] } }))).toEqual(['columns.d.formats.0: format "epochSeconds" does not fit a date column: epochSeconds reads a date-time; a date column takes YYYY, MM and DD only']);
    expect(messagesOf(columns({ t: { type: 'datetime', formats: ['YYYY-MM-DD'] } }))).toEqual(['columns.t.formats.0: format "YYYY-MM-DD" does not fit a datetime column: it has no hour, minute']);
    expect(messagesOf(columns({ t: { type: 'datetime', formats: ['YYYY-MM-DDTHH:mm:ssZ', 'YYYY-MM-DD HH:mm'] } }))).toEqual([
      'columns.t.formats.1: format "YYYY-MM-DD HH:mm" has no zone (Z), so its times could be anywhere: set timezone (UTC, Europe/Paris, ...) to say where',
    ]);
    expect(messagesOf(columns({ t: { type: 'datetime', formats: ['YYYY-MM-DD HH:mm'], timezone: 'Europe/Pariss' } }))).toEqual([
      'columns.t.timezone: expected an IANA time zone (UTC, Europe/Paris, America/New_York), found "Europe/Pariss" (string)',
    ]);
    expect(sanitizeSpec.safeParse(columns({ t: { type: 'datetime', formats: ['YYYY-MM-DD HH:mm'], timezone: 'Europe/Paris' } })).success).toBe(true);
  });

  it('checks bounds by the column type, and min <= max', () => {
    expect(messagesOf(columns({ n: { type: 'decimal', min: 'zero' } }))).toEqual(['columns.n.min: expected a number (or its digits as a string), found "zero" (string)']);
    expect(messagesOf(columns({ n: { type: 'integer', min: 10, max: 1 } }))).toEqual(['columns.n.max: expected a number >= min (10), found 1']);
    expect(messagesOf(columns({ d: { type: 'date', min: '2026-13-01' } }))).toEqual(['columns.d.min: expected a date as YYYY-MM-DD, found "2026-13-01" (string)']);
    expect(messagesOf(columns({ d: { type: 'date', min: 2026 } }))).toEqual(['columns.d.min: expected a date as YYYY-MM-DD, found 2026 (number)']);
    expect(messagesOf(columns({ t: { type: 'datetime', min: '2026-02-01', max: '2026-01-31T23:00:00+02:00' } }))).toEqual(['columns.t.max: expected a date-time at or after min (2026-02-01T00:00:00Z), found 2026-01-31T21:00:00Z']);
    expect(messagesOf(columns({ t: { type: 'datetime', min: '2026-02-01T10:00:00' } }))).toEqual([
      'columns.t.min: expected an ISO-8601 date-time with a zone (2026-01-01T00:00:00Z) or a date (2026-01-01, midnight UTC), found "2026-02-01T10:00:00" (string)',
    ]);
  });

  it('checks pattern, phone country and the default against the rule', () => {
    expect(messagesOf(columns({ c: { pattern: '[A-Z' } }))[0]).toMatch(/^columns\.c\.pattern: expected a regular expression \(JavaScript, Unicode mode\), found "\[A-Z" \(string\): /);
    expect(messagesOf(columns({ p: { type: 'phone', country: 'us' } }))).toEqual(['columns.p.country: expected a country code (ISO 3166-1 alpha-2, upper case: US, GB, FR), found "us" (string)']);
    expect(messagesOf(columns({ c: { type: 'enum', values: ['EUR', 'USD'], default: 'usd' } }))).toEqual(['columns.c.default: expected one of EUR or USD (the column\'s own rule), found "usd" (string)']);
    expect(messagesOf(columns({ n: { type: 'integer', min: 1, default: 0 } }))).toEqual(['columns.n.default: expected an integer >= 1 (the column\'s own rule), found 0 (number)']);
    expect(messagesOf(columns({ n: { required: true, default: 'x' } }))).toEqual(['columns.n.default: a required column never uses a default (an empty value is rejected): remove required or default']);
    expect(messagesOf(columns({ c: { pattern: '[a-z]+', default: 'ABC' } }))).toEqual(['columns.c.default: expected text matching [a-z]+ (the column\'s own rule), found "ABC" (string)']);
  });

  it('requires a salt for hashing, and never shows a salt', () => {
    expect(messagesOf(columns({ email: { type: 'email', pii: 'hash' }, phone: { type: 'phone', pii: 'hash' } }))).toEqual([
      'salt: missing; email, phone use pii: hash, which needs a secret salt: { env: NAME } (an environment variable holding at least 16 characters)',
    ]);
    const short = messagesOf({ ...columns({ email: { type: 'email', pii: 'hash' } }), salt: 'pepper12' });
    expect(short).toEqual(['salt: expected a salt of at least 16 characters, found a shorter one (prefer { env: NAME }, so it stays out of the repository)']);
    expect(short.join('\n')).not.toContain('pepper12');
    expect(messagesOf({ ...columns({ e: {} }), salt: { env: '1BAD' } })).toEqual(['salt.env: expected an environment variable name (letters, digits and _, not starting with a digit), found "1BAD" (string)']);
    expect(sanitizeSpec.safeParse({ ...columns({ email: { type: 'email', pii: 'hash' } }), salt: { env: 'SLUICE_PII_SALT' } }).success).toBe(true);
  });

  it('checks dedupeBy and scan columns against the declared ones', () => {
    expect(messagesOf({ ...columns({ id: {} }), unknownColumns: 'drop', dedupeBy: ['id', 'ref', 'id'] })).toEqual([
      'dedupeBy.1: column "ref" is not declared in columns, and unknownColumns: drop leaves it out of every row; declare it, or set unknownColumns: keep',
      'dedupeBy.2: column "id" is listed twice',
    ]);
    expect(sanitizeSpec.safeParse({ ...columns({ id: {} }), dedupeBy: ['ref'] }).success).toBe(true);
    expect(messagesOf({ ...columns({ n: { type: 'integer' }, e: { type: 'string', pii: 'redact' } }), scan: { columns: ['n', 'e'], find: ['card', 'card'], country: 'XX' } })).toEqual([
      'scan.columns.0: column "n" is of type integer; scanning finds emails, phones and cards in free text (type string)',
      'scan.columns.1: column "e" already has pii: redact, which leaves no free text to scan; remove one',
      'scan.find.1: "card" is listed twice',
      'scan.country: expected a country code (ISO 3166-1 alpha-2, upper case: US, GB, FR), found "XX" (string)',
    ]);
  });
});
