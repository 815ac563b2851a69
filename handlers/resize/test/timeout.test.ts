import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/contract/errors.ts';
import { resizeImage } from '../core.ts';
import { ImageDeadline, isSharpTimeout } from '../deadline.ts';
import { resizeSpec } from '../spec.ts';
import { makeJpeg } from './test-images.ts';

describe('ImageDeadline', () => {
  it('gives the work its result when it finishes in time', async () => {
    await expect(new ImageDeadline(1).race(Promise.resolve('done'))).resolves.toBe('done');
  });

  it('gives up at the deadline with IMAGE_TIMEOUT, a permanent InputError, even if the work never ends', async () => {
    const started = performance.now();
    const error = await new ImageDeadline(0.05).race(new Promise(() => {})).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect([(error as InputError).code, (error as InputError).permanent, (error as InputError).message]).toEqual([
      'IMAGE_TIMEOUT',
      true,
      'image took longer than timeoutSeconds (0.05) to process',
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("turns sharp's own timeout into IMAGE_TIMEOUT, saying where sharp stopped", async () => {
    const sharpError = new Error('timeout: 57% complete\nVipsImage: killed for image "temp-39"\n');
    expect(isSharpTimeout(sharpError)).toBe(true);
    const error = (await new ImageDeadline(5).race(Promise.reject(sharpError)).catch((caught: unknown) => caught)) as InputError;
    expect([error.code, error.message, error.cause]).toEqual(['IMAGE_TIMEOUT', 'image took longer than timeoutSeconds (5) to process (sharp stopped at 57% complete)', sharpError]);
  });

  it('passes other errors through', async () => {
    const other = new Error('boom');
    await expect(new ImageDeadline(5).race(Promise.reject(other))).rejects.toBe(other);
    expect(isSharpTimeout(other)).toBe(false);
  });

  it('gives sharp whole seconds, at least 1 (0 would mean no timeout)', () => {
    const now = performance.now();
    expect(new ImageDeadline(30, now).secondsLeft()).toBe(30);
    expect(new ImageDeadline(0.2, now).secondsLeft()).toBe(1);
    expect(new ImageDeadline(1, now - 5000).secondsLeft()).toBe(1);
  });
});

describe('resizeImage: timeoutSeconds', () => {
  it('stops a large image that takes longer than timeoutSeconds: IMAGE_TIMEOUT, quarantined, not retried', async () => {
    // 24 megapixels of noise (72 MB, stored uncompressed): its WebP encode takes 4.6 s on a 2-core
    // machine; sharp stops it at 1 s.
    const noise = await sharp(randomBytes(6000 * 4000 * 3), { raw: { width: 6000, height: 4000, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    const started = performance.now();
    const error = await resizeImage(noise, resizeSpec.parse({ timeoutSeconds: 1, maxInputBytes: 100_000_000, variants: [{ name: 'same', format: 'webp' }] })).catch((caught: unknown) => caught);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(InputError);
    expect([(error as InputError).code, (error as InputError).permanent]).toEqual(['IMAGE_TIMEOUT', true]);
    expect((error as InputError).message).toMatch(/^image took longer than timeoutSeconds \(1\) to process/);
    expect(elapsed).toBeGreaterThan(900);
    expect(elapsed).toBeLessThan(3000);
  });

  it('lets an ordinary image through well within the default', async () => {
    const config = resizeSpec.parse({ variants: [{ name: 'thumb', width: 200 }] });
    expect(config.timeoutSeconds).toBe(30);
    const [output] = await resizeImage(await makeJpeg(1200, 800), config);
    expect(output?.width).toBe(200);
  });
});
