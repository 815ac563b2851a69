/**
 * `sluice run` over N images uploaded at once (all PutObjects in flight together), in this process
 * alone, reporting the peak resident memory as one JSON line: run by the load bench as
 * `node --import tsx bench/load-run.ts N`.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalRuntime } from '../shared/workbench/local/local-runtime.ts';
import { createSilentLogger } from '../shared/contract/logger.ts';
import { peakRssKiB } from './peak-memory.ts';

const root = join(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 1000);
const imagesDir = join(root, 'pipelines', 'samples', 'uploads', 'images');
const samples = await Promise.all((await readdir(imagesDir)).filter((name) => name !== 'broken-upload.jpg').map(async (name) => ({ name, body: await readFile(join(imagesDir, name)) })));
const dataDir = await mkdtemp(join(tmpdir(), 'sluice-load-'));
try {
  const runtime = await startLocalRuntime({ dataDir, pipelinesDir: join(root, 'pipelines'), logger: createSilentLogger() });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const sample = samples[i % samples.length]!;
      return runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: `images/load/${i}-${sample.name}`, Body: sample.body }));
    }),
  );
  await runtime.idle();
  const ms = performance.now() - started;
  const thumbnails = runtime.stats.all().find((stats) => stats.pipeline === 'thumbnails')!;
  await runtime.close();
  console.log(JSON.stringify({ images: count, processed: thumbnails.processed, ms, peakMiB: (await peakRssKiB()) / 1024 }));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
