import { readFile, readdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';

const samplesDir = fileURLToPath(new URL('../../../pipelines/samples/uploads/images/', import.meta.url));
const config = resizeSpec.parse({
  variants: [
    { name: 'thumb', width: 200, height: 200, fit: 'cover', format: 'webp', quality: 75 },
    { name: 'large', width: 1600, format: 'jpeg', quality: 82 },
  ],
});

async function sample(name: string): Promise<Buffer> {
  return readFile(`${samplesDir}${name}`);
}

describe('shipped sample uploads', () => {
  it('are small enough to commit (under 2 MB together)', async () => {
    const names = await readdir(samplesDir);
    expect(names).toContain('café sign.png');
    const sizes = await Promise.all(names.map(async (name) => (await stat(`${samplesDir}${name}`)).size));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThan(2 * 1024 * 1024);
  });

  it.each(['harbour-dawn.jpg', 'mountain-lake.jpg', 'city-blocks.jpg', 'logo-badge.png', 'forest-trail.webp', 'café sign.png'])('%s resizes', async (name) => {
    const outputs = await resizeImage(await sample(name), config);
    expect(outputs.map((output) => output.name)).toEqual(['thumb', 'large']);
  });

  it('phone-portrait.jpg is stored sideways with EXIF orientation 6 and comes out upright (portrait)', async () => {
    const outputs = await resizeImage(await sample('phone-portrait.jpg'), config);
    expect(outputs.map((output) => [output.width, output.height])).toEqual([
      [200, 200],
      [1200, 1600],
    ]);
  });

  it('broken-upload.jpg fails as IMAGE_CORRUPT, for the quarantine demo', async () => {
    const error = await resizeImage(await sample('broken-upload.jpg'), config).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('IMAGE_CORRUPT');
  });
});
