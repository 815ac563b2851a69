import type { Metadata } from 'sharp';
import type { ResizeVariant } from './spec.ts';

/** The formats resize writes. */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

export interface OutputFormatInfo {
  contentType: string;
  /** File extension without the dot, for the `{ext}` key placeholder. */
  ext: string;
  /** Whether the format can carry an alpha channel (gif: fully transparent or opaque). */
  alpha: boolean;
  /** Whether sharp can write several frames of it: the others take the first frame of an animation. */
  animates: boolean;
}

export const OUTPUT_FORMATS: Readonly<Record<OutputFormat, OutputFormatInfo>> = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg', alpha: false, animates: false },
  png: { contentType: 'image/png', ext: 'png', alpha: true, animates: false },
  webp: { contentType: 'image/webp', ext: 'webp', alpha: true, animates: true },
  // libheif, as sharp ships it, writes still AVIF images only.
  avif: { contentType: 'image/avif', ext: 'avif', alpha: true, animates: false },
  gif: { contentType: 'image/gif', ext: 'gif', alpha: true, animates: true },
};

/**
 * Source formats resize accepts, as `sharp().metadata().format` names them. Deliberately short:
 * svg and pdf are documents that render at any size and can reference other content, and the
 * rest (fits, openslide, raw) are not uploads a web pipeline expects.
 */
export const INPUT_FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'heif', 'gif', 'tiff'];

/** The same list as users know it (sharp says heif for AVIF). */
export const INPUT_FORMATS_TEXT = 'jpeg, png, webp, avif, gif or tiff';

/** Source formats whose frames are an animation (a multi-page tiff is a document's pages). */
export const ANIMATED_INPUT_FORMATS: readonly string[] = ['gif', 'webp'];

/**
 * The source format for `format: source`: a web format stays itself; an animated gif whose frames
 * are all decoded stays a gif; anything else becomes png (a still gif is better as a lossless png
 * than as 256 colours).
 */
export function sourceOutputFormat(metadata: Pick<Metadata, 'format' | 'compression'>, animated = false): OutputFormat {
  switch (metadata.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
      return metadata.format;
    case 'gif':
      return animated ? 'gif' : 'png';
    case 'heif':
      // sharp reports AVIF as heif with AV1 compression.
      return metadata.compression === 'av1' ? 'avif' : 'png';
    default:
      return 'png';
  }
}

export function resolveOutputFormat(variant: Pick<ResizeVariant, 'format'>, source: OutputFormat): OutputFormat {
  return variant.format === 'source' ? source : variant.format;
}
