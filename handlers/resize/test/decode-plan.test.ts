import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { planDecodeSize, requiredScale, resizedSize } from '../decode-plan.ts';
import { FITS } from '../spec.ts';

const source = { width: 2400, height: 1600 };

describe('requiredScale', () => {
  it.each([
    [{ width: 200, height: 200, fit: 'cover' }, 200 / 1600],
    [{ width: 200, height: 200, fit: 'outside' }, 200 / 1600],
    [{ width: 200, height: 200, fit: 'fill' }, 200 / 1600],
    [{ width: 200, height: 200, fit: 'contain' }, 200 / 2400],
    [{ width: 200, height: 200, fit: 'inside' }, 200 / 2400],
    [{ width: 600, fit: 'cover' }, 0.25],
    [{ height: 800, fit: 'cover' }, 0.5],
    [{ fit: 'cover' }, 1],
    [{ width: 4800, fit: 'cover' }, 1],
    // sharp stretches the given side only and keeps every pixel of the other.
    [{ width: 600, fit: 'fill' }, 1],
    [{ height: 400, fit: 'fill' }, 1],
  ] as const)('%o needs %d', (variant, scale) => {
    expect(requiredScale(source, variant)).toBeCloseTo(scale, 10);
  });
});

describe('resizedSize', () => {
  it.each([
    [{ width: 200, height: 200, fit: 'cover', enlarge: false }, [300, 200]],
    [{ width: 200, height: 200, fit: 'contain', enlarge: false }, [200, 133]],
    [{ width: 200, height: 200, fit: 'fill', enlarge: false }, [200, 200]],
    [{ width: 800, fit: 'cover', enlarge: false }, [800, 533]],
    [{ width: 800, fit: 'fill', enlarge: false }, [800, 1600]],
    [{ width: 4800, fit: 'cover', enlarge: false }, [2400, 1600]],
    [{ width: 4800, fit: 'cover', enlarge: true }, [4800, 3200]],
    [{ width: 3000, height: 400, fit: 'fill', enlarge: false }, [2400, 400]],
    [{ fit: 'cover', enlarge: false }, [2400, 1600]],
  ] as const)('%o scales to %o', (variant, [width, height]) => {
    expect(resizedSize(source, variant)).toEqual({ width, height });
  });

  it('matches what sharp does, rounding included', async () => {
    // Sides chosen to land on and around .5 after scaling.
    const sources = [
      { width: 1067, height: 1600 },
      { width: 999, height: 333 },
      { width: 501, height: 334 },
      { width: 7, height: 61 },
    ];
    const targets = [1, 3, 100, 333, 534];
    for (const image of sources) {
      const raw = sharp({ create: { ...image, channels: 3, background: '#808080' } }).raw();
      const input = { data: await raw.toBuffer(), raw: { ...image, channels: 3 as const } };
      const cases = FITS.flatMap((fit) =>
        [true, false].flatMap((enlarge) =>
          targets.flatMap((target, index) => [
            { width: target, fit, enlarge },
            { height: target, fit, enlarge },
            { width: target, height: targets[(index + 2) % targets.length], fit, enlarge },
          ]),
        ),
      );
      const actual = await Promise.all(
        cases.map(async (variant) => {
          // Crop and letterbox come after the scaling: `inside` shows the scaled size for the
          // two-sided cases of every fit that scales uniformly, and `fill` shows it as is.
          const { info } = await sharp(input.data, { raw: input.raw })
            .resize({ width: variant.width, height: variant.height, fit: variant.fit === 'cover' || variant.fit === 'contain' ? fitWithoutCanvas(variant.fit) : variant.fit, withoutEnlargement: !variant.enlarge })
            .raw()
            .toBuffer({ resolveWithObject: true });
          return { variant, size: { width: info.width, height: info.height } };
        }),
      );
      for (const { variant, size } of actual) expect(resizedSize(image, variant), `${JSON.stringify(image)} ${JSON.stringify(variant)}`).toEqual(size);
    }
  });
});

/** `cover` scales like `outside` and `contain` like `inside`, before cropping or letterboxing. */
function fitWithoutCanvas(fit: 'cover' | 'contain'): 'outside' | 'inside' {
  return fit === 'cover' ? 'outside' : 'inside';
}

describe('planDecodeSize', () => {
  it('decodes straight at the largest scale any variant needs', () => {
    expect(planDecodeSize(source, [{ width: 200, height: 200, fit: 'cover', enlarge: false }, { width: 800, fit: 'cover', enlarge: false }])).toEqual({ width: 800, height: 533 });
    expect(planDecodeSize(source, [{ width: 1200, fit: 'cover', enlarge: false }])).toEqual({ width: 1200, height: 800 });
    expect(planDecodeSize(source, [{ width: 200, fit: 'cover', enlarge: false }, { width: 1600, fit: 'cover', enlarge: false }])).toEqual({ width: 1600, height: 1067 });
  });

  it('decodes at full size when a variant needs it', () => {
    expect(planDecodeSize(source, [{ width: 200, fit: 'cover', enlarge: false }, { fit: 'cover', enlarge: false }])).toBeUndefined();
    expect(planDecodeSize(source, [{ width: 4800, fit: 'cover', enlarge: true }])).toBeUndefined();
    expect(planDecodeSize(source, [{ width: 800, fit: 'fill', enlarge: false }])).toBeUndefined();
    expect(planDecodeSize(source, [{ width: 1600, height: 1600, fit: 'cover', enlarge: false }])).toBeUndefined();
  });

  it('is the largest variant as sharp scales it from the full size', () => {
    // 510 * (333 / 340) is 499.5 on paper, but a hair under in sharp's arithmetic: 499 wide.
    const odd = { width: 510, height: 340 };
    expect(planDecodeSize(odd, [{ height: 333, fit: 'cover', enlarge: false }])).toEqual({ width: 499, height: 333 });
    // A stretch counts as the uniform scale that covers it.
    expect(planDecodeSize(source, [{ width: 200, height: 400, fit: 'fill', enlarge: false }])).toEqual({ width: 600, height: 400 });
  });
});
