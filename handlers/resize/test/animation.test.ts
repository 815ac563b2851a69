import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import type { ResizedImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import type { ResizeConfigInput } from '../spec.ts';
import { FRAME_COLOURS, framePixel, makeAnimation, sameColour } from './test-images.ts';

const DELAY = [100, 250, 400, 550, 700];
const LOOP = 3;
let gif: Buffer; // 240x160, 5 frames
let webp: Buffer; // the same, lossless webp

beforeAll(async () => {
  gif = await makeAnimation('gif', { width: 240, height: 160, frames: 5, delay: DELAY, loop: LOOP });
  webp = await makeAnimation('webp', { width: 240, height: 160, frames: 5, delay: DELAY, loop: LOOP });
});

async function resize(input: Buffer, config: ResizeConfigInput): Promise<ResizedImage[]> {
  return resizeImage(input, resizeSpec.parse(config));
}

/** The colour each frame shows away from its dark corner block. */
async function frameColours(image: Buffer, frames: number, width: number, height: number): Promise<number[][]> {
  return Promise.all(Array.from({ length: frames }, (_, frame) => framePixel(image, frame, Math.floor(width * 0.75), Math.floor(height * 0.75))));
}

function expectFrameColours(actual: number[][], frames: number): void {
  expect(actual.length).toBe(frames);
  actual.forEach((colour, frame) => expect(sameColour(colour, FRAME_COLOURS[frame]!), `frame ${frame}: ${colour.join(',')}`).toBe(true));
}

describe('animated sources', () => {
  it('are made test-ready: 5 frames with their delays and loop count', async () => {
    for (const source of [gif, webp]) {
      const metadata = await sharp(source).metadata();
      expect([metadata.pages, metadata.delay, metadata.loop]).toEqual([5, DELAY, LOOP]);
    }
  });

  it('give their first frame by default (animation: first), whatever the output format', async () => {
    const outputs = await resize(gif, {
      variants: [
        { name: 'webp', width: 120, format: 'webp' },
        { name: 'gif', width: 120, format: 'gif' },
        { name: 'png', width: 120, format: 'source' },
      ],
    });
    expect(outputs.map((output) => [output.name, output.format, output.width, output.height, output.frames])).toEqual([
      ['webp', 'webp', 120, 80, 1],
      ['gif', 'gif', 120, 80, 1],
      ['png', 'png', 120, 80, 1],
    ]);
    for (const output of outputs) {
      expect((await sharp(output.data).metadata()).pages ?? 1).toBe(1);
      expectFrameColours(await frameColours(output.data, 1, 120, 80), 1);
    }
  });

  it.each([
    ['gif', 'webp'],
    ['gif', 'gif'],
    ['webp', 'webp'],
    ['webp', 'gif'],
  ] as const)('animation: all keeps every frame, its delays and loop count (%s to %s)', async (from, format) => {
    const [output] = await resize(from === 'gif' ? gif : webp, { animation: 'all', variants: [{ name: 'v', width: 120, format }] });
    expect([output?.width, output?.height, output?.frames]).toEqual([120, 80, 5]);
    const metadata = await sharp(output!.data).metadata();
    expect([metadata.format, metadata.width, metadata.pageHeight ?? metadata.height, metadata.pages, metadata.delay, metadata.loop]).toEqual([format, 120, 80, 5, DELAY, LOOP]);
    expectFrameColours(await frameColours(output!.data, 5, 120, 80), 5);
  });

  it('format: source keeps an animated gif a gif with animation: all (and a png without)', async () => {
    const [all] = await resize(gif, { animation: 'all', variants: [{ name: 'v', width: 60 }] });
    const [first] = await resize(gif, { variants: [{ name: 'v', width: 60 }] });
    expect([all?.format, all?.ext, all?.contentType, all?.frames]).toEqual(['gif', 'gif', 'image/gif', 5]);
    expect([first?.format, first?.frames]).toEqual(['png', 1]);
  });

  it('jpeg, png and avif cannot animate: with animation: all they take the first frame', async () => {
    const outputs = await resize(webp, {
      animation: 'all',
      variants: (['jpeg', 'png', 'avif'] as const).map((format) => ({ name: format, width: 90, format })),
    });
    for (const output of outputs) {
      expect([output.format, output.width, output.height, output.frames]).toEqual([output.name, 90, 60, 1]);
      expect((await sharp(output.data).metadata()).pages ?? 1).toBe(1);
      expectFrameColours(await frameColours(output.data, 1, 90, 60), 1);
    }
  });

  it('crops, letterboxes and resamples every frame alike, through the pyramid', async () => {
    const outputs = await resize(gif, {
      animation: 'all',
      variants: [
        { name: 'large', width: 200, format: 'webp' },
        { name: 'medium', width: 100, format: 'webp' },
        { name: 'square', width: 60, height: 60, fit: 'cover', position: 'left top', format: 'webp' },
        { name: 'box', width: 100, height: 100, fit: 'contain', background: '#ffffff', format: 'gif' },
      ],
    });
    expect(outputs.map((output) => [output.name, output.width, output.height, output.frames])).toEqual([
      ['large', 200, 133, 5],
      ['medium', 100, 67, 5],
      ['square', 60, 60, 5],
      ['box', 100, 100, 5],
    ]);
    const [, , square, box] = outputs;
    for (let frame = 0; frame < 5; frame++) {
      // `left top` keeps the dark block in every frame; the letterbox bars are white in every frame.
      expect(sameColour(await framePixel(square!.data, frame, 3, 3), [17, 17, 17])).toBe(true);
      expect(sameColour(await framePixel(box!.data, frame, 50, 2), [255, 255, 255])).toBe(true);
    }
  });

  it('a smart crop is found on the first frame and cut from every frame at the same place', async () => {
    const [crop] = await resize(gif, { animation: 'all', variants: [{ name: 'crop', width: 80, height: 80, position: 'attention', format: 'webp' }] });
    expect([crop?.width, crop?.height, crop?.frames]).toEqual([80, 80, 5]);
    // The still first frame, smart-cropped by sharp alone, is the same picture as frame 0.
    const still = await sharp(gif).resize({ width: 80, height: 80, fit: 'cover', position: 'attention' }).removeAlpha().raw().toBuffer();
    const frames = await Promise.all([0, 1, 2, 3, 4].map((frame) => sharp(crop!.data, { page: frame }).removeAlpha().raw().toBuffer()));
    let difference = 0;
    for (let i = 0; i < still.length; i++) difference += Math.abs(still[i]! - frames[0]![i]!);
    expect(difference / still.length).toBeLessThan(4);
    // Every frame shows the dark corner block at the same pixels: the same region was cut.
    const darkMask = (pixels: Buffer) => Array.from({ length: pixels.length / 3 }, (_, i) => pixels[i * 3]! + pixels[i * 3 + 1]! + pixels[i * 3 + 2]! < 150);
    const reference = darkMask(frames[0]!);
    expect(reference.filter(Boolean).length).toBeGreaterThan(100);
    for (const frame of frames.slice(1)) {
      const mask = darkMask(frame);
      expect(mask.filter((dark, i) => dark !== reference[i]).length).toBeLessThan(reference.length * 0.02);
    }
  });

  it('counts the pixels of every frame against limitInputPixels with animation: all', async () => {
    // 240x160 = 38400 pixels a frame, 192000 in all.
    const limits = { limitInputPixels: 100_000, variants: [{ name: 'v', width: 50, format: 'webp' as const }] };
    const [first] = await resize(gif, limits);
    expect(first?.frames).toBe(1);
    const error = await resize(gif, { ...limits, animation: 'all' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect([(error as InputError).code, (error as InputError).message]).toEqual([
      'IMAGE_TOO_LARGE',
      'image is 240x160 in 5 frames (192000 pixels), more than limitInputPixels (100000)',
    ]);
  });

  it('decodes only the first frame when no variant can animate', async () => {
    // Over the limit if every frame were decoded, yet accepted: jpeg and png take the first frame anyway.
    const outputs = await resize(gif, {
      animation: 'all',
      limitInputPixels: 100_000,
      variants: [
        { name: 'jpeg', width: 50, format: 'jpeg' },
        { name: 'png', width: 50, format: 'png' },
      ],
    });
    expect(outputs.map((output) => output.frames)).toEqual([1, 1]);
  });

  it.each([3, 6, 8])('turns every frame of an animation upright from its EXIF orientation %i', async (orientation) => {
    // Every frame stored turned; the EXIF orientation says how to stand it up, dark block top-left.
    const turnsBack = { 3: 180, 6: 270, 8: 90 }[orientation]!;
    const frames = await Promise.all([0, 1, 2, 3, 4].map((frame) => sharp(webp, { page: frame }).rotate(turnsBack).raw().toBuffer({ resolveWithObject: true })));
    const { width, height, channels } = frames[0]!.info;
    const turned = await sharp(Buffer.concat(frames.map((frame) => frame.data)), { raw: { width, height: height * 5, channels, pageHeight: height }, animated: true })
      .withMetadata({ orientation })
      .webp({ lossless: true, delay: DELAY, loop: LOOP })
      .toBuffer();
    expect((await sharp(turned).metadata()).orientation).toBe(orientation);

    const [output] = await resize(turned, { animation: 'all', variants: [{ name: 'v', width: 120, format: 'webp' }] });
    expect([output?.width, output?.height, output?.frames]).toEqual([120, 80, 5]);
    for (let frame = 0; frame < 5; frame++) {
      expect(sameColour(await framePixel(output!.data, frame, 5, 5), [17, 17, 17]), `frame ${frame}: dark block top-left`).toBe(true);
      expect(sameColour(await framePixel(output!.data, frame, 90, 60), FRAME_COLOURS[frame]!), `frame ${frame}: its own colour`).toBe(true);
    }
  });
});
