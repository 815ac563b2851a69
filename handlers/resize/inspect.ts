import sharp from 'sharp';
import { InputError } from '../../shared/contract/errors.ts';
import { ANIMATED_INPUT_FORMATS, INPUT_FORMATS, INPUT_FORMATS_TEXT, OUTPUT_FORMATS, sourceOutputFormat } from './formats.ts';
import type { OutputFormat } from './formats.ts';
import type { Size } from './decode-plan.ts';
import { checkPngStructure } from './png-structure.ts';
import { tooLarge } from './read-body.ts';
import type { ResizeConfig } from './spec.ts';
import { sharpReason } from './sharp-reason.ts';

export interface InspectedImage {
  /** As sharp names it (`jpeg`, `heif`, ...). */
  format: string;
  /** Stored size of one frame, before EXIF orientation. */
  width: number;
  height: number;
  /** Size of one frame once turned upright by its EXIF orientation. */
  upright: Size;
  /** EXIF orientation, 1 (as stored) when absent or invalid. */
  orientation: number;
  /**
   * Frames to decode: every frame of an animation with `animation: all` when a variant can keep
   * them (webp, gif or the source format), else 1.
   */
  frames: number;
  /** Per frame, in milliseconds, and the loop count (0: forever), when `frames` > 1. */
  delay?: number[] | undefined;
  loop?: number | undefined;
  /** What `format: source` becomes. */
  sourceFormat: OutputFormat;
  /**
   * The source's ICC profile: `rgb` when it describes RGB colours, which the variants can carry
   * (`keepMetadata`), `other` for CMYK, greyscale and the like, undefined when there is none.
   */
  profile: 'rgb' | 'other' | undefined;
  /** Which other kinds of metadata the source has, for `keepMetadata` to keep exactly those. */
  metadata: { exif: boolean; xmp: boolean; iptc: boolean };
}

/**
 * What kind of ICC profile the source has: the colour space it describes is in its header (bytes
 * 16-19: `RGB `, `CMYK`, `GRAY`, ...), and the pixels must be RGB too for variants to carry it.
 */
function profileKind(metadata: sharp.Metadata): InspectedImage['profile'] {
  const { icc, space } = metadata;
  if (!icc) return undefined;
  const rgbProfile = icc.length >= 20 && icc.toString('latin1', 16, 20) === 'RGB ';
  return rgbProfile && (space === 'srgb' || space === 'rgb16') ? 'rgb' : 'other';
}

/**
 * Everything that can be decided from the header, before any pixel is decoded: a decompression
 * bomb is refused here for the cost of reading a few hundred bytes.
 */
export async function inspectImage(
  input: Buffer,
  config: Pick<ResizeConfig, 'maxInputBytes' | 'animation' | 'variants'> & { limitInputPixels: number },
): Promise<InspectedImage> {
  if (input.length === 0) throw new InputError('IMAGE_EMPTY', 'image is empty (0 bytes)');
  if (input.length > config.maxInputBytes) {
    throw tooLarge(input.length, config.maxInputBytes, true);
  }
  checkPngStructure(input);

  let metadata: sharp.Metadata;
  try {
    // Reading the header decodes no pixel, so sharp's own limit is lifted here to report the
    // size with the check below.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    const reason = sharpReason(error);
    if (/unsupported image format/i.test(reason)) {
      throw new InputError('IMAGE_UNSUPPORTED', `not an image in a supported format (${INPUT_FORMATS_TEXT})`, { cause: error });
    }
    throw new InputError('IMAGE_CORRUPT', `image is truncated or corrupt: ${reason}`, { cause: error });
  }

  const { format, width, height } = metadata;
  if (!INPUT_FORMATS.includes(format)) {
    throw new InputError('IMAGE_UNSUPPORTED', `${format} images are not supported; expected ${INPUT_FORMATS_TEXT}`);
  }
  // libheif reads HEIC headers, but sharp's prebuilt binaries carry no HEVC decoder.
  if (format === 'heif' && metadata.compression !== 'av1') {
    throw new InputError('IMAGE_UNSUPPORTED', `HEIF images compressed with ${metadata.compression ?? 'an unknown codec'} are not supported; only AVIF (AV1) is`);
  }
  if (!width || !height) throw new InputError('IMAGE_CORRUPT', 'image is truncated or corrupt: the header declares no size');

  const animated = ANIMATED_INPUT_FORMATS.includes(format) && (metadata.pages ?? 1) > 1;
  // `source` animates too: an animated source is a gif or a webp, and stays one.
  const keepsFrames = config.animation === 'all' && config.variants.some((variant) => variant.format === 'source' || OUTPUT_FORMATS[variant.format].animates);
  const frames = animated && keepsFrames ? (metadata.pages as number) : 1;
  // Every decoded frame is held in memory: a bomb can hide in many small frames as well as in one large one.
  if (width * height * frames > config.limitInputPixels) {
    const size = frames > 1 ? `${width}x${height} in ${frames} frames (${width * height * frames} pixels)` : `${width}x${height} (${width * height} pixels)`;
    throw new InputError('IMAGE_TOO_LARGE', `image is ${size}, more than limitInputPixels (${config.limitInputPixels})`);
  }
  const orientation = metadata.orientation !== undefined && metadata.orientation >= 1 && metadata.orientation <= 8 ? metadata.orientation : 1;
  return {
    format,
    width,
    height,
    upright: { width: metadata.autoOrient.width, height: metadata.autoOrient.height },
    orientation,
    frames,
    delay: frames > 1 ? metadata.delay : undefined,
    loop: frames > 1 ? metadata.loop : undefined,
    sourceFormat: sourceOutputFormat(metadata, frames > 1),
    metadata: { exif: metadata.exif !== undefined, xmp: metadata.xmp !== undefined, iptc: metadata.iptc !== undefined },
    profile: profileKind(metadata),
  };
}
