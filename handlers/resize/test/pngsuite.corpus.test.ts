import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import { corpus } from '../../../test/support/paths.ts';

/**
 * PngSuite (see its SOURCES.md): 161 valid PNGs covering every colour type, bit depth,
 * interlacing, palette, transparency, gamma, filter and chunk-ordering case, and 14 deliberately
 * corrupt ones (`x*`) that a decoder must reject. `json-expected-rgba/` holds the expected pixels
 * of each valid file as flat 8-bit RGBA, and for 16-bit files also at full depth.
 */
const pngDir = corpus('pngsuite', 'png');
const expectedDir = corpus('pngsuite', 'json-expected-rgba');
const files = readdirSync(pngDir).filter((name) => name.endsWith('.png'));
const valid = files.filter((name) => !name.startsWith('x'));
const corrupt = files.filter((name) => name.startsWith('x'));

const config = resizeSpec.parse({
  variants: [
    { name: 'same', format: 'png' },
    { name: 'thumb', width: 16, height: 16, fit: 'cover', format: 'webp' },
    { name: 'wide', width: 24, format: 'jpeg' },
  ],
});

/** Size and bit depth as the file's IHDR declares them. */
function header(file: Buffer): { width: number; height: number; bitDepth: number } {
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20), bitDepth: file[24] as number };
}

/**
 * Expected RGBA, 8 bits a channel. A 16-bit file is compared with its full-depth pixels reduced as
 * libvips reduces them (the high byte), exactly; the `_to8` files were rounded by another decoder.
 */
function expectedPixels(stem: string, bitDepth: number): Buffer {
  const values = JSON.parse(readFileSync(join(expectedDir, `${stem}.json`), 'utf8')) as number[];
  return Buffer.from(bitDepth === 16 ? values.map((value) => value >> 8) : values);
}

describe(`PngSuite (corpus: ${pngDir})`, () => {
  it('has the 161 valid and 14 corrupt files SOURCES.md lists', () => {
    expect([valid.length, corrupt.length]).toEqual([161, 14]);
  });

  it.each(valid)('%s gives correct variants, its pixels exact at 1:1', async (name) => {
    const file = readFileSync(join(pngDir, name));
    const { width, height, bitDepth } = header(file);
    const outputs = await resizeImage(file, config);
    // Never enlarged: `cover` crops a side that is too long and keeps one that is too short (the
    // s* files are 1x1 to 40x40, cdfn 8x32, cdhn 32x8); `width` scales only what is wider.
    const wide = width > 24 ? [24, Math.round((height * 24) / width)] : [width, height];
    expect(outputs.map((output) => [output.name, output.format, output.width, output.height])).toEqual([
      ['same', 'png', width, height],
      ['thumb', 'webp', Math.min(width, 16), Math.min(height, 16)],
      ['wide', 'jpeg', ...wide],
    ]);
    for (const output of outputs) {
      const metadata = await sharp(output.data).metadata();
      expect([metadata.format, metadata.width, metadata.height], output.name).toEqual([output.format, output.width, output.height]);
    }
    const pixels = await sharp(outputs[0]!.data).ensureAlpha().raw().toBuffer();
    expect(pixels.equals(expectedPixels(name.replace(/\.png$/, ''), bitDepth))).toBe(true);
  });

  const reasons: Record<string, RegExp> = {
    xc1n0g08: /invalid color type/,
    xc9n2c08: /invalid color type/,
    xd0n2c08: /invalid bit depth/,
    xd3n2c08: /invalid bit depth/,
    xd9n2c08: /invalid bit depth/,
    xcrn0g04: /the PNG signature is damaged \(89 50 4e 47 0d 0d 1a 0d, expected 89 50 4e 47 0d 0a 1a 0a\), as a transfer that converts line endings/,
    xlfn0g04: /the PNG signature is damaged \(89 50 4e 47 0a 0a 1a 0a, .*\), as a transfer that converts line endings/,
    xs1n0g01: /the PNG signature is damaged \(09 50 4e 47 0d 0a 1a 0a, expected 89 50 4e 47 0d 0a 1a 0a\)$/,
    xs2n0g01: /the PNG signature is damaged \(89 51 4e 47/,
    xs4n0g01: /the PNG signature is damaged \(89 50 4e 67/,
    xs7n0g01: /the PNG signature is damaged \(89 50 4e 47 0d 0a 20 0a/,
    xcsn0g01: /the PNG's IDAT chunk at byte \d+ fails its CRC check \(the file was damaged in transfer or storage\)$/,
    xhdn0g08: /the PNG's IHDR chunk at byte 8 fails its CRC check/,
    xdtn0g01: /the PNG has no image data \(no IDAT chunk\)$/,
  };

  it('names a reason for every corrupt file', () => {
    expect(Object.keys(reasons).sort()).toEqual(corrupt.map((name) => name.replace(/\.png$/, '')).sort());
  });

  it.each(corrupt)('%s is rejected with IMAGE_CORRUPT and its reason', async (name) => {
    const error = await resizeImage(readFileSync(join(pngDir, name)), config).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('IMAGE_CORRUPT');
    expect((error as InputError).message).toMatch(/^image is truncated or corrupt: /);
    expect((error as InputError).message).toMatch(reasons[name.replace(/\.png$/, '')]!);
  });
});
