import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import type { FunctionLimits, ObjectItem, StepContext } from '../../../shared/contract/handler.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { resizeHandler } from '../index.ts';
import type { ResizeConfigInput } from '../index.ts';
import { makeAnimation, makeJpeg } from './test-images.ts';

const ctx: StepContext = { pipeline: 'thumbnails', source: { bucket: 'uploads', key: 'images/cat.jpg' }, logger: createSilentLogger() };

async function* itemsOf(...items: ObjectItem[]): AsyncIterable<ObjectItem> {
  yield* items;
}

async function runStep(config: ResizeConfigInput, ...items: Omit<ObjectItem, 'kind'>[]): Promise<ObjectItem[]> {
  return runStepIn(resizeHandler.lambda!, config, ...items);
}

/** The step as it runs in a function with these limits. */
async function runStepIn(limits: FunctionLimits, config: ResizeConfigInput, ...items: Omit<ObjectItem, 'kind'>[]): Promise<ObjectItem[]> {
  const step = resizeHandler.createStep(resizeHandler.spec.parse(config), limits);
  const out: ObjectItem[] = [];
  for await (const item of step(itemsOf(...items.map((item): ObjectItem => ({ kind: 'object', ...item }))), ctx)) if (item.kind === 'object') out.push(item);
  return out;
}

/** A stream that produces `chunk` forever, counting what was pulled from it. */
function endlessStream(chunk: Buffer): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

const config: ResizeConfigInput = {
  variants: [
    { name: 'thumb', width: 200, height: 200, format: 'webp', quality: 75 },
    { name: 'large', width: 1000, format: 'jpeg' },
  ],
};

describe('resize handler', () => {
  it('is registered as "resize" with its spec and a description', () => {
    expect(resizeHandler.name).toBe('resize');
    expect(resizeHandler.description.length).toBeGreaterThan(80);
    expect(resizeHandler.spec.safeParse(config).success).toBe(true);
  });

  it("without limitInputPixels, refuses what its function's memory cannot resize, and takes more in a bigger function", async () => {
    // 1 MB sources, one jpeg variant of the source's width: 130 MB leave 1 MB beyond the runtime and the source, 9 bytes a pixel.
    const small: ResizeConfigInput = { variants: [{ name: 'wide', width: 100, format: 'jpeg' }], maxInputBytes: 1024 * 1024 };
    const limit = Math.floor((1024 * 1024) / 9);
    const image = await makeJpeg(400, 400);
    await expect(runStepIn({ memorySize: 130, timeout: 60 }, small, { body: image })).rejects.toThrow(`image is 400x400 (160000 pixels), more than limitInputPixels (${limit})`);
    expect(await runStepIn({ memorySize: 131, timeout: 60 }, small, { body: image })).toHaveLength(1);
    // Written, the limit holds whatever the memory.
    await expect(runStepIn({ memorySize: 10240, timeout: 60 }, { ...small, limitInputPixels: 1000 }, { body: image })).rejects.toThrow('more than limitInputPixels (1000)');
  });

  it('emits one object per variant, from a stream body', async () => {
    const source = await makeJpeg(1200, 800);
    const out = await runStep(config, { body: Readable.from([source.subarray(0, 1000), source.subarray(1000)]), contentType: 'image/jpeg' });
    expect(out.map(({ body, ...rest }) => ({ ...rest, isBuffer: Buffer.isBuffer(body) }))).toEqual([
      { kind: 'object', contentType: 'image/webp', ext: 'webp', variant: 'thumb', metadata: { width: '200', height: '200' }, isBuffer: true },
      { kind: 'object', contentType: 'image/jpeg', ext: 'jpg', variant: 'large', metadata: { width: '1000', height: '667' }, isBuffer: true },
    ]);
    expect((await sharp(out[1]?.body as Buffer).metadata()).width).toBe(1000);
  });

  it('takes Buffer bodies, several items, and sets Cache-Control when configured', async () => {
    const source = await makeJpeg(600, 400);
    const out = await runStep({ variants: [{ name: 'small', width: 60 }], cacheControl: 'public, max-age=60' }, { body: source }, { body: source });
    expect(out.map((item) => [item.variant, item.cacheControl])).toEqual([
      ['small', 'public, max-age=60'],
      ['small', 'public, max-age=60'],
    ]);
  });

  it('stops reading a stream as soon as it passes maxInputBytes', async () => {
    const { stream, pulled } = endlessStream(Buffer.alloc(64 * 1024, 1));
    const error = await runStep({ ...config, maxInputBytes: 1024 * 1024 }, { body: stream }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('IMAGE_TOO_LARGE');
    // Reading stopped at the first chunk past the limit: how much more there was is not known.
    expect((error as InputError).message).toBe(`image is at least ${1024 * 1024 + 64 * 1024} bytes (reading stopped there), more than maxInputBytes (1048576, 1.0 MiB)`);
    expect(pulled()).toBeLessThan(2 * 1024 * 1024);
    expect(stream.destroyed).toBe(true);
  });

  it('refuses an object whose size is known to be over maxInputBytes without reading it, naming its size', async () => {
    const { stream, pulled } = endlessStream(Buffer.alloc(64 * 1024, 1));
    const size = 58 * 1024 * 1024 + 123;
    const error = await runStep(config, { body: stream, size }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('IMAGE_TOO_LARGE');
    expect((error as InputError).message).toBe(`image is ${size} bytes (58.0 MiB), more than maxInputBytes (52428800, 50.0 MiB)`);
    expect(pulled()).toBe(0);
    expect(stream.destroyed).toBe(true);
  });

  it('passes InputErrors through for the runtime to quarantine', async () => {
    const error = await runStep(config, { body: Buffer.alloc(0) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('IMAGE_EMPTY');
  });

  it('says how many frames an animated output has', async () => {
    const gif = await makeAnimation('gif', { width: 120, height: 80, frames: 3, delay: [100, 100, 100], loop: 0 });
    const out = await runStep({ animation: 'all', variants: [{ name: 'anim', width: 60, format: 'webp' }, { name: 'still', width: 60, format: 'png' }] }, { body: gif });
    expect(out.map((item) => [item.variant, item.contentType, item.metadata])).toEqual([
      ['anim', 'image/webp', { width: '60', height: '40', frames: '3' }],
      ['still', 'image/png', { width: '60', height: '40' }],
    ]);
  });
});
