/**
 * Load: N images uploaded at once through the embedded S3 endpoint (default 1,000: every PutObject
 * in flight together, as a burst of uploads arrives), processed by the thumbnails pipeline with the
 * dispatcher's bounded concurrency (4 invocations at once, as a reserved concurrency would). Each
 * size runs in a process of its own; its peak resident memory is compared with a run of 50: the
 * dispatcher's limit is what keeps it flat.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { recordFigure, times } from './figures.ts';

const root = join(import.meta.dirname, '..');
const LOAD = Number(process.env.BENCH_LOAD_IMAGES ?? 1000);

function run(count: number): { images: number; processed: number; ms: number; peakMiB: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'load-run.ts'), String(count)], { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  return JSON.parse(output.trim().split('\n').pop()!);
}

const small = run(50);
const large = run(LOAD);
console.log(`\nload: images uploaded at once, thumbnails pipeline, concurrency 4`);
for (const result of [small, large]) {
  console.log(`  ${String(result.images).padStart(5)} images  ${result.processed} processed  ${(result.ms / 1000).toFixed(1)} s  ${((result.images / result.ms) * 1000).toFixed(1)} images/s  peak ${result.peakMiB.toFixed(0)} MiB`);
}
recordFigure({ bench: 'load', what: `peak memory, ${LOAD} images uploaded at once / 50`, value: times(large.peakMiB / small.peakMiB), detail: `${large.peakMiB.toFixed(0)} vs ${small.peakMiB.toFixed(0)} MiB` });
console.log(`  ratio: peak memory ${(large.peakMiB / small.peakMiB).toFixed(2)}x with ${LOAD / 50}x the images (bounded by the dispatcher, not by the burst)`);
