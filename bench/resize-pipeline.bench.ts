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
 *   ImageMagick        the tools a user might script instead, when installed (`magick` or
 *   vipsthumbnail      `convert`; libvips' `vipsthumbnail`): the same variants from the same files
 *                      on disk, one process per image (ImageMagick, all variants through
 *                      `-write`) or per image and variant (vipsthumbnail, one size per run),
 *                      process start included, as a shell script would run them. ImageMagick has
 *                      no smart crop: its cover crops are centred.
 *
 * Then peak memory per image size: the resize core (resizeImage) and bare sharp each make the
 * thumbnails variants of one generated 1, 12 and 48 megapixel jpeg in a child process of their
 * own, which reports its peak resident set size (maxRSS, read as VmHWM on Linux), and that of the
 * same process before the image was touched.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { S3Client } from '@aws-sdk/client-s3';
import PQueue from 'p-queue';
import sharp from 'sharp';
import { peakRssKiB } from './peak-memory.ts';
import { resizeImage } from '../handlers/resize/core.ts';
import type { ResizeConfig, ResizeVariant } from '../handlers/resize/spec.ts';
import type { EmbeddedS3 } from '../shared/workbench/embedded-s3/s3-server.ts';
import { recordFigure, times } from './figures.ts';

const root = join(import.meta.dirname, '..');
const COPIES = Number(process.env.BENCH_COPIES ?? 6);
const CONCURRENCY = 4;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * The AWS SDK and Sluice's runtime, loaded by `main` only: the memory measurements run this file
 * again in child processes that must carry no more than sharp and the resize core.
 */
async function loadSluice() {
  const [s3, generate, log, runtime, s3Server, load, compile, handle] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../events/s3/generate.ts'),
    import('../shared/contract/logger.ts'),
    import('../shared/workbench/local/local-runtime.ts'),
    import('../shared/workbench/embedded-s3/s3-server.ts'),
    import('../shared/workbench/project/load-project.ts'),
    import('../shared/engine/runtime/compile.ts'),
    import('../shared/engine/runtime/handle-s3-event.ts'),
  ]);
  return {
    GetObjectCommand: s3.GetObjectCommand,
    PutObjectCommand: s3.PutObjectCommand,
    buildS3Event: generate.buildS3Event,
    buildS3EventRecord: generate.buildS3EventRecord,
    logger: log.createSilentLogger(),
    startLocalRuntime: runtime.startLocalRuntime,
    startEmbeddedS3: s3Server.startEmbeddedS3,
    loadPipelineFile: load.loadPipelineFile,
    compilePipeline: compile.compilePipeline,
    handleS3Event: handle.handleS3Event,
  };
}
type Sluice = Awaited<ReturnType<typeof loadSluice>>;

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
          ? resized.flatten({ background: '#ffffff' }).jpeg({ quality: v.quality, progressive: v.progressive, mozjpeg: v.mozjpeg })
          : format === 'png'
            ? resized.png()
            : resized.toFormat(format, { quality: v.quality });
      return { name: v.name, data: await encoded.toBuffer(), format };
    }),
  );
}

async function bareWithS3(sluice: Sluice, s3: S3Client, key: string, config: ResizeConfig): Promise<void> {
  const { GetObjectCommand, PutObjectCommand } = sluice;
  const object = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  const body = Buffer.from(await object.Body!.transformToByteArray());
  for (const variant of await bareVariants(body, config)) {
    await s3.send(new PutObjectCommand({ Bucket: 'media', Key: `${key}.${variant.name}`, Body: variant.data, ContentType: `image/${variant.format}` }));
  }
}

async function withStore<T>(sluice: Sluice, work: (s3: EmbeddedS3) => Promise<T>, objects: { key: string; body: Buffer }[]): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const s3 = await sluice.startEmbeddedS3({ dataDir: dir, buckets: ['uploads', 'media', 'quarantine'] });
  try {
    for (const o of objects) await s3.client.send(new sluice.PutObjectCommand({ Bucket: 'uploads', Key: o.key, Body: o.body }));
    return await work(s3);
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  }
}


const run = promisify(execFile);

