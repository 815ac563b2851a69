import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../core.ts';
import type { ResizedImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import { corpus } from '../../../test/support/paths.ts';

/**
 * No corpus image carries a non-sRGB profile (SOURCES.md: the EXIF corpus had its Apple profiles
 * removed upstream), so one is derived from sharp's flag fixture: its saturated red and blue,
 * converted to Display P3 and tagged with that profile. Stored P3 numbers differ from sRGB ones by
 * up to 16 per channel here, so showing them without converting gives visibly wrong colours.
 */
const flag = corpus('images-sharp-fixtures', 'Flag_of_the_Netherlands.png');
const RED = [174, 28, 40]; // sRGB, as the fixture stores them
const BLUE = [33, 70, 139];
const FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;

/** RGB at the middle of the top (red) and bottom (blue) stripes; `stored` skips the ICC conversion. */
async function stripes(image: Buffer, stored = false): Promise<number[][]> {
  const { data, info } = await sharp(image, { ignoreIcc: stored }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return [1 / 6, 5 / 6].map((y) => {
    const offset = (Math.floor(info.height * y) * info.width + Math.floor(info.width / 2)) * 3;
    return [...data.subarray(offset, offset + 3)];
  });
}

function expectClose(actual: number[][], expected: number[][], tolerance: number, label: string): void {
  actual.forEach((colour, index) =>
    colour.forEach((value, channel) => expect(Math.abs(value - expected[index]![channel]!), `${label}: ${colour.join(',')} vs ${expected[index]!.join(',')}`).toBeLessThanOrEqual(tolerance)),
  );
}

let p3: Buffer;
let p3Stored: number[][];
let p3Profile: Buffer;

async function resizeP3(keepMetadata: boolean): Promise<ResizedImage[]> {
  return resizeImage(p3, resizeSpec.parse({ keepMetadata, variants: FORMATS.map((format) => ({ name: format, width: 300, format })) }));
}

beforeAll(async () => {
  p3 = await sharp(flag).withIccProfile('p3').png().toBuffer();
  p3Stored = await stripes(p3, true);
  p3Profile = (await sharp(p3).metadata()).icc!;
});

describe(`ICC profiles (derived from ${flag})`, () => {
  it('the derived image stores P3 numbers, far from the sRGB ones', async () => {
    expectClose(await stripes(p3), [RED, BLUE], 2, 'P3 shown through its profile');
    const furthest = Math.max(...p3Stored.flatMap((colour, index) => colour.map((value, channel) => Math.abs(value - [RED, BLUE][index]![channel]!))));
    expect(furthest).toBeGreaterThan(10);
  });

  it('by default, converts the pixels to sRGB and drops the profile', async () => {
    for (const output of await resizeP3(false)) {
      expect((await sharp(output.data).metadata()).icc, output.format).toBeUndefined();
      expectClose(await stripes(output.data, true), [RED, BLUE], 3, output.format);
    }
  });

  it('with keepMetadata, keeps the profile and leaves the pixels in its colours', async () => {
    for (const output of await resizeP3(true)) {
      const icc = (await sharp(output.data).metadata()).icc;
      expect(icc?.equals(p3Profile), output.format).toBe(true);
      expectClose(await stripes(output.data, true), p3Stored, 3, `${output.format} stored`);
      expectClose(await stripes(output.data), [RED, BLUE], 3, `${output.format} shown`);
    }
  });
});
