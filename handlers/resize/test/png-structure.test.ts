import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import { checkPngStructure } from '../png-structure.ts';
import { resizeSpec } from '../spec.ts';
import { makeJpeg } from './test-images.ts';

/** Offsets and types of a PNG's chunks. */
function chunksOf(png: Buffer): { type: string; offset: number; length: number }[] {
  const chunks = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    chunks.push({ type: png.toString('latin1', offset + 4, offset + 8), offset, length });
    offset += 12 + length;
  }
  return chunks;
}

function reasonOf(png: Buffer): string | undefined {
  try {
    checkPngStructure(png);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('IMAGE_CORRUPT');
    return (error as InputError).message;
  }
}

let png: Buffer; // 300x200 of noise: libspng writes it as 8 KiB IDAT chunks

beforeAll(async () => {
  png = await sharp(randomBytes(300 * 200 * 3), { raw: { width: 300, height: 200, channels: 3 } }).png().toBuffer();
  expect(chunksOf(png).filter((chunk) => chunk.type === 'IDAT').length).toBeGreaterThan(3);
});

describe('checkPngStructure', () => {
  it('passes a whole PNG, and anything that is not a PNG', async () => {
    expect(reasonOf(png)).toBeUndefined();
    expect(reasonOf(await makeJpeg(50, 50))).toBeUndefined();
    expect(reasonOf(Buffer.from('not an image at all'))).toBeUndefined();
  });

  it('says where a PNG cut inside a chunk ends', () => {
    const idat = chunksOf(png).find((chunk) => chunk.type === 'IDAT')!;
    expect(reasonOf(png.subarray(0, idat.offset + 100))).toBe(`image is truncated or corrupt: the PNG ends inside its IDAT chunk at byte ${idat.offset} (the file is truncated)`);
    expect(reasonOf(png.subarray(0, idat.offset + 6))).toBe(`image is truncated or corrupt: the PNG ends inside a chunk header at byte ${idat.offset} (the file is truncated)`);
  });

  it('finds a flipped bit in the image data by its CRC', () => {
    const damaged = Buffer.from(png);
    const idat = chunksOf(png).filter((chunk) => chunk.type === 'IDAT')[2]!;
    damaged[idat.offset + 8 + 1000]! ^= 0x10;
    expect(reasonOf(damaged)).toBe(`image is truncated or corrupt: the PNG's IDAT chunk at byte ${idat.offset} fails its CRC check (the file was damaged in transfer or storage)`);
  });

  it('ignores CRC errors in ancillary chunks, as decoders may', () => {
    const damaged = Buffer.from(png);
    const pHYs = chunksOf(png).find((chunk) => chunk.type === 'pHYs')!;
    damaged[pHYs.offset + 8]! ^= 0x01;
    expect(reasonOf(damaged)).toBeUndefined();
  });

  it('leaves a PNG without IEND to the decoder: whole data decodes, data cut between chunks does not', async () => {
    const chunks = chunksOf(png);
    const withoutEnd = png.subarray(0, chunks.at(-1)!.offset);
    expect(reasonOf(withoutEnd)).toBeUndefined();
    const config = resizeSpec.parse({ variants: [{ name: 'v', format: 'png' }] });
    const [output] = await resizeImage(withoutEnd, config);
    expect([output?.width, output?.height]).toEqual([300, 200]);
    const cut = png.subarray(0, chunks.filter((chunk) => chunk.type === 'IDAT')[2]!.offset);
    expect(reasonOf(cut)).toBeUndefined();
    const error = await resizeImage(cut, config).catch((caught: unknown) => caught);
    expect((error as InputError).code).toBe('IMAGE_CORRUPT');
  });
});
