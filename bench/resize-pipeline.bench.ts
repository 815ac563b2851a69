/**
 * Resize throughput of the shipped thumbnails pipeline against bare sharp doing the same variants
 * in the same process, printed as ratios (time / baseline time; 1.00 = no overhead). Every phase
 * runs the same images with the same concurrency; each is run ROUNDS times, alternating, and the
 * best time counts (the machine is shared: the best run is the least disturbed one).
 *
 *   bare sharp         each image in memory: sharp(buffer).rotate(), one clone per variant,
 *                      resize, encode with the step's encoder settings.
 *   bare sharp + S3    what a hand-written Lambda does: GetObject, the same bare sharp, one
 *                      PutObject per variant, through the same embedded S3 server.
 *   pipeline core      the path every Sluice invocation takes (handleS3Event, as the Lambda entry
 *                      and the local dispatcher call it): event normalizing, trigger match,
 *                      GetObject, the resize step, key templates, PutObject with metadata.
 *   pipeline e2e       upload every object and wait until the dispatcher is idle: `sluice run`,
 *                      notification bridge included (the uploads themselves are timed too).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import PQueue from 'p-queue';
import sharp from 'sharp';
import { buildS3Event, buildS3EventRecord } from '../events/s3/generate.ts';
import type { ResizeConfig } from '../handlers/resize/spec.ts';
import { builtInHandlers } from '../shared/handlers/registry.ts';
import { createSilentLogger } from '../shared/log/logger.ts';
import { startLocalRuntime } from '../shared/local/runtime.ts';
import type { EmbeddedS3 } from '../shared/local/s3-server.ts';
import { startEmbeddedS3 } from '../shared/local/s3-server.ts';
import { loadPipelineFile } from '../shared/pipeline/load.ts';
import { compilePipeline } from '../shared/runtime/compile.ts';
import { handleS3Event } from '../shared/runtime/handle-s3-event.ts';

const root = join(import.meta.dirname, '..');
const COPIES = Number(process.env.BENCH_COPIES ?? 6);
const CONCURRENCY = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const logger = createSilentLogger();

interface Measure {
  wallMs: number;
  cpuMs: number;
}

async function measure(work: () => Promise<unknown>): Promise<Measure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function inParallel<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<unknown> {
  const queue = new PQueue({ concurrency: CONCURRENCY });
  return Promise.all(items.map((item) => queue.add(() => work(item))));
}

/** What a user would write with sharp alone: one clone per variant, same sizes and encoder settings as the step. */
async function bareVariants(image: Buffer, config: ResizeConfig): Promise<{ name: string; data: Buffer; format: string }[]> {
  const input = sharp(image).rotate();
  const source = (await sharp(image).metadata()).format;
  return Promise.all(
    config.variants.map(async (v) => {
      const format = v.format === 'source' ? (source === 'jpeg' || source === 'png' || source === 'webp' ? source : 'png') : v.format;
      const resized = input.clone().resize({ width: v.width, height: v.height, fit: v.fit, position: v.position, withoutEnlargement: !v.enlarge });
      const encoded =
        format === 'jpeg'
          ? resized.flatten({ background: '#ffffff' }).jpeg({ quality: v.quality, progressive: true })
          : format === 'png'
            ? resized.png()
            : resized.toFormat(format, { quality: v.quality });
      return { name: v.name, data: await encoded.toBuffer(), format };
    }),
  );
}

async function bareWithS3(s3: S3Client, key: string, config: ResizeConfig): Promise<void> {
  const object = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  const body = Buffer.from(await object.Body!.transformToByteArray());
  for (const variant of await bareVariants(body, config)) {
    await s3.send(new PutObjectCommand({ Bucket: 'media', Key: `${key}.${variant.name}`, Body: variant.data, ContentType: `image/${variant.format}` }));
  }
}

async function withStore<T>(work: (s3: EmbeddedS3) => Promise<T>, objects: { key: string; body: Buffer }[]): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const s3 = await startEmbeddedS3({ dataDir: dir, buckets: ['uploads', 'media', 'quarantine'] });
  try {
    for (const o of objects) await s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: o.key, Body: o.body }));
    return await work(s3);
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const pipeline = await loadPipelineFile(join(root, 'pipelines', 'thumbnails.yml'));
  const compiled = compilePipeline(pipeline, builtInHandlers);
  const config = pipeline.steps[0]!.config as ResizeConfig;
  const samples = join(root, 'pipelines', 'samples', 'uploads', 'images');
  const files = (await readdir(samples)).filter((name) => !name.startsWith('broken'));
  const sources = await Promise.all(files.map(async (name) => ({ name, body: await readFile(join(samples, name)) })));
  const objects = Array.from({ length: COPIES }, (_, copy) => sources.map((s) => ({ key: `images/copy-${copy}/${s.name}`, body: s.body }))).flat();
  console.log(`resize: ${objects.length} images (${files.length} samples x ${COPIES}), ${config.variants.length} variants each, concurrency ${CONCURRENCY}, best of ${ROUNDS}`);

  const phases: Record<string, (() => Promise<Measure>) | undefined> = {
    'bare sharp': () => measure(() => inParallel(objects, (o) => bareVariants(o.body, config))),
    'bare sharp + S3': () => withStore((s3) => measure(() => inParallel(objects, (o) => bareWithS3(s3.client, o.key, config))), objects),
    'pipeline core': () =>
      withStore(
        (s3) =>
          measure(() =>
            inParallel(objects, (o) => handleS3Event(compiled, buildS3Event([buildS3EventRecord({ bucket: 'uploads', key: o.key, size: o.body.length })]), { s3: s3.client, logger })),
          ),
        objects,
      ),
    'pipeline e2e': async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
      const runtime = await startLocalRuntime({ dataDir: dir, pipelinesDir: join(root, 'pipelines'), logger, concurrency: CONCURRENCY });
      try {
        return await measure(async () => {
          await inParallel(objects, (o) => runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: o.key, Body: o.body })));
          await runtime.idle();
        });
      } finally {
        await runtime.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };

  const best: Record<string, Measure> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(phases)) {
      const result = await run!();
      const previous = best[name];
      best[name] = previous && previous.wallMs <= result.wallMs ? previous : result;
    }
  }

  const bare = best['bare sharp']!;
  const bareS3 = best['bare sharp + S3']!;
  const line = (name: string, baseline?: { name: string; m: Measure }) => {
    const m = best[name]!;
    const rate = ((objects.length / m.wallMs) * 1000).toFixed(1);
    const ratio = baseline ? `  ratio ${(m.wallMs / baseline.m.wallMs).toFixed(2)} vs ${baseline.name}` : '';
    console.log(`  ${name.padEnd(16)} ${m.wallMs.toFixed(0).padStart(6)} ms  ${rate.padStart(5)} images/s  cpu ${m.cpuMs.toFixed(0).padStart(5)} ms${ratio}`);
  };
  line('bare sharp');
  line('bare sharp + S3', { name: 'bare sharp', m: bare });
  line('pipeline core', { name: 'bare sharp + S3', m: bareS3 });
  line('pipeline core', { name: 'bare sharp', m: bare });
  line('pipeline e2e', { name: 'bare sharp', m: bare });
  console.log('  target: Sluice\'s overhead under 10% (pipeline core vs bare sharp + S3 < 1.10)');
}

await main();
