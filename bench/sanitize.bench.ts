/**
 * Sanitize throughput and memory, side by side in one run, on generated order files. Every
 * measurement runs in a process of its own, so one does not inherit another's heap:
 *
 *   bare csv-parse     the file streamed through csv-parse (columns from the header), rows counted:
 *                      what parsing alone costs.
 *   sanitize           the same file through the sanitize step of the shipped orders-ingest
 *                      pipeline (its rules: types, PII hashing and masking, free-text scanning,
 *                      dedupe), rows counted: the ratio is sanitize throughput / bare parse. Run
 *                      twice: bundled by esbuild, as a deployed function runs (and as bare csv-parse
 *                      runs here), and through tsx, as `sluice run` runs it.
 *   peak memory        the bundled sanitize step over a small and a large file, reporting the
 *                      process's peak resident memory (VmHWM): flat is the goal.
 *
 * Sizes: BENCH_SANITIZE_ROWS (default 1,000,000 rows, about 110 MB), BENCH_SANITIZE_SMALL_MB (10) and
 * BENCH_SANITIZE_BIG_MB (1024) for the memory runs.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { build } from 'esbuild';
import { recordFigure, times } from './figures.ts';

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

interface ChildResult {
  rows: number;
  rejected?: number;
  ms: number;
  maxRssMb?: number;
}

function runChild(args: string[]): ChildResult {
  const output = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  return JSON.parse(output.trim().split('\n').pop()!) as ChildResult;
}

/** The two child scripts as single ES modules, the way the deploy bundles a function. */
async function bundleScripts(outdir: string): Promise<{ bare: string; sanitize: string }> {
  await build({
    absWorkingDir: root,
    entryPoints: ['bench/csv-parse-file.ts', 'bench/sanitize-file.ts'],
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __require } from 'node:module'; const require = __require(import.meta.url);" },
  });
  return { bare: join(outdir, 'csv-parse-file.mjs'), sanitize: join(outdir, 'sanitize-file.mjs') };
}

const ordersPipeline = join(root, 'pipelines', 'orders-ingest.yml');

const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-sanitize-'));
try {
  const scripts = await bundleScripts(join(dir, 'bundle'));
  const file = join(dir, 'orders.csv');
  const rows = await writeOrders(file, { rows: ROWS });
  const size = (await stat(file)).size;
  const bare = runChild([scripts.bare, file]);
  const bundled = runChild([scripts.sanitize, file, ordersPipeline]);
  const viaTsx = runChild(['--import', 'tsx', join(root, 'bench', 'sanitize-file.ts'), file, ordersPipeline]);
  const rate = (result: ChildResult) => `${Math.round((result.rows / result.ms) * 1000).toLocaleString('en-US')} rows/s`;
  const line = (label: string, result: ChildResult, counted: number) =>
    `  ${label.padEnd(18)}${rate({ ...result, rows: counted }).padStart(16)}  ${(result.ms / 1000).toFixed(2)} s${result === bare ? '' : `  ${(bare.ms / result.ms).toFixed(2)}x bare csv-parse (target >= 0.5)`}`;
  console.log(`\nsanitize: ${rows.toLocaleString('en-US')} rows, ${(size / 1024 / 1024).toFixed(0)} MB (orders-ingest rules; ${bundled.rows.toLocaleString('en-US')} clean, ${(bundled.rejected ?? 0).toLocaleString('en-US')} rejected)`);
  for (const [label, result] of [['bundled, as a deployed function runs', bundled], ['through tsx, as sluice run runs', viaTsx]] as const) {
    recordFigure({ bench: 'sanitize', what: `orders-ingest rules / bare csv-parse, throughput, ${label}`, value: times(bare.ms / result.ms), detail: `${rate({ ...result, rows })} vs ${rate(bare)}, ${rows.toLocaleString('en-US')} rows (target >= 0.5x)` });
  }
  console.log(line('bare csv-parse', bare, bare.rows));
  console.log(line('sanitize, bundled', bundled, rows));
  console.log(line('sanitize, tsx', viaTsx, rows));
  await rm(file);

  const small = join(dir, 'small.csv');
  await writeOrders(small, { bytes: SMALL_MB * 1024 * 1024 });
  const smallPeak = runChild([scripts.sanitize, small, ordersPipeline]);
  await rm(small);
  const big = join(dir, 'big.csv');
  await writeOrders(big, { bytes: BIG_MB * 1024 * 1024 });
  const bigPeak = runChild([scripts.sanitize, big, ordersPipeline]);
  await rm(big);
  const [smallMb, bigMb] = [smallPeak.maxRssMb ?? 0, bigPeak.maxRssMb ?? 0];
  recordFigure({ bench: 'sanitize', what: `peak memory, ${BIG_MB} MB file / ${SMALL_MB} MB file (bundled)`, value: times(bigMb / smallMb), detail: `${bigMb.toFixed(0)} vs ${smallMb.toFixed(0)} MB (targets: within 1.5x, under 200 MB)` });
  console.log(`  peak memory (bundled): ${SMALL_MB} MB file ${smallMb.toFixed(0)} MB, ${BIG_MB} MB file (${bigPeak.rows.toLocaleString('en-US')} clean rows) ${bigMb.toFixed(0)} MB: ${(bigMb / smallMb).toFixed(2)}x (targets: within 1.5x, under 200 MB)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
