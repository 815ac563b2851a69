import { setImmediate as nextTurn } from 'node:timers/promises';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { InputFormat } from '../../input/spec.ts';
import { readRecords } from '../../input/read-records.ts';
import { inputSpec } from '../../input/spec.ts';

// A collection on demand makes "retained memory" measurable: without it, heapUsed also counts
// garbage that simply has not been collected yet.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;

/** Rows of about 100 bytes, made as they are read: the body never exists whole. */
function lazyBody(format: InputFormat, totalBytes: number): { body: Readable; produced: () => number } {
  let produced = 0;
  let row = 0;
  const line = (i: number) => {
    const note = i % 7 === 0 ? 'a note, with a comma' : 'plain';
    if (format === 'csv') return `${i},user${i}@example.com,${(i % 1000) + 0.5},EUR,2026-11-28T10:00:00Z,"${note}"\n`;
    const object = `{"id":${i},"email":"user${i}@example.com","amount":${(i % 1000) + 0.5},"currency":"EUR","note":"${note}"}`;
    return format === 'ndjson' ? `${object}\n` : `${i === 0 ? '' : ','}${object}\n`;
  };
  function* chunks(): Generator<Buffer> {
    if (format === 'csv') yield Buffer.from('id,email,amount,currency,created_at,note\n');
    if (format === 'json') yield Buffer.from('[\n');
    while (produced < totalBytes) {
      let text = '';
      while (text.length < 64 * 1024) text += line(row++);
      produced += text.length;
      yield Buffer.from(text);
    }
    if (format === 'json') yield Buffer.from(']\n');
  }
  return { body: Readable.from(chunks(), { objectMode: false }), produced: () => row };
}

describe('streaming', () => {
  it.each([
    ['csv', 50 * MiB],
    ['ndjson', 20 * MiB],
    ['json', 20 * MiB],
  ] as const)('reads %s far larger than the memory it keeps', async (format, size) => {
    const { body, produced } = lazyBody(format, size);
    collectGarbage();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    for await (const record of readRecords(body, inputSpec.parse({}), { key: `big.${format}` })) {
      if (record.problems.length > 0) throw new Error(`row ${record.row}: ${record.problems.join('; ')}`);
      if (++count % 50_000 === 0) {
        collectGarbage();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    expect(count).toBe(produced());
    expect(count).toBeGreaterThan(size / 150);
    // The body is `size` bytes and its records several times that as objects: keeping either would show.
    expect(peak).toBeLessThan(16 * MiB);
  });

  it.each(['csv', 'ndjson', 'json'] as const)('%s: leaving the loop early stops reading and closes the body', async (format) => {
    const { body } = lazyBody(format, 1024 * MiB);
    let count = 0;
    for await (const _record of readRecords(body, inputSpec.parse({}), { key: `big.${format}` })) {
      if (++count === 1000) break;
    }
    await nextTurn();
    expect(body.destroyed).toBe(true);
  });

  it.each([
    ['csv', 'a,b\n1,2\n'],
    ['ndjson', '{"a":1}\n'],
    ['json', '[{"a":1},'],
  ] as const)('%s: a failing body fails the read with its own error, not an InputError', async (format, start) => {
    const failure = new Error('connection reset');
    async function* body() {
      yield Buffer.from(start.padEnd(64, ' '));
      throw failure;
    }
    const read = async () => {
      for await (const _record of readRecords(body(), inputSpec.parse({ format }), {}));
    };
    await expect(read()).rejects.toBe(failure);
  });
});
