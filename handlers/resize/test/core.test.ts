import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../core.ts';
import type { ResizedImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import type { ResizeConfigInput } from '../spec.ts';
import { greyPixels, meanAbsoluteDifference } from './image-similarity.ts';
import { makeJpeg, makeJpegWithMetadata, makeTransparentPng } from './test-images.ts';

type VariantInput = ResizeConfigInput['variants'][number];

async function resize(input: Buffer, ...variants: VariantInput[]): Promise<ResizedImage[]> {
  return resizeImage(input, resizeSpec.parse({ variants }));
}

async function resizeOne(input: Buffer, variant: Omit<VariantInput, 'name'>): Promise<ResizedImage> {
  const [output] = await resize(input, { name: 'v', ...variant });
  if (!output) throw new Error('no output');
  return output;
}

/** RGBA of one pixel of an encoded image. */
async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * 4;
  return [...data.subarray(offset, offset + 4)];
}

let landscape: Buffer; // 1200x800 jpeg
let transparent: Buffer; // 400x400 png, transparent corners

beforeAll(async () => {
  landscape = await makeJpeg(1200, 800);
  transparent = await makeTransparentPng(400, 400);
});

describe('resizeImage: dimensions', () => {
  it.each([
    ['cover', 300, 300, 300, 300],
    ['contain', 300, 300, 300, 300],
    ['fill', 300, 300, 300, 300],
    ['inside', 300, 300, 300, 200],
    ['outside', 300, 300, 450, 300],
  ] as const)('fit %s into %ix%i gives %ix%i', async (fit, width, height, outWidth, outHeight) => {
    const output = await resizeOne(landscape, { width, height, fit });
    expect([output.width, output.height]).toEqual([outWidth, outHeight]);
    const metadata = await sharp(output.data).metadata();
    expect([metadata.width, metadata.height]).toEqual([outWidth, outHeight]);
  });

  it('derives the missing side from the aspect ratio', async () => {
    const [byWidth, byHeight] = await resize(landscape, { name: 'w', width: 600 }, { name: 'h', height: 200 });
    expect([byWidth?.width, byWidth?.height]).toEqual([600, 400]);
    expect([byHeight?.width, byHeight?.height]).toEqual([300, 200]);
  });

  it('keeps the size when neither side is given (format conversion only)', async () => {
    const output = await resizeOne(landscape, { format: 'webp' });
    expect([output.width, output.height, output.format]).toEqual([1200, 800, 'webp']);
  });

  it('never enlarges by default: the output may be smaller than asked', async () => {
    const [wide, square, partly] = await resize(
      landscape,
      { name: 'wide', width: 2400 },
      { name: 'square', width: 2000, height: 2000 },
      { name: 'partly', width: 1000, height: 1000 },
    );
    expect([wide?.width, wide?.height]).toEqual([1200, 800]);
    expect([square?.width, square?.height]).toEqual([1200, 800]);
    // sharp's withoutEnlargement: crops the side that is too big, does not scale the other up.
    expect([partly?.width, partly?.height]).toEqual([1000, 800]);
  });

  it('enlarges when asked', async () => {
    const output = await resizeOne(landscape, { width: 2400, enlarge: true });
    expect([output.width, output.height]).toEqual([2400, 1600]);
  });

  it('crops where position says', async () => {
    // The source has a dark block in its top-left corner: `left top` keeps it, `right bottom` does not.
    const [leftTop, rightBottom] = await resize(
      landscape,
      { name: 'lt', width: 200, height: 200, position: 'left top', format: 'png' },
      { name: 'rb', width: 200, height: 200, position: 'right bottom', format: 'png' },
    );
    expect((await pixelAt(leftTop!.data, 5, 5)).slice(0, 3)).toEqual([17, 17, 17]);
    const [r, g, b] = await pixelAt(rightBottom!.data, 5, 5);
    expect(r! + g! + b!).toBeGreaterThan(200);
  });

  it('accepts smart-crop strategies', async () => {
    const outputs = await resize(
      landscape,
      { name: 'attention', width: 200, height: 300, position: 'attention' },
      { name: 'entropy', width: 200, height: 300, position: 'entropy' },
    );
    expect(outputs.map((output) => [output.width, output.height])).toEqual([
      [200, 300],
      [200, 300],
    ]);
  });
});

describe('resizeImage: formats', () => {
  it.each([
    ['jpeg', 'jpeg', 'image/jpeg', 'jpg'],
    ['png', 'png', 'image/png', 'png'],
    ['webp', 'webp', 'image/webp', 'webp'],
    ['avif', 'heif', 'image/avif', 'avif'],
  ] as const)('writes %s (sharp reads it back as %s)', async (format, sharpFormat, contentType, ext) => {
    const output = await resizeOne(landscape, { width: 120, format });
    expect(output).toMatchObject({ format, contentType, ext });
    const metadata = await sharp(output.data).metadata();
    expect(metadata.format).toBe(sharpFormat);
    if (format === 'avif') expect(metadata.compression).toBe('av1');
  });

  it.each([
    ['jpeg', 'jpeg', (image: sharp.Sharp) => image.jpeg()],
    ['png', 'png', (image: sharp.Sharp) => image.png()],
    ['webp', 'webp', (image: sharp.Sharp) => image.webp()],
    ['avif', 'avif', (image: sharp.Sharp) => image.avif()],
    ['gif', 'png', (image: sharp.Sharp) => image.gif()],
    ['tiff', 'png', (image: sharp.Sharp) => image.tiff()],
  ] as const)('format source: a %s source gives %s', async (_name, expected, encode) => {
    const source = await encode(sharp(landscape).resize(300)).toBuffer();
    const output = await resizeOne(source, { width: 100 });
    expect(output.format).toBe(expected);
  });

  it('writes progressive jpeg', async () => {
    const output = await resizeOne(landscape, { width: 300, format: 'jpeg' });
    expect((await sharp(output.data).metadata()).isProgressive).toBe(true);
  });

  it('applies quality', async () => {
    const [low, high] = await resize(landscape, { name: 'low', width: 600, format: 'webp', quality: 20 }, { name: 'high', width: 600, format: 'webp', quality: 95 });
    expect(low!.data.length).toBeLessThan(high!.data.length / 2);
  });
});

