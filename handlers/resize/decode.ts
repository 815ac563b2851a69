import sharp from 'sharp';
import { InputError } from '../../shared/errors.ts';
import type { Size } from './decode-plan.ts';
import { sharpReason } from './sharp-reason.ts';

/** Upright, sRGB, 8-bit pixels: what every variant is made from. */
export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA) after the sRGB conversion; greyscale sources are expanded to RGB. */
  channels: 1 | 2 | 3 | 4;
}

export interface DecodeOptions {
  limitInputPixels: number;
  /** Decode straight to this upright size (see `planDecodeSize`); full size when absent. */
  size?: Size | undefined;
}

/**
 * Decodes the source once. `rotate()` with no angle applies the EXIF orientation (an invalid 0 is
 * read as 1, "as stored"); `failOn: 'error'` makes a truncated file fail instead of coming out
 * with a grey lower half. Converting to sRGB here applies any embedded ICC profile, which the
 * raw pixels could not carry to the variants.
 */
export async function decodeImage(input: Buffer, options: DecodeOptions): Promise<DecodedImage> {
  const { limitInputPixels, size } = options;
  try {
    let pipeline = sharp(input, { limitInputPixels, failOn: 'error' }).rotate();
    // sharp applies the size after orienting, and uses the decoder's shrink-on-load to get there.
    if (size) pipeline = pipeline.resize({ width: size.width, height: size.height, fit: 'fill' });
    const { data, info } = await pipeline.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    const reason = sharpReason(error);
    if (/exceeds pixel limit/i.test(reason)) {
      throw new InputError('IMAGE_TOO_LARGE', `image is larger than limitInputPixels (${limitInputPixels}): ${reason}`, { cause: error });
    }
    throw new InputError('IMAGE_CORRUPT', `image is truncated or corrupt: ${reason}`, { cause: error });
  }
}