/** The output format of a variant for a source file, as the step resolves `format: source`. */
function formatFor(variant: ResizeVariant, file: string): string {
  if (variant.format !== 'source') return variant.format;
  const ext = extname(file).slice(1).toLowerCase();
  return ext === 'jpg' || ext === 'jpeg' ? 'jpeg' : ext === 'png' || ext === 'webp' ? ext : 'png';
}

const EXTENSIONS: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };

/** ImageMagick's command, when it is installed: `magick` (7) or `convert` (6). Anything else named so is not it. */
function findImageMagick(): { command?: string; note?: string } {
  for (const command of ['magick', 'convert']) {
    const probe = spawnSync(command, ['-version'], { encoding: 'utf8' });
    if (probe.error) continue;
    if (probe.status === 0 && probe.stdout.includes('ImageMagick')) return { command };
    return { note: `\`${command}\` on the PATH is not ImageMagick` };
  }
  return {};
}

function hasVipsthumbnail(): boolean {
  const probe = spawnSync('vipsthumbnail', ['--vips-version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
}

/** One ImageMagick run per image: every variant from one read, each written by `-write`, as sharp's step would make them. */
function imageMagickArgs(file: string, outDir: string, config: ResizeConfig): string[] {
  // Settings such as -quality would otherwise carry over from one variant to the next.
  const args = ['-respect-parentheses', file, '-auto-orient', '-strip'];
  for (const v of config.variants) {
    const format = formatFor(v, file);
    const ops: string[] = [];
    const w = v.width ?? '';
    const h = v.height ?? '';
    const only = v.enlarge ? '' : '>';
    if (v.width !== undefined && v.height !== undefined && v.fit === 'cover') ops.push('-resize', `${w}x${h}^`, '-gravity', 'center', '-extent', `${w}x${h}`);
    else if (v.width !== undefined || v.height !== undefined) ops.push('-resize', `${w}x${h}${v.fit === 'fill' ? '!' : only}`);
    // sharp's default quality for the lossy formats is 80; ImageMagick's differs by format.
    if (format !== 'png') ops.push('-quality', String(v.quality ?? 80));
    if (format === 'jpeg') ops.push('-background', 'white', '-alpha', 'remove', ...(v.progressive ? ['-interlace', 'Plane'] : []));
    args.push('(', '+clone', ...ops, '-write', join(outDir, `${v.name}.${EXTENSIONS[format]}`), '+delete', ')');
  }
  return [...args, 'null:'];
}

/** vipsthumbnail makes one size per run: one run per image and variant. */
function vipsthumbnailArgs(file: string, outDir: string, v: ResizeVariant): string[] {
  const format = formatFor(v, file);
  const only = v.enlarge ? '' : '>';
  const size = v.width !== undefined && v.height !== undefined ? `${v.width}x${v.height}` : `${v.width ?? ''}x${v.height ?? ''}${only}`;
  const crop = v.width !== undefined && v.height !== undefined && v.fit === 'cover' ? ['--smartcrop', v.position === 'attention' || v.position === 'entropy' ? v.position : 'centre'] : [];
  const options = [...(format !== 'png' ? [`Q=${v.quality ?? 80}`] : []), ...(format === 'jpeg' && v.progressive ? ['interlace'] : []), 'strip'];
  return [file, '--size', size, ...crop, '-o', `${join(outDir, `${v.name}.${EXTENSIONS[format]}`)}[${options.join(',')}]`];
}

/** Each image written to `dir`, for the command-line tools, which read files. */
async function writeInputs(dir: string, objects: { key: string; body: Buffer }[]): Promise<string[]> {
  return Promise.all(
    objects.map(async (o, index) => {
      const file = join(dir, `${index}${extname(o.key)}`);
      await writeFile(file, o.body);
      return file;
    }),
  );
}

const MEGAPIXELS = [1, 12, 48];

interface MemoryReport {
  idleKiB: number;
  peakKiB: number;
}

type MemoryJob = { file: string; mode: 'pipeline core' | 'bare sharp'; config: ResizeConfig };

/** In a child process of its own: make the variants of one image and report the peak memory. */
async function measureMemoryInChild(job: MemoryJob): Promise<void> {
  const body = await readFile(job.file);
  const idleKiB = await peakRssKiB();
  await (job.mode === 'pipeline core' ? resizeImage(body, job.config) : bareVariants(body, job.config));
  const report: MemoryReport = { idleKiB, peakKiB: await peakRssKiB() };
  process.stdout.write(JSON.stringify(report));
}

async function memoryOf(job: MemoryJob): Promise<MemoryReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', import.meta.filename], {
    env: { ...process.env, SLUICE_BENCH_MEMORY_CHILD: JSON.stringify(job) },
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as MemoryReport;
}

/**
 * A photo-like jpeg of about `megapixels`: a sample photo scaled up, with fine noise over it so
 * that it compresses like a camera's (a smooth upscale would be a tenth of the bytes).
 */
async function makePhoto(file: string, megapixels: number): Promise<{ width: number; height: number }> {
  const width = Math.round(Math.sqrt((megapixels * 1e6 * 3) / 2));
  const height = Math.round((width * 2) / 3);
  const grain = randomBytes(width * height);
  for (let i = 0; i < grain.length; i++) grain[i] = 112 + ((grain[i] as number) >> 3);
  await sharp(join(root, 'pipelines', 'samples', 'uploads', 'images', 'harbour-dawn.jpg'))
    .resize(width, height, { fit: 'fill' })
    .composite([{ input: grain, raw: { width, height, channels: 1 }, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toFile(file);
  return { width, height };
}

async function peakMemoryPerSize(config: ResizeConfig): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-memory-'));
  try {
    console.log('resize: peak memory (maxRSS) of one image in a fresh process, thumbnails variants; idle = the same process before the image');
    for (const megapixels of MEGAPIXELS) {
      const file = join(dir, `${megapixels}mp.jpg`);
      const { width, height } = await makePhoto(file, megapixels);
      const size = (await readFile(file)).length;
      const core = await memoryOf({ file, mode: 'pipeline core', config });
      const bare = await memoryOf({ file, mode: 'bare sharp', config });
      const mib = (kib: number) => `${(kib / 1024).toFixed(0).padStart(4)} MiB`;
      recordFigure({ bench: 'resize', what: `pipeline core / bare sharp, peak memory, ${megapixels} MP image`, value: times(core.peakKiB / bare.peakKiB), detail: `${(core.peakKiB / 1024).toFixed(0)} vs ${(bare.peakKiB / 1024).toFixed(0)} MiB` });
      console.log(
        `  ${String(megapixels).padStart(2)} MP (${width}x${height}, ${(size / 1024 / 1024).toFixed(1)} MB jpeg)  pipeline core ${mib(core.peakKiB)}  bare sharp ${mib(bare.peakKiB)}  ratio ${(core.peakKiB / bare.peakKiB).toFixed(2)}  (idle ${mib(core.idleKiB).trim()}; above idle: ${mib(core.peakKiB - core.idleKiB).trim()} vs ${mib(bare.peakKiB - bare.idleKiB).trim()})`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const sluice = await loadSluice();
  const { buildS3Event, buildS3EventRecord, handleS3Event, logger, PutObjectCommand } = sluice;
  const pipeline = await sluice.loadPipelineFile(join(root, 'pipelines', 'thumbnails.yml'));
  const compiled = sluice.compilePipeline(pipeline);
  const config = pipeline.steps[0]!.config as ResizeConfig;
  const samples = join(root, 'pipelines', 'samples', 'uploads', 'images');
  const files = (await readdir(samples)).filter((name) => !name.startsWith('broken'));
  const sources = await Promise.all(files.map(async (name) => ({ name, body: await readFile(join(samples, name)) })));
  const objects = Array.from({ length: COPIES }, (_, copy) => sources.map((s) => ({ key: `images/copy-${copy}/${s.name}`, body: s.body }))).flat();
  console.log(`resize: ${objects.length} images (${files.length} samples x ${COPIES}), ${config.variants.length} variants each, concurrency ${CONCURRENCY}, best of ${ROUNDS}`);

  const phases: Record<string, (() => Promise<Measure>) | undefined> = {
    'bare sharp': () => measure(() => inParallel(objects, (o) => bareVariants(o.body, config))),
    'bare sharp + S3': () => withStore(sluice, (s3) => measure(() => inParallel(objects, (o) => bareWithS3(sluice, s3.client, o.key, config))), objects),
    'pipeline core': () =>
      withStore(
        sluice,
        (s3) =>
          measure(() =>
            inParallel(objects, (o) => handleS3Event(compiled, buildS3Event([buildS3EventRecord({ bucket: 'uploads', key: o.key, size: o.body.length })]), { s3: s3.client, logger })),
          ),
        objects,
      ),
    'pipeline e2e': async () => {
      const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
      const runtime = await sluice.startLocalRuntime({ dataDir: dir, pipelinesDir: join(root, 'pipelines'), logger, concurrency: CONCURRENCY });
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

  const imageMagick = findImageMagick();
  const vipsthumbnail = hasVipsthumbnail();
  const toolsDir = imageMagick.command || vipsthumbnail ? await mkdtemp(join(tmpdir(), 'sluice-bench-tools-')) : undefined;
  const inputFiles = toolsDir ? await writeInputs(toolsDir, objects) : [];
  /** Runs `work` over every input file with a fresh output folder per file, the same concurrency as the other phases. */
  const overFiles = (work: (file: string, outDir: string) => Promise<unknown>) => async () => {
    const outRoot = await mkdtemp(join(toolsDir as string, 'out-'));
    try {
      return await measure(() =>
        inParallel(
          inputFiles.map((file, index) => ({ file, outDir: join(outRoot, String(index)) })),
          async ({ file, outDir }) => {
            await mkdir(outDir);
            await work(file, outDir);
          },
        ),
      );
    } finally {
      await rm(outRoot, { recursive: true, force: true });
    }
  };
  if (imageMagick.command) {
    const command = imageMagick.command;
    phases.ImageMagick = overFiles((file, outDir) => run(command, imageMagickArgs(file, outDir, config)));
  }
  if (vipsthumbnail) {
    phases.vipsthumbnail = overFiles(async (file, outDir) => {
      for (const variant of config.variants) await run('vipsthumbnail', vipsthumbnailArgs(file, outDir, variant));
    });
  }

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
    if (baseline) recordFigure({ bench: 'resize', what: `${name} / ${baseline.name}, time`, value: times(m.wallMs / baseline.m.wallMs), detail: `${m.wallMs.toFixed(0)} vs ${baseline.m.wallMs.toFixed(0)} ms for ${objects.length} images` });
    console.log(`  ${name.padEnd(16)} ${m.wallMs.toFixed(0).padStart(6)} ms  ${rate.padStart(5)} images/s  cpu ${m.cpuMs.toFixed(0).padStart(5)} ms${ratio}`);
  };
  line('bare sharp');
  line('bare sharp + S3', { name: 'bare sharp', m: bare });
  line('pipeline core', { name: 'bare sharp + S3', m: bareS3 });
  line('pipeline core', { name: 'bare sharp', m: bare });
  line('pipeline e2e', { name: 'bare sharp', m: bare });
  if (best.ImageMagick) line('ImageMagick', { name: 'bare sharp', m: bare });
  else console.log(`  ImageMagick      skipped: not installed${imageMagick.note ? ` (${imageMagick.note})` : ''}; apt-get install imagemagick`);
  if (best.vipsthumbnail) line('vipsthumbnail', { name: 'bare sharp', m: bare });
  else console.log('  vipsthumbnail    skipped: not installed; apt-get install libvips-tools');
  if (best.ImageMagick) line('pipeline core', { name: 'ImageMagick', m: best.ImageMagick });
  if (best.vipsthumbnail) line('pipeline core', { name: 'vipsthumbnail', m: best.vipsthumbnail });
  console.log('  target: Sluice\'s overhead under 10% (pipeline core vs bare sharp + S3 < 1.10)');
  if (toolsDir) await rm(toolsDir, { recursive: true, force: true });

  await peakMemoryPerSize(config);
}

// The memory measurements run this file again, in a child process per image, with this variable set.
const memoryJob = process.env.SLUICE_BENCH_MEMORY_CHILD;
if (memoryJob) await measureMemoryInChild(JSON.parse(memoryJob) as MemoryJob);
else await main();