describe('resizeImage: metadata and colour', () => {
  it('strips EXIF, XMP and ICC from every output', async () => {
    const source = await makeJpegWithMetadata(800, 600);
    const sourceMetadata = await sharp(source).metadata();
    expect([Boolean(sourceMetadata.exif), Boolean(sourceMetadata.xmp), Boolean(sourceMetadata.icc)]).toEqual([true, true, true]);
    const outputs = await resize(
      source,
      ...(['jpeg', 'png', 'webp', 'avif'] as const).map((format) => ({ name: format, width: 200, format })),
    );
    for (const output of outputs) {
      const metadata = await sharp(output.data).metadata();
      expect({ format: output.format, exif: metadata.exif, xmp: metadata.xmp, icc: metadata.icc, iptc: metadata.iptc }).toEqual({
        format: output.format,
        exif: undefined,
        xmp: undefined,
        icc: undefined,
        iptc: undefined,
      });
      expect(output.data.includes('secret location')).toBe(false);
    }
  });

  it('converts an embedded ICC profile to sRGB before dropping it', async () => {
    // The same red, stored in Display P3 with its profile: dropping the profile without converting
    // would give a visibly different, duller red.
    const red = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const p3 = await sharp(red).withIccProfile('p3').png().toBuffer();
    const output = await resizeOne(p3, { width: 32, format: 'png' });
    const [r, g, b] = await pixelAt(output.data, 16, 16);
    expect(r).toBeGreaterThan(250);
    expect(g).toBeLessThan(5);
    expect(b).toBeLessThan(5);
  });

  it('converts CMYK and greyscale sources to sRGB', async () => {
    const cmyk = await sharp(landscape).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const grey = await sharp(landscape).greyscale().png().toBuffer();
    for (const source of [cmyk, grey]) {
      const output = await resizeOne(source, { width: 100, format: 'jpeg' });
      expect((await sharp(output.data).metadata()).space).toBe('srgb');
    }
  });
});

describe('resizeImage: alpha', () => {
  it('keeps transparency in png, webp and avif', async () => {
    const outputs = await resize(transparent, ...(['png', 'webp', 'avif'] as const).map((format) => ({ name: format, width: 100, format })));
    for (const output of outputs) {
      expect((await sharp(output.data).metadata()).hasAlpha, output.format).toBe(true);
      expect((await pixelAt(output.data, 99, 0))[3], output.format).toBe(0);
    }
  });

  it('flattens onto white for jpeg, or onto the background colour', async () => {
    const [white, blue] = await resize(
      transparent,
      { name: 'white', width: 100, format: 'jpeg' },
      { name: 'blue', width: 100, format: 'jpeg', background: '#0000ff' },
    );
    expect((await sharp(white!.data).metadata()).hasAlpha).toBe(false);
    const [r, g, b] = await pixelAt(white!.data, 99, 0);
    expect(Math.min(r!, g!, b!)).toBeGreaterThan(250);
    const [br, bg, bb] = await pixelAt(blue!.data, 99, 0);
    expect([br! < 10, bg! < 10, bb! > 245]).toEqual([true, true, true]);
  });

  it('letterboxes contain with transparent bars, white bars for jpeg, or the background colour', async () => {
    const [png, jpeg, red] = await resize(
      landscape,
      { name: 'png', width: 300, height: 300, fit: 'contain', format: 'png' },
      { name: 'jpeg', width: 300, height: 300, fit: 'contain', format: 'jpeg' },
      { name: 'red', width: 300, height: 300, fit: 'contain', format: 'png', background: 'red' },
    );
    expect(await pixelAt(png!.data, 150, 10)).toEqual([0, 0, 0, 0]);
    expect((await pixelAt(jpeg!.data, 150, 10)).every((channel) => channel > 250)).toBe(true);
    expect(await pixelAt(red!.data, 150, 10)).toEqual([255, 0, 0, 255]);
  });
});

describe('resizeImage: shrink-on-load', () => {
  it('gives the same picture as resizing each variant straight from the file', async () => {
    // Every variant here is at most half the source, so the one decode is made at reduced size.
    const source = await makeJpeg(2400, 1600);
    const variants = [
      { name: 'thumb', width: 200, height: 200, fit: 'cover' as const },
      { name: 'medium', width: 800 },
    ];
    const outputs = await resize(source, ...variants);
    for (const [index, variant] of variants.entries()) {
      const output = outputs[index]!;
      const direct = await sharp(source).resize({ width: variant.width, height: 'height' in variant ? variant.height : undefined }).png().toBuffer();
      const directMetadata = await sharp(direct).metadata();
      expect([output.width, output.height]).toEqual([directMetadata.width, directMetadata.height]);
      const difference = meanAbsoluteDifference(await greyPixels(output.data, 100, 66), await greyPixels(direct, 100, 66));
      expect(difference, variant.name).toBeLessThan(2);
    }
  });
});
