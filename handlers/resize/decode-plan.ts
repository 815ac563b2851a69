import type { ResizeVariant } from './spec.ts';

export interface Size {
  width: number;
  height: number;
}

/**
 * The scale (at most 1) at which the source must be decoded so that `variant` can be made from
 * it without upscaling, following sharp's own arithmetic: `cover`/`outside` need the larger of
 * the two ratios, `contain`/`inside` the smaller, `fill` the larger (it stretches one axis), and
 * `fill` with one side given the whole source (sharp stretches that side and keeps the other).
 */
export function requiredScale(source: Size, variant: Pick<ResizeVariant, 'width' | 'height' | 'fit'>): number {
  const sx = variant.width === undefined ? undefined : variant.width / source.width;
  const sy = variant.height === undefined ? undefined : variant.height / source.height;
  let scale: number;
  if (sx === undefined && sy === undefined) scale = 1;
  // `fill` with one side stretches that side only: the other keeps every pixel of the source.
  else if ((sx === undefined || sy === undefined) && variant.fit === 'fill') scale = 1;
  else if (sx === undefined) scale = sy as number;
  else if (sy === undefined) scale = sx;
  else scale = variant.fit === 'contain' || variant.fit === 'inside' ? Math.min(sx, sy) : Math.max(sx, sy);
  return Math.min(scale, 1);
}

/** What the decode and render plans need to know of a variant. */
export type VariantGeometry = Pick<ResizeVariant, 'width' | 'height' | 'fit' | 'enlarge'>;

/**
 * Size sharp scales `source` to for `variant`, before any crop or letterbox: the arithmetic of
 * sharp's `ResolveShrink` (fit picks one or two shrink factors, `withoutEnlargement` clamps them
 * at 1) and libvips' rounding, in the same double-precision steps, so the result is exact. No
 * width and no height means no resize at all.
 */
export function resizedSize(source: Size, variant: VariantGeometry): Size {
  const { width, height, fit } = variant;
  if (width === undefined && height === undefined) return { width: source.width, height: source.height };
  let hshrink = 1;
  let vshrink = 1;
  if (width !== undefined && height !== undefined) {
    hshrink = source.width / width;
    vshrink = source.height / height;
    if (fit === 'cover' || fit === 'outside') hshrink = vshrink = Math.min(hshrink, vshrink);
    else if (fit === 'contain' || fit === 'inside') hshrink = vshrink = Math.max(hshrink, vshrink);
  } else if (width !== undefined) {
    hshrink = source.width / width;
    if (fit !== 'fill') vshrink = hshrink;
  } else if (height !== undefined) {
    vshrink = source.height / height;
    if (fit !== 'fill') hshrink = vshrink;
  }
  if (!variant.enlarge) {
    hshrink = Math.max(1, hshrink);
    vshrink = Math.max(1, vshrink);
  }
  hshrink = Math.min(hshrink, source.width);
  vshrink = Math.min(vshrink, source.height);
  return { width: scaleSide(source.width, hshrink), height: scaleSide(source.height, vshrink) };
}

/**
 * sharp hands libvips a scale of `1 / shrink`; libvips reduces by `1 / scale` and enlarges by
 * `scale`, rounding half up. The double division is kept: it rounds differently at .5.
 */
function scaleSide(side: number, shrink: number): number {
  const scale = 1 / shrink;
  if (scale < 1) return Math.floor(side / (1 / scale) + 0.5);
  return scale > 1 ? Math.floor(side * scale + 0.5) : side;
}

/**
 * Size to decode `source` (upright dimensions) at, or undefined for full size.
 *
 * Variants are made through a resampling pyramid (see `planRenders`), whose top is the decoded
 * image: when no variant needs the full size, the one decode is made straight at the largest
 * scale any variant needs. The largest variant has to be resampled from the full size anyway;
 * doing it while decoding spares writing and reading back a full-size raw image (for a
 * 2400x1600 photo, 11 MB: a third of the decode's cost), and lets the JPEG and WebP decoders
 * shrink on load (JPEG by 2, 4 or 8; WebP by any factor) when the reduction is large enough.
 *
 * The size is that of the largest variant scaled as sharp would scale it from the full size (a
 * stretching `fill` counts as the uniform scale that covers it), so that the largest variant comes
 * out of the decode as it is, and every variant at the size a full-size decode would give it.
 */
export function planDecodeSize(source: Size, variants: readonly VariantGeometry[]): Size | undefined {
  if (Math.max(...variants.map((variant) => requiredScale(source, variant))) >= 1) return undefined;
  const sizes = variants.map((variant) => resizedSize(source, variant.fit === 'fill' ? { ...variant, fit: 'outside' } : variant));
  return {
    width: Math.max(...sizes.map((size) => size.width)),
    height: Math.max(...sizes.map((size) => size.height)),
  };
}
