import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../core.ts';
import type { ResizedImage } from '../core.ts';
import { jpegOptions } from '../encode.ts';
import { resizeSpec } from '../spec.ts';
import type { ResizeConfigInput } from '../spec.ts';
import { greyPixels, meanAbsoluteDifference } from './image-similarity.ts';
import { makeTransparentPng } from './test-images.ts';

type VariantInput = ResizeConfigInput['variants'][number];

let photo: Buffer; // a shipped sample photo, 2400x1600 jpeg

beforeAll(async () => {
  photo = await readFile(new URL('../../../pipelines/samples/uploads/images/harbour-dawn.jpg', import.meta.url));
});

async function resize(input: Buffer, ...variants: VariantInput[]): Promise<ResizedImage[]> {
  return resizeImage(input, resizeSpec.parse({ variants }));
}

async function isProgressive(image: Buffer): Promise<boolean | undefined> {
  return (await sharp(image).metadata()).isProgressive;
}

describe('jpeg options', () => {
  it('writes progressive jpeg by default, baseline with progressive: false', async () => {
    const [progressive, baseline] = await resize(photo, { name: 'p', width: 800, format: 'jpeg' }, { name: 'b', width: 800, format: 'jpeg', progressive: false });
    expect([await isProgressive(progressive!.data), await isProgressive(baseline!.data)]).toEqual([true, false]);
    // The same picture either way.
    expect(meanAbsoluteDifference(await greyPixels(progressive!.data, 80, 53), await greyPixels(baseline!.data, 80, 53))).toBeLessThan(1);
  });

  it('mozjpeg: smaller at the same quality, the same picture, progressive unless asked otherwise', async () => {
    const [plain, mozjpeg, mozjpegBaseline] = await resize(
      photo,
      { name: 'plain', width: 1200, format: 'jpeg', quality: 80 },
      { name: 'moz', width: 1200, format: 'jpeg', quality: 80, mozjpeg: true },
      { name: 'moz-baseline', width: 1200, format: 'jpeg', quality: 80, mozjpeg: true, progressive: false },
    );
    expect(mozjpeg!.data.length).toBeLessThan(plain!.data.length);
    expect(meanAbsoluteDifference(await greyPixels(mozjpeg!.data, 120, 80), await greyPixels(plain!.data, 120, 80))).toBeLessThan(2);
    expect([await isProgressive(mozjpeg!.data), await isProgressive(mozjpegBaseline!.data)]).toEqual([true, false]);
    expect([mozjpeg!.width, mozjpeg!.height, mozjpeg!.format]).toEqual([1200, 800, 'jpeg']);
  });

  it("spells out sharp's mozjpeg preset so that progressive: false is honoured", () => {
    expect(jpegOptions({ quality: 75, progressive: true, mozjpeg: false })).toEqual({ quality: 75, progressive: true, mozjpeg: false });
    expect(jpegOptions({ quality: undefined, progressive: false, mozjpeg: true })).toEqual({
      quality: undefined,
      progressive: false,
      trellisQuantisation: true,
      overshootDeringing: true,
      optimiseScans: false,
      quantisationTable: 3,
    });
  });

  it('apply with format: source when the source is a jpeg, and are ignored for other outputs', async () => {
    const [source, webp] = await resize(photo, { name: 'source', width: 400, progressive: false }, { name: 'webp', width: 400, format: 'webp', progressive: false, mozjpeg: true });
    expect([source!.format, await isProgressive(source!.data)]).toEqual(['jpeg', false]);
    expect((await sharp(webp!.data).metadata()).format).toBe('webp');
    const png = await makeTransparentPng(200, 200);
    const [fromPng] = await resize(png, { name: 'source', width: 100, progressive: false });
    expect([fromPng!.format, (await sharp(fromPng!.data).metadata()).hasAlpha]).toEqual(['png', true]);
  });
});
