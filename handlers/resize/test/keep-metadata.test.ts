import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../core.ts';
import type { ResizedImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import type { ResizeConfigInput } from '../spec.ts';
import { greyPixels, meanAbsoluteDifference } from './image-similarity.ts';
import { FRAME_COLOURS, framePixel, makeAnimation, makeJpeg, makeJpegWithMetadata, makeTransparentPng, sameColour, withIptcCaption } from './test-images.ts';

const FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;

async function resize(input: Buffer, config: Omit<ResizeConfigInput, 'keepMetadata'>): Promise<ResizedImage[]> {
  return resizeImage(input, resizeSpec.parse({ ...config, keepMetadata: true }));
}

/** What sharp reads back of each kind of metadata. */
async function metadataOf(image: Buffer) {
  const metadata = await sharp(image).metadata();
  return {
    orientation: metadata.orientation ?? 1,
    copyright: metadata.exif?.includes('Sluice test') ?? false,
    xmp: metadata.xmp?.includes('dc:creator') ?? false,
    iptc: metadata.iptc?.includes('harbour at dawn') ?? false,
    icc: metadata.icc,
  };
}

let tagged: Buffer; // 800x600 stored, EXIF orientation 6 (upright 600x800), EXIF, XMP, IPTC, Display P3
let p3Profile: Buffer;

beforeAll(async () => {
  const withMetadata = await makeJpegWithMetadata(800, 600);
  tagged = withIptcCaption(await sharp(withMetadata).withMetadata({ orientation: 6, icc: 'p3' }).jpeg({ quality: 90 }).toBuffer(), 'harbour at dawn');
  const source = await sharp(tagged).metadata();
  expect([source.orientation, Boolean(source.exif), Boolean(source.xmp), Boolean(source.iptc), Boolean(source.icc)]).toEqual([6, true, true, true, true]);
  p3Profile = source.icc!;
  // The profile's description is UTF-16: dropping the zero bytes reads it.
  expect(p3Profile.toString('latin1').replaceAll('\0', '')).toContain('P3');
});

describe('keepMetadata: true', () => {
  it('keeps EXIF with the orientation reset, XMP, the ICC profile, and IPTC in jpeg (libvips writes IPTC to jpeg only)', async () => {
    const outputs = await resize(tagged, { variants: FORMATS.map((format) => ({ name: format, width: 150, format })) });
    for (const output of outputs) {
      // Upright: 600x800 scaled to 150 wide.
      expect([output.width, output.height], output.format).toEqual([150, 200]);
      const { icc, ...rest } = await metadataOf(output.data);
      expect(rest, output.format).toEqual({ orientation: 1, copyright: true, xmp: true, iptc: output.format === 'jpeg' });
      expect(icc?.equals(p3Profile), output.format).toBe(true);
    }
  });

  it('comes out upright by pixels, as without keepMetadata', async () => {
    const [kept] = await resize(tagged, { variants: [{ name: 'v', width: 150, format: 'png' }] });
    const [stripped] = await resizeImage(tagged, resizeSpec.parse({ variants: [{ name: 'v', width: 150, format: 'png' }] }));
    expect(meanAbsoluteDifference(await greyPixels(kept!.data, 30, 40), await greyPixels(stripped!.data, 30, 40))).toBeLessThan(3);
  });

  it('adds nothing to a source that has no metadata', async () => {
    const [output] = await resize(await makeJpeg(400, 300), { variants: [{ name: 'v', width: 100, format: 'webp' }] });
    const metadata = await sharp(output!.data).metadata();
    expect([metadata.exif, metadata.xmp, metadata.iptc, metadata.icc]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('gives a CMYK source sRGB pixels and the sRGB profile: a CMYK profile cannot describe RGB', async () => {
    const cmyk = await sharp(await makeJpeg(400, 300)).toColourspace('cmyk').withIccProfile('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const [output] = await resize(cmyk, { variants: [{ name: 'v', width: 100, format: 'jpeg' }] });
    const metadata = await sharp(output!.data).metadata();
    expect([metadata.space, metadata.icc?.toString('latin1', 16, 20)]).toEqual(['srgb', 'RGB ']);
    const reference = await sharp(cmyk).resize(100).toColourspace('srgb').png().toBuffer();
    expect(meanAbsoluteDifference(await greyPixels(output!.data, 50, 37), await greyPixels(reference, 50, 37))).toBeLessThan(3);
  });

  it('keeps transparency, and still flattens it for jpeg', async () => {
    const [png, jpeg] = await resize(await makeTransparentPng(200, 200), {
      variants: [
        { name: 'png', width: 100, format: 'png' },
        { name: 'jpeg', width: 100, format: 'jpeg' },
      ],
    });
    expect([(await sharp(png!.data).metadata()).hasAlpha, (await sharp(jpeg!.data).metadata()).hasAlpha]).toEqual([true, false]);
    const corner = async (image: Buffer) => [...(await sharp(image).ensureAlpha().raw().toBuffer()).subarray((0 * 100 + 99) * 4, (0 * 100 + 99) * 4 + 4)];
    expect((await corner(png!.data))[3]).toBe(0);
    expect((await corner(jpeg!.data)).slice(0, 3).every((channel) => channel > 250)).toBe(true);
  });

  it('keeps an opaque image opaque (no alpha channel added)', async () => {
    const [output] = await resize(tagged, { variants: [{ name: 'v', width: 100, format: 'png' }] });
    expect((await sharp(output!.data).metadata()).channels).toBe(3);
  });

  it('leaves animated outputs without metadata, and gives still ones the metadata', async () => {
    const animation = await makeAnimation('webp', { width: 120, height: 80, frames: 3, delay: [100, 100, 100], loop: 0 });
    const tagged = await sharp(animation, { animated: true }).withExif({ IFD0: { Copyright: 'Sluice test' } }).webp({ lossless: true }).toBuffer();
    const [animated, still] = await resize(tagged, {
      animation: 'all',
      variants: [
        { name: 'animated', width: 60, format: 'webp' },
        { name: 'still', width: 60, format: 'png' },
      ],
    });
    expect([animated!.frames, (await metadataOf(animated!.data)).copyright]).toEqual([3, false]);
    expect([still!.frames, (await metadataOf(still!.data)).copyright]).toEqual([1, true]);
  });

  it('converts the frames of an animation in a wide-gamut profile to sRGB, and tags still variants sRGB', async () => {
    const animation = await makeAnimation('webp', { width: 120, height: 80, frames: 3, delay: [100, 100, 100], loop: 0 });
    const p3 = await sharp(animation, { animated: true }).withIccProfile('p3').webp({ lossless: true }).toBuffer();
    const stored = await sharp(p3, { page: 1, ignoreIcc: true }).removeAlpha().raw().toBuffer();
    const offset = (60 * 120 + 90) * 3;
    expect(sameColour([...stored.subarray(offset, offset + 3)], FRAME_COLOURS[1]!, 3), 'stored in P3, the numbers differ').toBe(false);
    const [animated, still] = await resize(p3, {
      animation: 'all',
      variants: [
        { name: 'animated', width: 60, format: 'webp' },
        { name: 'still', width: 60, format: 'png' },
      ],
    });
    expect((await sharp(animated!.data).metadata()).icc).toBeUndefined();
    for (let frame = 0; frame < 3; frame++) expect(sameColour(await framePixel(animated!.data, frame, 45, 30), FRAME_COLOURS[frame]!, 8), `frame ${frame}`).toBe(true);
    const stillIcc = (await sharp(still!.data).metadata()).icc;
    expect(stillIcc?.toString('latin1').replaceAll('\0', '')).toContain('sRGB');
    expect(sameColour(await framePixel(still!.data, 0, 45, 30), FRAME_COLOURS[0]!, 3)).toBe(true);
  });
});
