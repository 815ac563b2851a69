import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../core.ts';
import type { ResizedImage } from '../core.ts';
import { ImageDeadline } from '../deadline.ts';
import { decodeImage } from '../decode.ts';
import { resolveOutputFormat } from '../formats.ts';
import { inspectImage } from '../inspect.ts';
import { renderVariant } from '../render.ts';
import { FITS, SHARP_PIXEL_LIMIT, resizeSpec } from '../spec.ts';
import type { ResizeConfig, ResizeConfigInput } from '../spec.ts';
import { greyPixels, meanAbsoluteDifference } from './image-similarity.ts';
import { makeJpeg, makeTransparentPng } from './test-images.ts';

type VariantInput = ResizeConfigInput['variants'][number];

/**
 * Measured on these images: the pyramid's outputs differ from a straight render by under 0.5 (of
 * 255) for scales, bars, stretches and gravity crops, and by up to 5 where a smart crop, analysing
 * a smaller image, settles on a slightly different region. A mirrored output differs by over 20.
 */
const SAME_PICTURE = 2;
const SAME_SMART_CROP = 8;

/** Every variant made straight from a full-size decode: resizeImage before the pyramid. */
async function resizeStraight(input: Buffer, options: ResizeConfig): Promise<ResizedImage[]> {
  const config = { ...options, limitInputPixels: options.limitInputPixels ?? SHARP_PIXEL_LIMIT };
  const inspected = await inspectImage(input, config);
  const deadline = new ImageDeadline(config.timeoutSeconds);
  const decoded = await decodeImage(input, { limitInputPixels: config.limitInputPixels, frames: 1, orientation: inspected.orientation, keepIcc: false, deadline });
  return Promise.all(config.variants.map((variant) => renderVariant(decoded, variant, resolveOutputFormat(variant, inspected.sourceFormat), 'variant', { deadline })));
}

/** Compared at a size every output can be squeezed to without losing what it shows. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  return meanAbsoluteDifference(await greyPixels(a, 48, 48), await greyPixels(b, 48, 48));
}

function isSmartCrop(variant: VariantInput): boolean {
  return variant.position === 'attention' || variant.position === 'entropy';
}

async function expectSameAsStraight(input: Buffer, variants: VariantInput[]): Promise<void> {
  const config = resizeSpec.parse({ variants });
  const [outputs, expected] = await Promise.all([resizeImage(input, config), resizeStraight(input, config)]);
  const sizes = (images: ResizedImage[]) => images.map((image) => `${image.name} ${image.width}x${image.height}`);
  expect(sizes(outputs)).toEqual(sizes(expected));
  for (const [index, output] of outputs.entries()) {
    const variant = variants[index]!;
    const metadata = await sharp(output.data).metadata();
    expect([metadata.width, metadata.height], output.name).toEqual([output.width, output.height]);
    const limit = isSmartCrop(variant) ? SAME_SMART_CROP : SAME_PICTURE;
    expect(await difference(output.data, expected[index]!.data), `${output.name}: ${JSON.stringify(variant)}`).toBeLessThan(limit);
  }
}

const SIZES = [
  { width: 200, height: 200 },
  { width: 333 },
  { height: 251 },
  { width: 800, height: 300 },
  { width: 150, height: 700 },
  { width: 1000, height: 1000 },
  { width: 2000 },
] as const;
const POSITIONS = ['centre', 'attention', 'entropy', 'left top'] as const;

/** Every fit, size and enlarge setting, in one config so that the variants build on each other. */
function variantGrid(formats: readonly ('jpeg' | 'png' | 'webp')[]): VariantInput[] {
  let index = 0;
  return FITS.flatMap((fit) =>
    [false, true].flatMap((enlarge) =>
      SIZES.map((size) => {
        const n = index++;
        const position = fit === 'cover' ? POSITIONS[n % POSITIONS.length] : 'centre';
        return { name: `v${n}`, ...size, fit, enlarge, position, format: formats[n % formats.length], quality: 90 };
      }),
    ),
  );
}

let landscape: Buffer; // 1200x800 jpeg
let transparentPortrait: Buffer; // 601x999 png, transparent background

beforeAll(async () => {
  landscape = await makeJpeg(1200, 800);
  transparentPortrait = await makeTransparentPng(601, 999);
});

describe('resizeImage: resampling pyramid', () => {
  it('gives every fit, size and enlarge setting the size and picture of a straight render (jpeg)', async () => {
    await expectSameAsStraight(landscape, variantGrid(['jpeg']));
  });

  it('does the same with alpha, whether the output keeps it or flattens it', async () => {
    await expectSameAsStraight(transparentPortrait, variantGrid(['png', 'jpeg', 'webp']));
  });

  it('does the same when the decode is made straight at a reduced size', async () => {
    const source = await makeJpeg(2401, 1599);
    await expectSameAsStraight(source, [
      { name: 'a', width: 1500, format: 'jpeg' },
      { name: 'b', height: 777, format: 'jpeg' },
      { name: 'c', width: 200, height: 200, position: 'attention', format: 'jpeg' },
      { name: 'd', width: 640, height: 480, fit: 'contain', format: 'png' },
      { name: 'e', width: 300, height: 1000, fit: 'fill', format: 'jpeg' },
      { name: 'f', width: 999, height: 999, fit: 'inside', format: 'jpeg' },
      { name: 'g', width: 500, height: 500, fit: 'outside', format: 'jpeg' },
      { name: 'h', width: 333, height: 111, position: 'entropy', format: 'webp' },
    ]);
  });

  it('makes the thumbnails pipeline look like sharp straight from the file', async () => {
    const photo = await readFile(fileURLToPath(new URL('../../../pipelines/samples/uploads/images/harbour-dawn.jpg', import.meta.url)));
    const variants = [
      { name: 'thumb', width: 200, height: 200, position: 'attention', format: 'webp', quality: 75 },
      { name: 'medium', width: 800, format: 'jpeg', quality: 82 },
      { name: 'large', width: 1600, format: 'jpeg' },
    ] as const;
    const outputs = await resizeImage(photo, resizeSpec.parse({ variants }));
    for (const [index, variant] of variants.entries()) {
      const resized = sharp(photo)
        .rotate()
        .resize({ width: variant.width, height: 'height' in variant ? variant.height : undefined, position: 'position' in variant ? variant.position : 'centre' });
      // The same encoder and settings: what is compared is the resizing.
      const direct = await (variant.format === 'webp' ? resized.webp({ quality: variant.quality }) : resized.jpeg({ quality: 'quality' in variant ? variant.quality : 80, progressive: true })).toBuffer();
      const directMetadata = await sharp(direct).metadata();
      const output = outputs[index]!;
      expect([output.width, output.height], variant.name).toEqual([directMetadata.width, directMetadata.height]);
      expect(await difference(output.data, direct), variant.name).toBeLessThan(index === 0 ? SAME_SMART_CROP : SAME_PICTURE);
    }
  });

  it('the comparison tells a mirrored picture apart', async () => {
    const config = resizeSpec.parse({ variants: [{ name: 'v', width: 300, height: 300, position: 'attention', format: 'png' }] });
    const [output] = await resizeImage(landscape, config);
    const mirrored = await sharp(output!.data).flop().toBuffer();
    expect(await difference(output!.data, mirrored)).toBeGreaterThan(SAME_SMART_CROP * 2);
  });
});
