import { resizedSize } from './decode-plan.ts';
import type { Size, VariantGeometry } from './decode-plan.ts';
import { STRATEGIES } from './spec.ts';
import type { ResizeVariant } from './spec.ts';

export type PlannedVariant = VariantGeometry &
  Pick<ResizeVariant, 'position'> & {
    /** The image has alpha and the output format none (jpeg), so the variant flattens it. */
    flattensAlpha?: boolean;
  };

/**
 * A raw image the variants are made from. The first is the decoded image itself (no `from`);
 * every other one is an earlier raw image resampled to `size`.
 */
export interface RawImagePlan {
  size: Size;
  /** Index of the raw image this one is resampled from; absent for the decoded image. */
  from?: number;
}

/**
 * How one variant is made from raw image `from`: `variant` applies the variant's own resize
 * (crop, bars or stretch), a size scales uniformly to exactly that size, `none` encodes the raw
 * image as it is.
 */
export interface VariantRenderPlan {
  from: number;
  resize: 'variant' | 'none' | Size;
}

export interface RenderPlan {
  /** In dependency order: each one is made from an earlier one. */
  rawImages: RawImagePlan[];
  /** One per variant, in the configured order. */
  variants: VariantRenderPlan[];
}

/**
 * Whether the variant is the whole image scaled uniformly (no crop, no bars, no stretch): only
 * a width or only a height, `inside` or `outside`, or no size at all. Its pixels can then stand
 * in for the source of any smaller variant.
 */
export function isUniform(source: Size, variant: PlannedVariant): boolean {
  const { width, height, fit } = variant;
  if (width === undefined && height === undefined) return true;
  if (width !== undefined && height !== undefined) return fit === 'inside' || fit === 'outside';
  // `fill` stretches the given side only; `contain` letterboxes it up to its target when
  // enlarging is off and the source is smaller.
  if (fit === 'fill') return false;
  if (fit !== 'contain') return true;
  const size = resizedSize(source, variant);
  return (width ?? size.width) === size.width && (height ?? size.height) === size.height;
}

function isSmartCrop(variant: PlannedVariant): boolean {
  return variant.fit === 'cover' && variant.width !== undefined && variant.height !== undefined && STRATEGIES.includes(variant.position);
}

/**
 * Whether the variant's whole image, scaled, can be kept as a raw image for smaller variants. A
 * uniform variant's is the variant itself, unless the variant flattens alpha: sharp flattens
 * before resampling, which then skips the costly alpha (premultiplied) arithmetic that a kept,
 * unflattened raw image would need. A smart crop's is what libvips would otherwise resample
 * twice (once to find the region, once to cut it out), so it is always kept.
 */
function keepsScaledImage(source: Size, variant: PlannedVariant): boolean {
  return isUniform(source, variant) ? !variant.flattensAlpha : isSmartCrop(variant);
}

/**
 * Writing a raw image out and reading it back costs about what resampling from half as many
 * more pixels does: a scaled image closer than that to the size of the one it comes from saves
 * its users less than it costs.
 */
function isWorthKeeping(size: Size, from: Size): boolean {
  return area(size) * 2 <= area(from);
}

function area(size: Size): number {
  return size.width * size.height;
}

function fits(inner: Size, outer: Size): boolean {
  return inner.width <= outer.width && inner.height <= outer.height;
}

function sameSize(a: Size, b: Size): boolean {
  return a.width === b.width && a.height === b.height;
}

/**
 * A resampling pyramid: rather than resampling every variant from the decoded image, the variants
 * are taken from the largest to the smallest, and each one is made from the smallest raw image
 * already planned that still has every pixel it needs, never upscaling one. A uniform variant is
 * resampled to raw pixels first and kept, so that smaller variants start from it: 1600 wide, then
 * 800 wide from it, then a 200x200 smart crop from that, resamples 1.7 + 0.4 megapixels where
 * resampling each from a 2400x1600 decode would go over 3.8 megapixels twice (the smart crop
 * analysing the full size too).
 *
 * Sizes are worked out from `source`, the upright size of the image before any reduction on
 * decode, so every variant comes out at the size a full-size decode would give it: a uniform
 * variant is scaled to exactly that size, and any other one starts from a raw image at least as
 * large as its resized size, where its crop, bars or stretch come out at the same size.
 */
export function planRenders(source: Size, decoded: Size, variants: readonly PlannedVariant[]): RenderPlan {
  const steps = variants.map((variant, index) => ({
    index,
    uniform: isUniform(source, variant),
    smartCrop: isSmartCrop(variant),
    keeps: keepsScaledImage(source, variant),
    size: resizedSize(source, variant),
  }));
  // Larger first; at equal size, those that keep a scaled image first, so the others can use it.
  const order = [...steps].sort((a, b) => area(b.size) - area(a.size) || Number(b.keeps) - Number(a.keeps) || a.index - b.index);

  const rawImages: RawImagePlan[] = [{ size: { width: decoded.width, height: decoded.height } }];
  const plans: VariantRenderPlan[] = Array.from({ length: variants.length }, () => ({ from: 0, resize: 'variant' }));
  /** For a raw image that is a variant's output: that variant. */
  const outputOf = new Map<number, number>();
  for (const step of order) {
    // Every raw image fits in the decoded one: when that one is too small, the variant enlarges.
    let from = 0;
    rawImages.forEach((raw, index) => {
      if (fits(step.size, raw.size) && area(raw.size) < area((rawImages[from] as RawImagePlan).size)) from = index;
    });
    const start = (rawImages[from] as RawImagePlan).size;
    if (step.keeps && fits(step.size, start) && !sameSize(step.size, start) && (step.smartCrop || isWorthKeeping(step.size, start))) {
      rawImages.push({ size: step.size, from });
      from = rawImages.length - 1;
      if (step.uniform) outputOf.set(from, step.index);
    }
    let resize: VariantRenderPlan['resize'] = 'variant';
    if (step.uniform) resize = sameSize(step.size, (rawImages[from] as RawImagePlan).size) ? 'none' : step.size;
    plans[step.index] = { from, resize };
  }
  return withoutUnsharedRawImages({ rawImages, variants: plans }, outputOf);
}

/**
 * A raw image that is one variant's output and the start of nothing else costs a second pass
 * over its pixels (resample to memory, then encode) for nothing: that variant is resampled and
 * encoded in one go instead.
 */
function withoutUnsharedRawImages(plan: RenderPlan, outputOf: ReadonlyMap<number, number>): RenderPlan {
  const users = plan.rawImages.map(() => 0);
  for (const raw of plan.rawImages) if (raw.from !== undefined) users[raw.from] = (users[raw.from] as number) + 1;
  for (const variant of plan.variants) users[variant.from] = (users[variant.from] as number) + 1;

  const kept: RawImagePlan[] = [];
  const newIndex = new Map<number, number>();
  const variants = [...plan.variants];
  plan.rawImages.forEach((raw, index) => {
    const owner = outputOf.get(index);
    if (owner !== undefined && raw.from !== undefined && users[index] === 1) {
      variants[owner] = { from: raw.from, resize: raw.size };
      return;
    }
    newIndex.set(index, kept.length);
    kept.push(raw.from === undefined ? raw : { size: raw.size, from: newIndex.get(raw.from) as number });
  });
  return { rawImages: kept, variants: variants.map((variant) => ({ ...variant, from: newIndex.get(variant.from) as number })) };
}
