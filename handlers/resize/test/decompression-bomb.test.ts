import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import type { ResizeConfigInput } from '../spec.ts';
import { makeGifDeclaring, makeJpegDeclaring } from './bomb-images.ts';
import { makePngDeclaring } from './png-header.ts';

const MB = 1024 * 1024;

/**
 * Rejecting a bomb must cost what reading its header costs. Each is refused 10 times over and
 * the bounds are loose (a shared machine): decoding even one would take gigabytes and seconds.
 */
async function rejectRepeatedly(bomb: Buffer, config: ResizeConfigInput): Promise<{ errors: InputError[]; ms: number; heapGrowth: number; peakRssGrowth: number }> {
  const parsed = resizeSpec.parse(config);
  const heapBefore = process.memoryUsage().heapUsed;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const errors: InputError[] = [];
  for (let round = 0; round < 10; round++) {
    const error = await resizeImage(bomb, parsed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    errors.push(error as InputError);
  }
  return {
    errors,
    ms: (performance.now() - started) / 10,
    heapGrowth: process.memoryUsage().heapUsed - heapBefore,
    peakRssGrowth: process.resourceUsage().maxRSS * 1024 - peakBefore,
  };
}

const thumb = { variants: [{ name: 'thumb', width: 200, height: 200, format: 'webp' as const }] };

describe('decompression bombs are rejected from the header, quickly, in bounded memory', () => {
  it.each([
    ['a PNG declaring 100000x100000 (10 gigapixels)', () => makePngDeclaring(100_000, 100_000), 'image is 100000x100000 (10000000000 pixels), more than limitInputPixels (268402689)'],
    ['a JPEG declaring 65500x65500 (4.3 gigapixels)', () => makeJpegDeclaring(65_500, 65_500), 'image is 65500x65500 (4290250000 pixels), more than limitInputPixels (268402689)'],
  ] as const)('%s', async (_name, make, message) => {
    const bomb = await make();
    expect(bomb.length).toBeLessThan(1000);
    const { errors, ms, heapGrowth, peakRssGrowth } = await rejectRepeatedly(bomb, thumb);
    expect(errors.map((error) => [error.code, error.message])).toEqual(Array.from({ length: 10 }, () => ['IMAGE_TOO_LARGE', message]));
    expect(ms).toBeLessThan(100);
    expect(heapGrowth).toBeLessThan(16 * MB);
    expect(peakRssGrowth).toBeLessThan(64 * MB);
  });

  it('an animated GIF hiding 400 megapixels in 100 one-pixel frames of a 2000x2000 screen, with animation: all', async () => {
    const bomb = makeGifDeclaring(2000, 2000, 100);
    expect(bomb.length).toBeLessThan(3000);
    const { errors, ms, heapGrowth, peakRssGrowth } = await rejectRepeatedly(bomb, { ...thumb, animation: 'all' });
    expect(errors[0]?.message).toBe('image is 2000x2000 in 100 frames (400000000 pixels), more than limitInputPixels (268402689)');
    expect(errors.every((error) => error.code === 'IMAGE_TOO_LARGE')).toBe(true);
    expect(ms).toBeLessThan(100);
    expect(heapGrowth).toBeLessThan(16 * MB);
    expect(peakRssGrowth).toBeLessThan(64 * MB);
  });

  it('the same GIF with animation: first is one 4-megapixel frame, within the limit', async () => {
    const [output] = await resizeImage(makeGifDeclaring(2000, 2000, 100), resizeSpec.parse(thumb));
    expect([output?.width, output?.height, output?.frames]).toEqual([200, 200, 1]);
  });
});
