/**
 * A quick local measurement, not a test: readRecords against bare csv-parse on the same generated
 * CSV (200,000 order rows by default), side by side in one process, alternating, best of N.
 *
 *   npx tsx handlers/sanitize/test/input/measure-reader-throughput.ts [rows] [rounds]
 *
 * "bare" is what a user would write: a file stream piped into csv-parse with `columns: true`,
 * iterated with for await. `arrays` is csv-parse without columns, the parser's floor.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { readRecords } from '../../input/read-records.ts';
import { inputSpec } from '../../input/spec.ts';

const rows = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 5);

async function writeOrders(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('order_id,customer_email,phone,amount,currency,created_at,country,note\n');
  let batch = '';
  for (let i = 0; i < rows; i++) {
    const note = i % 10 === 0 ? '"a note, with a comma and ""quotes"""' : 'plain note';
    batch += `ord-${i},user${i}@example.com,+4930${String(i).padStart(7, '0')},${(i % 1000) + 0.99},EUR,2026-11-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,DE,${note}\n`;
    if (batch.length > 1 << 16) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

async function time(label: string, run: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const count = await run();
  const ms = performance.now() - started;
  if (count !== rows && count !== rows + 1) throw new Error(`${label}: read ${count} records, expected ${rows}`);
  return ms;
}

const dir = await mkdtemp(join(tmpdir(), 'sluice-reader-'));
try {
  const file = join(dir, 'orders.csv');
  await writeOrders(file);
  const options = inputSpec.parse({});
  const contenders: Record<string, () => Promise<number>> = {
    bare: async () => {
      let n = 0;
      for await (const _ of createReadStream(file).pipe(parse({ columns: true }))) n++;
      return n;
    },
    arrays: async () => {
      let n = 0;
      for await (const _ of createReadStream(file).pipe(parse())) n++;
      return n;
    },
    reader: async () => {
      let n = 0;
      for await (const record of readRecords(createReadStream(file), options, { key: 'orders.csv' })) {
        if (record.problems.length > 0) throw new Error(`row ${record.row}: ${record.problems.join('; ')}`);
        n++;
      }
      return n;
    },
  };
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [label, run] of Object.entries(contenders)) best[label] = Math.min(best[label] ?? Infinity, await time(label, run));
  }
  const size = (await stat(file)).size / 1024 / 1024;
  console.log(`${rows} rows, ${size.toFixed(1)} MiB, best of ${rounds}:`);
  for (const [label, ms] of Object.entries(best)) console.log(`  ${label.padEnd(7)} ${ms.toFixed(0).padStart(6)} ms  ${((size / ms) * 1000).toFixed(1)} MiB/s`);
  console.log(`reader / bare csv-parse throughput: ${(best.bare! / best.reader!).toFixed(2)}x (reader / csv-parse without columns: ${(best.arrays! / best.reader!).toFixed(2)}x)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
