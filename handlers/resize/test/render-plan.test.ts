import { describe, expect, it } from 'vitest';
import { resizedSize } from '../decode-plan.ts';
import { isUniform, planRenders } from '../render-plan.ts';
import type { PlannedVariant, RenderPlan } from '../render-plan.ts';
import { FITS } from '../spec.ts';

function variant(options: Partial<PlannedVariant>): PlannedVariant {
  return { fit: 'cover', position: 'centre', enlarge: false, ...options };
}

const thumbnails = [
  variant({ width: 200, height: 200, position: 'attention' }),
  variant({ width: 800 }),
  variant({ width: 1600 }),
];

describe('isUniform', () => {
  it.each([
    [{ width: 800 }, true],
    [{ height: 800 }, true],
    [{}, true],
    [{ width: 800, fit: 'fill' }, false],
    [{ width: 200, height: 200, fit: 'inside' }, true],
    [{ width: 200, height: 200, fit: 'outside' }, true],
    [{ width: 200, height: 200, fit: 'cover' }, false],
    [{ width: 200, height: 200, fit: 'contain' }, false],
    [{ width: 200, height: 200, fit: 'fill' }, false],
    [{ width: 800, fit: 'contain' }, true],
    // Not enlarged to 2000 wide, but letterboxed to it.
    [{ width: 2000, fit: 'contain' }, false],
    [{ width: 2000, fit: 'contain', enlarge: true }, true],
    [{ width: 2000, fit: 'cover' }, true],
  ] as const)('%o: %s', (options, uniform) => {
    expect(isUniform({ width: 1200, height: 800 }, variant(options))).toBe(uniform);
  });
});

describe('planRenders', () => {
  it('makes each variant of the thumbnails pipeline from the next larger one', () => {
    // Decoded straight at 1600x1067, the large variant's size.
    expect(planRenders({ width: 2400, height: 1600 }, { width: 1600, height: 1067 }, thumbnails)).toEqual({
      rawImages: [
        { size: { width: 1600, height: 1067 } },
        { size: { width: 800, height: 533 }, from: 0 },
        // The smart crop's scaled image, analysed and cropped without resampling twice.
        { size: { width: 300, height: 200 }, from: 1 },
      ],
      variants: [
        { from: 2, resize: 'variant' },
        { from: 1, resize: 'none' },
        { from: 0, resize: 'none' },
      ],
    });
  });

  it('never starts from a raw image smaller than the variant needs', () => {
    const source = { width: 1200, height: 800 };
    const plan = planRenders(source, source, [
      variant({ width: 300 }),
      // Needs 900x600 before cropping: only the decoded image has that much.
      variant({ width: 600, height: 600 }),
      variant({ width: 2400, enlarge: true }),
      variant({ width: 100, height: 100, fit: 'contain' }),
    ]);
    expect(plan).toEqual({
      rawImages: [{ size: source }, { size: { width: 300, height: 200 }, from: 0 }],
      variants: [
        { from: 1, resize: 'none' },
        { from: 0, resize: 'variant' },
        { from: 0, resize: { width: 2400, height: 1600 } },
        { from: 1, resize: 'variant' },
      ],
    });
  });

  it('resamples a variant that nothing else starts from in one go, with its encode', () => {
    const source = { width: 1200, height: 800 };
    // The stretch needs the full height: it cannot start from the 600x400 image.
    expect(planRenders(source, source, [variant({ width: 600 }), variant({ width: 200, height: 800, fit: 'fill' })])).toEqual({
      rawImages: [{ size: source }],
      variants: [
        { from: 0, resize: { width: 600, height: 400 } },
        { from: 0, resize: 'variant' },
      ],
    });
  });

  it('keeps no scaled image close to the size of the one it comes from: it would save less than it costs', () => {
    const source = { width: 900, height: 600 };
    expect(planRenders(source, source, [variant({ width: 800 }), variant({ width: 200, height: 200 })])).toEqual({
      rawImages: [{ size: source }],
      variants: [
        { from: 0, resize: { width: 800, height: 533 } },
        { from: 0, resize: 'variant' },
      ],
    });
  });

  it('shares one raw image between variants of the same size', () => {
    const source = { width: 400, height: 400 };
    const plan = planRenders(source, source, [variant({ width: 100 }), variant({ width: 100 }), variant({ width: 100, height: 100, fit: 'inside' })]);
    expect(plan.rawImages).toEqual([{ size: source }, { size: { width: 100, height: 100 }, from: 0 }]);
    expect(plan.variants).toEqual([1, 1, 1].map((from) => ({ from, resize: 'none' })));
  });

  it('keeps no raw image for a variant that flattens alpha: sharp flattens before resampling, which is cheaper', () => {
    const source = { width: 1200, height: 1200 };
    const plan = planRenders(source, source, [variant({ width: 800, flattensAlpha: true }), variant({ width: 200 })]);
    expect(plan).toEqual({
      rawImages: [{ size: source }],
      variants: [
        { from: 0, resize: { width: 800, height: 800 } },
        { from: 0, resize: { width: 200, height: 200 } },
      ],
    });
  });

  it('keeps the decoded image as it is when a variant is the source size', () => {
    const source = { width: 1200, height: 800 };
    const plan = planRenders(source, source, [variant({}), variant({ width: 2400 }), variant({ width: 300, height: 300, fit: 'inside' })]);
    expect(plan.variants.slice(0, 2)).toEqual([
      { from: 0, resize: 'none' },
      { from: 0, resize: 'none' },
    ]);
  });

  it('plans every variant from a large enough raw image, in dependency order', () => {
    const source = { width: 1001, height: 667 };
    const sizes = [{ width: 640 }, { height: 333 }, { width: 200, height: 200 }, { width: 90, height: 400 }, { width: 1500 }, { width: 480, height: 100 }];
    const variants = FITS.flatMap((fit) => [false, true].flatMap((enlarge) => sizes.map((size) => variant({ ...size, fit, enlarge }))));
    const plan: RenderPlan = planRenders(source, source, variants);
    plan.rawImages.forEach((raw, index) => {
      if (index === 0) return;
      expect(raw.from).toBeLessThan(index);
      const from = plan.rawImages[raw.from as number]!.size;
      expect(raw.size.width <= from.width && raw.size.height <= from.height, `raw ${index}`).toBe(true);
    });
    variants.forEach((planned, index) => {
      const { from, resize } = plan.variants[index]!;
      const start = plan.rawImages[from]!.size;
      const needed = resizedSize(source, planned);
      if (resize === 'none') expect(start).toEqual(needed);
      else if (resize === 'variant') expect(from === 0 || (needed.width <= start.width && needed.height <= start.height), JSON.stringify(planned)).toBe(true);
      else expect(resize).toEqual(needed);
    });
  });
});
