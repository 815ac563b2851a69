import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import type { ResizeConfigInput } from '../spec.ts';
import { exifCorpusDir } from './corpus.ts';
import { makePngDeclaring } from './png-header.ts';
import { makeJpeg } from './test-images.ts';

const config = resizeSpec.parse({ variants: [{ name: 'thumb', width: 100 }] });

/** The InputError resizeImage fails with, and how long it took to fail. */
async function failureOf(input: Buffer, overrides: Partial<ResizeConfigInput> = {}): Promise<{ error: InputError; ms: number }> {
  const started = performance.now();
  try {
    await resizeImage(input, resizeSpec.parse({ ...config, ...overrides }));
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return { error: error as InputError, ms: performance.now() - started };
  }
  throw new Error('expected resizeImage to fail');
}

describe('resizeImage: input that cannot be processed', () => {
  it('empty → IMAGE_EMPTY', async () => {
    const { error } = await failureOf(Buffer.alloc(0));
    expect([error.code, error.message, error.permanent]).toEqual(['IMAGE_EMPTY', 'image is empty (0 bytes)', true]);
  });

  it('the empty corpus file → IMAGE_EMPTY', async () => {
    const { error } = await failureOf(await readFile(join(exifCorpusDir, 'derived/empty-0B.jpg')));
    expect(error.code).toBe('IMAGE_EMPTY');
  });

  it('truncated JPEG → IMAGE_CORRUPT, with sharp’s reason', async () => {
    const { error } = await failureOf(await readFile(join(exifCorpusDir, 'derived/Landscape_1.truncated-10000B.jpg')));
    expect(error.code).toBe('IMAGE_CORRUPT');
    expect(error.message).toBe('image is truncated or corrupt: VipsJpeg: premature end of JPEG image');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('a truncated PNG → IMAGE_CORRUPT', async () => {
    const png = await sharp(await makeJpeg(600, 400)).png().toBuffer();
    const { error } = await failureOf(png.subarray(0, Math.floor(png.length / 2)));
    expect(error.code).toBe('IMAGE_CORRUPT');
    expect(error.message).toMatch(/^image is truncated or corrupt: \S/);
  });

  it('a JPEG with damaged scan data is decoded, as the decoder only warns (failOn: error)', async () => {
    // Such warnings are common in camera and phone files that display fine everywhere; refusing
    // them (sharp's default failOn: warning) would quarantine real photos.
    const jpeg = await makeJpeg(600, 400);
    const damaged = Buffer.from(jpeg);
    damaged.fill(0x55, 2000, 2400);
    const [output] = await resizeImage(damaged, config);
    expect(output?.width).toBe(100);
  });

  it('random bytes → IMAGE_UNSUPPORTED', async () => {
    const { error } = await failureOf(randomBytes(5000));
    expect(error.code).toBe('IMAGE_UNSUPPORTED');
    expect(error.message).toBe('not an image in a supported format (jpeg, png, webp, avif, gif or tiff)');
  });

  it('an SVG → IMAGE_UNSUPPORTED (documents are not taken)', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    const { error } = await failureOf(svg);
    expect([error.code, error.message]).toEqual(['IMAGE_UNSUPPORTED', 'svg images are not supported; expected jpeg, png, webp, avif, gif or tiff']);
  });

  it('more bytes than maxInputBytes → IMAGE_TOO_LARGE', async () => {
    const jpeg = await makeJpeg(600, 400);
    const { error } = await failureOf(jpeg, { maxInputBytes: 1000 });
    expect([error.code, error.message]).toEqual(['IMAGE_TOO_LARGE', `image is ${jpeg.length} bytes (${(jpeg.length / 1024).toFixed(1)} KiB), more than maxInputBytes (1000, 1000 B)`]);
  });

  it('a decompression bomb (a PNG header declaring 100000x100000) → IMAGE_TOO_LARGE from the header, quickly', async () => {
    const bomb = makePngDeclaring(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const { error, ms } = await failureOf(bomb);
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.message).toBe('image is 100000x100000 (10000000000 pixels), more than limitInputPixels (268402689)');
    expect(ms).toBeLessThan(500);
  });

  it('a real, highly compressible image over limitInputPixels → IMAGE_TOO_LARGE before decoding', async () => {
    // 4000x4000 of one colour compresses to a few kilobytes: a small upload, 16 megapixels decoded.
    const solid = await sharp({ create: { width: 4000, height: 4000, channels: 3, background: '#336699' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(solid.length).toBeLessThan(100_000);
    const { error, ms } = await failureOf(solid, { limitInputPixels: 10_000_000 });
    expect(error.code).toBe('IMAGE_TOO_LARGE');
    expect(error.message).toBe('image is 4000x4000 (16000000 pixels), more than limitInputPixels (10000000)');
    expect(ms).toBeLessThan(200);
  });
});
