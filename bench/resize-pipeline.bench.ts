/**
 * Resize throughput of the shipped thumbnails pipeline against bare sharp doing the same variants
 * in the same process, printed as ratios (pipeline time / bare sharp time; 1.00 = no overhead).
 *
 *   bare sharp      each image: sharp(buffer).rotate(), one clone per variant, resize, encode with
 *                   the step's encoder settings (progressive jpeg on white, webp quality).
 *   pipeline core   each object: the Lambda/dispatcher path (handleS3Event): GET from the embedded
 *                   S3, resize step, PUT every variant with metadata.
 *   pipeline e2e    upload every object through the S3 API and wait until the dispatcher is idle:
 *                   what `sluice run` does, notification bridge included.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import PQueue from 'p-queue';
import sharp from 'sharp';
import { buildS3Event, buildS3EventRecord } from '../events/s3/generate.ts';
import type { ResizeConfig } from '../handlers/resize/spec.ts';
import { builtInHandlers } from '../shared/handlers/registry.ts';
import { createSilentLogger } from '../shared/log/logger.ts';
import { startLocalRuntime } from '../shared/local/runtime.ts';
import { startEmbeddedS3 } from '../shared/local/s3-server.ts';
import { loadPipelineFile } from '../shared/pipeline/load.ts';
import { compilePipeline } from '../shared/runtime/compile.ts';
import { handleS3Event } from '../shared/runtime/handle-s3-event.ts';

const root = join(import.meta.dirname, '..');
const COPIES = Number(process.env.BENCH_COPIES ?? 6);
const CONCURRENCY = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** What a user would write with sharp alone: one clone per variant, same sizes and encoder settings as the step. */
async function bareSharp(images: Buffer[], config: ResizeConfig): Promise<number> {
  const queue = new PQueue({ concurrency: CONCURRENCY });
  const started = performance.now();
  await Promise.all(
    images.map((image) =>
      queue.add(async () => {
        const input = sharp(image).rotate();
        const source = (await sharp(image).metadata()).format;
        await Promise.all(
          config.variants.map((v) => {
            const format = v.format === 'source' ? (source === 'jpeg' || source === 'png' || source === 'webp' ? source : 'png') : v.format;
            const resized = input.clone().resize({ width: v.width, height: v.height, fit: v.fit, position: v.position, withoutEnlargement: !v.enlarge });
            const encoded =
              format === 'jpeg'
                ? resized.flatten({ background: '#ffffff' }).jpeg({ quality: v.quality, progressive: true })
                : format === 'png'
                  ? resized.png()
                  : resized.toFormat(format, { quality: v.quality });
            return encoded.toBuffer();
          }),
        );
      }),
    ),
  );
  return performance.now() - started;
}

async function main() {
  const pipeline = await loadPipelineFile(join(root, 'pipelines', 'thumbnails.yml'));
  const config = pipeline.steps[0]!.config as ResizeConfig;
  const samples = join(root, 'pipelines', 'samples', 'uploads', 'images');
  const files = (await readdir(samples)).filter((name) => !name.startsWith('broken'));
  const sources = await Promise.all(files.map(async (name) => ({ name, body: await readFile(join(samples, name)) })));
  const objects = Array.from({ length: COPIES }, (_, copy) => sources.map((s) => ({ key: `images/copy-${copy}/${s.name}`, body: s.body }))).flat();
  console.log(`resize: ${objects.length} images (${files.length} samples x ${COPIES}), ${config.variants.length} variants each, concurrency ${CONCURRENCY}, best of ${ROUNDS}`);

  const logger = createSilentLogger();
  const results = { bare: Infinity, core: Infinity, e2e: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    results.bare = Math.min(results.bare, await bareSharp(objects.map((o) => o.body), config));

    const coreDir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
    const s3 = await startEmbeddedS3({ dataDir: coreDir, buckets: ['uploads', 'media', 'quarantine'] });
    for (const o of objects) await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: o.key, Body: o.body }));
    const compiled = compilePipeline(pipeline, builtInHandlers);
    const queue = new PQueue({ concurrency: CONCURRENCY });
    let started = performance.now();
    await Promise.all(objects.map((o) => queue.add(() => handleS3Event(compiled, buildS3Event([buildS3EventRecord({ bucket: 'uploads', key: o.key, size: o.body.length, eTag: 'x' })]), { s3: s3.client, logger }))));
    results.core = Math.min(results.core, performance.now() - started);
    await s3.close();
    await rm(coreDir, { recursive: true, force: true });

    const e2eDir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
    const runtime = await startLocalRuntime({ dataDir: e2eDir, pipelinesDir: join(root, 'pipelines'), logger, concurrency: CONCURRENCY });
    started = performance.now();
    await Promise.all(objects.map((o) => runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: o.key, Body: o.body }))));
    await runtime.idle();
    results.e2e = Math.min(results.e2e, performance.now() - started);
    await runtime.close();
    await rm(e2eDir, { recursive: true, force: true });
  }

  const perSecond = (ms: number) => ((objects.length / ms) * 1000).toFixed(1);
  console.log(`  bare sharp       ${results.bare.toFixed(0).padStart(6)} ms  ${perSecond(results.bare)} images/s`);
  console.log(`  pipeline core    ${results.core.toFixed(0).padStart(6)} ms  ${perSecond(results.core)} images/s  ratio ${(results.core / results.bare).toFixed(2)}`);
  console.log(`  pipeline e2e     ${results.e2e.toFixed(0).padStart(6)} ms  ${perSecond(results.e2e)} images/s  ratio ${(results.e2e / results.bare).toFixed(2)}`);
  console.log('  target: pipeline overhead over bare sharp under 10% (ratio < 1.10)');
}

await main();
