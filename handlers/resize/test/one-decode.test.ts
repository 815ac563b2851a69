import { describe, expect, it, vi } from 'vitest';
import { decodeImage } from '../decode.ts';
import type * as decodeModule from '../decode.ts';
import { resizeImage } from '../core.ts';
import { resizeSpec } from '../spec.ts';
import { makeJpeg } from './test-images.ts';

vi.mock('../decode.ts', async (importOriginal) => {
  const original = await importOriginal<typeof decodeModule>();
  return { ...original, decodeImage: vi.fn(original.decodeImage) };
});

describe('resizeImage decodes once', () => {
  it('makes every variant from a single decode of the source', async () => {
    const source = await makeJpeg(1200, 800);
    const config = resizeSpec.parse({
      variants: [
        { name: 'thumb', width: 150, height: 150, format: 'webp' },
        { name: 'medium', width: 600, format: 'jpeg' },
        { name: 'large', width: 1000, format: 'png' },
        { name: 'same', format: 'avif' },
      ],
    });
    vi.mocked(decodeImage).mockClear();
    const outputs = await resizeImage(source, config);
    expect(outputs.map((output) => output.name)).toEqual(['thumb', 'medium', 'large', 'same']);
    expect(decodeImage).toHaveBeenCalledTimes(1);
    // Full size, because `same` keeps the source size; smaller sets decode smaller (shrink-on-load).
    const decoded = await vi.mocked(decodeImage).mock.results[0]?.value;
    expect([decoded.width, decoded.height]).toEqual([1200, 800]);
  });

  it('decodes a JPEG straight at the size the largest variant needs when all are at most half', async () => {
    const source = await makeJpeg(2400, 1600);
    vi.mocked(decodeImage).mockClear();
    await resizeImage(source, resizeSpec.parse({ variants: [{ name: 'thumb', width: 200, height: 200 }, { name: 'medium', width: 800 }] }));
    expect(decodeImage).toHaveBeenCalledTimes(1);
    const decoded = await vi.mocked(decodeImage).mock.results[0]?.value;
    expect([decoded.width, decoded.height]).toEqual([800, 533]);
  });
});
