import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../../handlers/resize/core.ts';
import { resizeSpec } from '../../../handlers/resize/spec.ts';
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
/** Both decode paths: straight at reduced size (JPEG shrink-on-load), and full size. */
const configs = {
  'shrink-on-load': resizeSpec.parse({ variants: [check] }),
  'full-size decode': resizeSpec.parse({ variants: [check, { name: 'full', format: 'jpeg' }] }),
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
