import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Sanitizer } from '../core.ts';
import { readRecords } from '../input/read-records.ts';
import { inputSpec } from '../input/spec.ts';
import { sanitizeSpec } from '../spec.ts';
import type { RejectedItem, RowItem } from '../../../shared/contract/handler.ts';
import { corpus } from '../../../test/support/paths.ts';
import { column } from './helpers.ts';

/**
 * The Big List of Naughty Strings (blns.json, and blns.base64.json decoded as UTF-8: a separate
 * set, see the corpus' SOURCES.md): each string through a string column either comes out as the
 * configured normalization makes it, or is rejected with a reason. Never a crash, never a change
 * the configuration did not ask for.
 */

const dir = corpus('big-list-of-naughty-strings');

async function naughtyStrings(): Promise<string[]> {
  const plain = JSON.parse(await readFile(`${dir}/blns.json`, 'utf8')) as string[];
  const encoded = JSON.parse(await readFile(`${dir}/blns.base64.json`, 'utf8')) as string[];
  return [...plain, ...encoded.map((entry) => Buffer.from(entry, 'base64').toString('utf8'))];
}

// What the default string column promises: control characters but tab, LF and CR removed, NFC, trimmed.
const expectedDefault = (text: string) => {
  // eslint-disable-next-line no-control-regex -- control characters are what the rule removes
  const cleaned = text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/g, '').normalize('NFC').trim();
  return cleaned === '' ? null : cleaned;
};
const hasLoneSurrogate = (text: string) => /[\uD800-\uDFFF]/u.test(text);

describe(`naughty strings through a string column (corpus: ${dir})`, () => {
  it('come out normalized as configured (default: NFC, controls stripped, trimmed), or are rejected with a reason', async () => {
    const strings = await naughtyStrings();
    expect(strings.length).toBeGreaterThan(1000);
    const byDefault = column({});
    const untouched = column({ trim: false, normalize: { form: 'none', controls: 'keep' } });
    const strict = column({ normalize: { controls: 'reject' }, required: true });
    let rejected = 0;
    for (const text of strings) {
      const reading = byDefault.clean(text);
      if (hasLoneSurrogate(text)) {
        expect(reading, JSON.stringify(text)).toEqual({ ok: false, failures: [expect.objectContaining({ short: 'invalid text' })] });
        rejected++;
        continue;
      }
      expect(reading, JSON.stringify(text)).toEqual({ ok: true, value: expectedDefault(text), text: expectedDefault(text) });
      expect(untouched.clean(text), JSON.stringify(text)).toEqual({ ok: true, value: text === '' ? null : text, text: text === '' ? null : text });
      const strictReading = strict.clean(text);
      if (!strictReading.ok) expect(strictReading.failures[0]!.short).toMatch(/^(control characters|missing)$/);
      else expect(strictReading.value).toBe(text.normalize('NFC').trim());
    }
    expect(rejected).toBeLessThan(strings.length);
  });

  it('survive a CSV file and an NDJSON file end to end, every one a row or a rejection', async () => {
    const strings = await naughtyStrings();
    const config = sanitizeSpec.parse({ columns: { id: { type: 'integer', required: true }, value: {} }, unknownColumns: 'drop' });
    const csv = `id,value\n${strings.map((text, index) => `${index},"${text.replace(/"/g, '""')}"`).join('\n')}\n`;
    const ndjson = `${strings.map((text, index) => JSON.stringify({ id: index, value: text })).join('\n')}\n`;
    for (const [format, body] of [['csv', csv], ['ndjson', ndjson]] as const) {
      const sanitizer = new Sanitizer(config);
      async function* bytes(): AsyncIterable<Uint8Array> {
        yield Buffer.from(body, 'utf8');
      }
      const records = readRecords(bytes(), inputSpec.parse({ format }), {});
      const out: (RowItem | RejectedItem)[] = [];
      for await (const item of sanitizer.sanitize(records, format)) out.push(item);
      const summary = sanitizer.summary();
      expect(summary.rowsIn, format).toBe(strings.length);
      expect(summary.clean + summary.rejected, format).toBe(strings.length);
      for (const item of out) {
        if (item.kind === 'rejected') {
          expect(item.reasons.length, format).toBeGreaterThan(0);
          continue;
        }
        const index = item.row.id as number;
        // Lone surrogates cannot be written as UTF-8: they arrive as U+FFFD.
        const written = Buffer.from(strings[index]!, 'utf8').toString('utf8');
        expect(item.row.value, `${format} #${index} ${JSON.stringify(strings[index])}`).toEqual(expectedDefault(written));
      }
    }
  });
});
