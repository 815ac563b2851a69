import type { Metadata } from 'sharp';
import type { ResizeVariant } from './spec.ts';

/** The formats resize writes. */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';

export interface OutputFormatInfo {
  contentType: string;
  /** File extension without the dot, for the `{ext}` key placeholder. */
  ext: string;
  /** Whether the format can carry an alpha channel. */
  alpha: boolean;
}

export const OUTPUT_FORMATS: Readonly<Record<OutputFormat, OutputFormatInfo>> = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg', alpha: false },
  png: { contentType: 'image/png', ext: 'png', alpha: true },
  webp: { contentType: 'image/webp', ext: 'webp', alpha: true },
  avif: { contentType: 'image/avif', ext: 'avif', alpha: true },
};

/**
 * Source formats resize accepts, as `sharp().metadata().format` names them. Deliberately short:
 * svg and pdf are documents that render at any size and can reference other content, and the
 * rest (fits, openslide, raw) are not uploads a web pipeline expects.
 */
export const INPUT_FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'heif', 'gif', 'tiff'];

/** The same list as users know it (sharp says heif for AVIF). */
export const INPUT_FORMATS_TEXT = 'jpeg, png, webp, avif, gif or tiff';

/** The source format for `format: source`: a web format stays itself; anything else becomes png. */
export function sourceOutputFormat(metadata: Pick<Metadata, 'format' | 'compression'>): OutputFormat {
  switch (metadata.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
      return metadata.format;
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
