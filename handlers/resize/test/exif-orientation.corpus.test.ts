import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../core.ts';
import { ImageDeadline } from '../deadline.ts';
import { orientFrames } from '../orient-frames.ts';
import { resizeSpec } from '../spec.ts';
import { exifCorpusDir } from './corpus.ts';
import { greyPixels, meanAbsoluteDifference } from './image-similarity.ts';

/**
 * Each corpus image shows an "F" once its EXIF orientation is applied. Checked by pixels: every
 * output must look like the output for orientation 1 and have the right shape. Measured here,
 * an upright match differs by under 1 (of 255); a mirrored or turned F (what ignoring EXIF
 * gives) by 35 or more.
 */
const UPRIGHT_THRESHOLD = 8;
const check = { name: 'check', width: 240, height: 240, fit: 'inside', format: 'png' } as const;
/**
 * Every decode path: straight at reduced size (JPEG shrink-on-load), full size, and with the
 * metadata kept (pixels laid over a carrier of the source's EXIF, whose orientation is reset).
 */
const configs = {
  'shrink-on-load': resizeSpec.parse({ variants: [check] }),
  'full-size decode': resizeSpec.parse({ variants: [check, { name: 'full', format: 'jpeg' }] }),
  keepMetadata: resizeSpec.parse({ keepMetadata: true, variants: [check] }),
};

async function resizeCorpusImage(file: string, config = configs['shrink-on-load']) {
  const [output] = await resizeImage(await readFile(join(exifCorpusDir, file)), config);
  if (!output) throw new Error(`no output for ${file}`);
  return output;
}

describe(`EXIF orientation (corpus: ${exifCorpusDir})`, () => {
  for (const shape of ['Landscape', 'Portrait'] as const) {
    describe(shape, () => {
      const [width, height] = shape === 'Landscape' ? [48, 32] : [32, 48];
      let reference: Buffer;

      beforeAll(async () => {
        const upright = await resizeCorpusImage(`${shape}_1.jpg`);
        reference = await greyPixels(upright.data, width, height);
      });

      const cases = Object.keys(configs).flatMap((path) => [0, 1, 2, 3, 4, 5, 6, 7, 8].map((orientation) => [orientation, path] as const));
      it.each(cases)(`${shape}_%i comes out upright (%s)`, async (orientation, path) => {
        const output = await resizeCorpusImage(`${shape}_${orientation}.jpg`, configs[path as keyof typeof configs]);
        expect([output.width, output.height]).toEqual(shape === 'Landscape' ? [240, 160] : [160, 240]);
        // Metadata kept or not, nothing tells a viewer to turn the upright pixels again.
        expect((await sharp(output.data).metadata()).orientation ?? 1).toBe(1);
        const difference = meanAbsoluteDifference(await greyPixels(output.data, width, height), reference);
        expect(difference).toBeLessThan(UPRIGHT_THRESHOLD);
      });

      it('the comparison tells a mirrored or turned F apart', async () => {
        const upright = await resizeCorpusImage(`${shape}_1.jpg`);
        const mirrored = await sharp(upright.data).flop().toBuffer();
        const upsideDown = await sharp(upright.data).rotate(180).toBuffer();
        for (const wrong of [mirrored, upsideDown]) {
          expect(meanAbsoluteDifference(await greyPixels(wrong, width, height), reference)).toBeGreaterThan(UPRIGHT_THRESHOLD * 2);
        }
      });
    });
  }
});

describe(`orientFrames, which turns the frames of animations upright (corpus: ${exifCorpusDir})`, () => {
  // An animation's frames are turned one by one; here each corpus image is a one-frame animation.
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8])('turns Landscape_%i exactly as sharp turns a still image', async (orientation) => {
    const file = join(exifCorpusDir, `Landscape_${orientation}.jpg`);
    const stored = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const expected = await sharp(file).rotate().raw().toBuffer({ resolveWithObject: true });
    const { width, height, channels } = stored.info;
    const upright = await orientFrames({ data: stored.data, width, height, channels, frames: 1 }, orientation, new ImageDeadline(30));
    expect([upright.width, upright.height]).toEqual([expected.info.width, expected.info.height]);
    expect(upright.data.equals(expected.data)).toBe(true);
  });
});
