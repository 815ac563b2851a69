import sharp from 'sharp';
import { InputError } from '../../shared/contract/errors.ts';
import type { ImageDeadline } from './deadline.ts';
import { isSharpTimeout } from './deadline.ts';
import type { Size } from './decode-plan.ts';
import { orientFrames } from './orient-frames.ts';
import { sharpReason } from './sharp-reason.ts';

/**
 * Upright, 8-bit RGB(A) pixels: what every variant is made from. An animation's frames are
 * stacked top to bottom in `data`, each `width` x `height`.
 */
export interface DecodedImage {
  data: Buffer;
  width: number;
  /** Of one frame. */
  height: number;
  /** 3 (RGB) or 4 (RGBA) after the colour conversion; greyscale sources are expanded to RGB. */
  channels: 1 | 2 | 3 | 4;
  /** 1 for a still image (or the first frame of an animation). */
  frames: number;
}

export interface DecodeOptions {
  limitInputPixels: number;
  /** Decode straight to this upright size (see `planDecodeSize`); full size when absent. */
  size?: Size | undefined;
  /** Frames to decode: 1, or every frame of an animation. */
  frames: number;
  /** The EXIF orientation, which multi-frame images are turned upright from frame by frame. */
  orientation: number;
  /**
   * Leave the pixels in the colours of the source's (RGB) ICC profile, for variants that carry
   * that profile (`keepMetadata`), instead of converting them to sRGB.
   */
  keepIcc: boolean;
  deadline: ImageDeadline;
}

/**
 * Decodes the source once. `rotate()` with no angle applies the EXIF orientation (an invalid 0 is
 * read as 1, "as stored"); `failOn: 'error'` makes a truncated file fail instead of coming out
 * with a grey lower half. Converting to sRGB here applies any embedded ICC profile, which the
 * raw pixels could not carry to the variants; with `keepIcc` the profile is ignored instead, and
 * the variants get it back from the metadata carrier (see `makeMetadataCarrier`).
 */
export async function decodeImage(input: Buffer, options: DecodeOptions): Promise<DecodedImage> {
  const { limitInputPixels, size, frames, orientation, keepIcc, deadline } = options;
  const animated = frames > 1;
  try {
    let pipeline = sharp(input, { limitInputPixels, failOn: 'error', ignoreIcc: keepIcc, animated });
    // sharp cannot turn a multi-frame image: its frames are turned one by one below.
    if (!animated) pipeline = pipeline.rotate();
    // sharp applies the size after orienting, and uses the decoder's shrink-on-load to get there;
    // an animation is still as stored at this point.
    const sideways = animated && orientation >= 5;
    if (size) pipeline = pipeline.resize({ width: sideways ? size.height : size.width, height: sideways ? size.width : size.height, fit: 'fill' });
    const { data, info } = await deadline.limit(pipeline.toColourspace('srgb')).raw().toBuffer({ resolveWithObject: true });
    const decoded = { data, width: info.width, height: info.pageHeight ?? info.height, channels: info.channels, frames: info.pages ?? 1 };
    return animated ? await orientFrames(decoded, orientation, deadline) : decoded;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (isSharpTimeout(error)) throw deadline.timeoutError(error);
    const reason = sharpReason(error);
    if (/exceeds pixel limit/i.test(reason)) {
      throw new InputError('IMAGE_TOO_LARGE', `image is larger than limitInputPixels (${limitInputPixels}): ${reason}`, { cause: error });
    }
    throw new InputError('IMAGE_CORRUPT', `image is truncated or corrupt: ${reason}`, { cause: error });
  }
}
