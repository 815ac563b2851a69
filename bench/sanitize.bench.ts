/**
 * Sanitize throughput and memory, side by side in one run, on generated order files:
 *
 *   bare csv-parse     the file streamed through csv-parse (columns from the header), rows counted:
 *                      what parsing alone costs.
 *   sanitize           the same file through the sanitize step of the shipped orders-ingest
 *                      pipeline (its rules: types, PII hashing and masking, free-text scanning,
 *                      dedupe), rows counted: the ratio is sanitize throughput / bare parse.
 *   peak memory        the sanitize step over a small and a large file, each in its own process,
 *                      reporting the process's peak resident memory: flat is the goal.
 *
 * Sizes: BENCH_SANITIZE_ROWS (default 1,000,000 rows, about 110 MB), BENCH_SANITIZE_SMALL_MB (10) and
 * BENCH_SANITIZE_BIG_MB (1024) for the memory runs.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { parse } from 'csv-parse';

const root = join(import.meta.dirname, '..');
const ROWS = Number(process.env.BENCH_SANITIZE_ROWS ?? 1_000_000);
const SMALL_MB = Number(process.env.BENCH_SANITIZE_SMALL_MB ?? 10);
const BIG_MB = Number(process.env.BENCH_SANITIZE_BIG_MB ?? 1024);

/** A realistic orders file: mostly clean rows, some bad ones, a few duplicates; written streaming. */
async function writeOrders(path: string, limit: { rows?: number; bytes?: number }): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let rows = 0;
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('order_id,customer_email,phone,amount,currency,created_at,country,note\r\n');
  const currencies = ['USD', 'EUR', 'GBP', 'usd'];
  const notes = ['', 'gift wrap please', 'call me at 415-555-0100', 'line one\nline two', '=1+1', 'paid with 4111 1111 1111 1111'];
  while ((limit.rows === undefined || rows < limit.rows) && (limit.bytes === undefined || bytes < limit.bytes)) {
    const i = rows++;
    const id = i % 997 === 0 && i > 0 ? i - 1 : i; // a duplicate now and then
    const amount = i % 211 === 0 ? 'n/a' : ((i * 37) % 50000 / 100).toFixed(2);
    const day = String((i % 28) + 1).padStart(2, '0');
    const note = notes[i % notes.length]!;
    const quoted = /[",\n]/.test(note) ? `"${note.replaceAll('"', '""')}"` : note;
    await write(`ord-${id},customer${i % 5000}@example.com,(415) 555-${String(i % 10000).padStart(4, '0')},${amount},${currencies[i % currencies.length]},2026-11-${day}T10:00:00Z,US,${quoted}\r\n`);
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

async function bareParse(path: string): Promise<number> {
  let rows = 0;
  for await (const _ of createReadStream(path).pipe(parse({ columns: true }))) rows++;
  return rows;
}

/** Runs the sanitize step over `path` in this process (the child script does the same for the memory runs). */
async function sanitizeFile(path: string): Promise<{ rows: number; rejected: number }> {
  const { runSanitizeFile } = await import('./sanitize-file.ts');
  return runSanitizeFile(path);
}

function peakMemory(path: string): { maxRssMb: number; rows: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'sanitize-file.ts'), path], { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  return JSON.parse(output.trim().split('\n').pop()!) as { maxRssMb: number; rows: number };
}

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-sanitize-'));
try {
  const file = join(dir, 'orders.csv');
  const rows = await writeOrders(file, { rows: ROWS });
  const size = (await stat(file)).size;
  let started = performance.now();
  const parsed = await bareParse(file);
  const parseMs = performance.now() - started;
  started = performance.now();
  const sanitized = await sanitizeFile(file);
  const sanitizeMs = performance.now() - started;
  const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} rows/s`;
  console.log(`\nsanitize: ${rows.toLocaleString('en-US')} rows, ${(size / 1024 / 1024).toFixed(0)} MB (orders-ingest rules)`);
  console.log(`  bare csv-parse  ${rate(parsed, parseMs).padStart(16)}  ${(parseMs / 1000).toFixed(2)} s`);
  console.log(`  sanitize        ${rate(rows, sanitizeMs).padStart(16)}  ${(sanitizeMs / 1000).toFixed(2)} s  (${sanitized.rows.toLocaleString('en-US')} clean, ${sanitized.rejected.toLocaleString('en-US')} rejected)`);
  console.log(`  ratio: sanitize runs at ${(parseMs / sanitizeMs).toFixed(2)}x bare csv-parse's throughput (target >= 0.5)`);
  await rm(file);

  const small = join(dir, 'small.csv');
  await writeOrders(small, { bytes: SMALL_MB * 1024 * 1024 });
  const smallPeak = peakMemory(small);
  await rm(small);
  const big = join(dir, 'big.csv');
  await writeOrders(big, { bytes: BIG_MB * 1024 * 1024 });
  const bigPeak = peakMemory(big);
  await rm(big);
  console.log(`  peak memory: ${SMALL_MB} MB file ${smallPeak.maxRssMb.toFixed(0)} MB, ${BIG_MB} MB file ${bigPeak.maxRssMb.toFixed(0)} MB (${(bigPeak.maxRssMb / smallPeak.maxRssMb).toFixed(2)}x; targets: within 1.5x, under 200 MB)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
