import type { ResizeConfig, ResizeVariant } from './spec.ts';
import { SHARP_PIXEL_LIMIT } from './spec.ts';

const MB = 1024 * 1024;

/**
 * The memory one resize invocation can need, at worst, for an image at the step's limits. The
 * figures were measured with sharp 0.34.5 on Node 20 (x86_64, this project's machine), as the
 * peak RSS over the process's own while 16- and 64-megapixel sources were made into one
 * full-size variant: 9.1 bytes a source pixel for jpeg, 6.5 png, 11.7 webp, 16 gif, 35 avif, of
 * which 4 are the decoded pixels. The process alone, sharp loaded, took 95-108 MB.
 */
export const RUNTIME_MB = 128;
/** The decoded source: 8-bit RGBA. `limitInputPixels` counts every frame of an animation. */
export const DECODED_BYTES_PER_PIXEL = 4;
/** A variant's own pixels and its encoder's buffers, per output pixel, beyond the decoded source. */
export const ENCODER_BYTES_PER_PIXEL = { jpeg: 5, png: 3, webp: 8, gif: 12, avif: 32 } as const;
/** `format: source` gives back a jpeg, png, webp, gif or avif source's own format: the costliest counts. */
const SOURCE_FORMAT_BYTES = Math.max(...Object.values(ENCODER_BYTES_PER_PIXEL));

export interface VariantMemory {
  name: string;
  /** False when the variant takes the source's shape, and so can be as large as the source. */
  bounded: boolean;
  /** For a bounded variant, bytes; otherwise bytes per source pixel. */
  bytes: number;
}

export interface ResizeMemory {
  /** What does not grow with the source's pixels: the runtime, the source's bytes, bounded variants. */
  fixedBytes: number;
  /** Per pixel of `limitInputPixels`: the decoded source and every unbounded variant. */
  bytesPerPixel: number;
  variants: VariantMemory[];
}

/**
 * A variant is bounded by its `width` x `height` when it has both and fits within them (`cover`
 * crops, `contain` letterboxes, `fill` stretches, `inside` shrinks). With one side, or `outside`,
 * it keeps the source's aspect ratio, and a source as narrow as the variant is wide (a long
 * screenshot) makes it as large as the source: the encoders then work at the source's size, all
 * variants at once.
 */
function variantMemory(variant: ResizeVariant): VariantMemory {
  const perPixel = variant.format === 'source' ? SOURCE_FORMAT_BYTES : ENCODER_BYTES_PER_PIXEL[variant.format];
  if (variant.width !== undefined && variant.height !== undefined && variant.fit !== 'outside') {
    return { name: variant.name, bounded: true, bytes: variant.width * variant.height * perPixel };
  }
  return { name: variant.name, bounded: false, bytes: perPixel };
}

export function resizeMemory(config: Pick<ResizeConfig, 'variants' | 'maxInputBytes'>): ResizeMemory {
  const variants = config.variants.map(variantMemory);
  const bounded = variants.filter((variant) => variant.bounded).reduce((sum, variant) => sum + variant.bytes, 0);
  const unbounded = variants.filter((variant) => !variant.bounded).reduce((sum, variant) => sum + variant.bytes, 0);
  return { fixedBytes: RUNTIME_MB * MB + config.maxInputBytes + bounded, bytesPerPixel: DECODED_BYTES_PER_PIXEL + unbounded, variants };
}

/** MB needed for an image of `pixels` (the step's `limitInputPixels`). */
export function neededMb(memory: ResizeMemory, pixels: number): number {
  return (memory.fixedBytes + pixels * memory.bytesPerPixel) / MB;
}

/** The largest `limitInputPixels` that fits in `memorySize` MB (0 when even the fixed part does not). */
export function largestPixelLimit(memory: ResizeMemory, memorySize: number): number {
  return Math.max(0, Math.floor((memorySize * MB - memory.fixedBytes) / memory.bytesPerPixel));
}

/** MB a variant takes for a source of `pixels`. */
export function variantMb(variant: VariantMemory, pixels: number): number {
  return (variant.bounded ? variant.bytes : variant.bytes * pixels) / MB;
}

/**
 * The pixel limit a step uses: `limitInputPixels` when written, else the largest image the
 * function's memory can resize with these variants (at most sharp's own limit, at least one
 * pixel), so that the smallest pipeline fits the default memory and a bigger function takes
 * bigger images.
 */
export function effectivePixelLimit(config: Pick<ResizeConfig, 'variants' | 'maxInputBytes' | 'limitInputPixels'>, memorySize: number): number {
  if (config.limitInputPixels !== undefined) return config.limitInputPixels;
  return Math.max(1, Math.min(SHARP_PIXEL_LIMIT, largestPixelLimit(resizeMemory(config), memorySize)));
}
