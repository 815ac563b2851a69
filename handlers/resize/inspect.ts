import sharp from 'sharp';
import { InputError } from '../../shared/errors.ts';
import { INPUT_FORMATS, INPUT_FORMATS_TEXT, sourceOutputFormat } from './formats.ts';
import type { OutputFormat } from './formats.ts';
import type { Size } from './decode-plan.ts';
import type { ResizeConfig } from './spec.ts';
import { sharpReason } from './sharp-reason.ts';

export interface InspectedImage {
  /** As sharp names it (`jpeg`, `heif`, ...). */
  format: string;
  /** Stored size, before EXIF orientation. */
  width: number;
  height: number;
  /** Size once turned upright by its EXIF orientation. */
  upright: Size;
  /** What `format: source` becomes. */
  sourceFormat: OutputFormat;
}

/**
 * Everything that can be decided from the header, before any pixel is decoded: a decompression
 * bomb is refused here for the cost of reading a few hundred bytes.
 */
export async function inspectImage(input: Buffer, limits: Pick<ResizeConfig, 'limitInputPixels' | 'maxInputBytes'>): Promise<InspectedImage> {
  if (input.length === 0) throw new InputError('IMAGE_EMPTY', 'image is empty (0 bytes)');
  if (input.length > limits.maxInputBytes) {
    throw new InputError('IMAGE_TOO_LARGE', `image is ${input.length} bytes, more than maxInputBytes (${limits.maxInputBytes})`);
  }

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
  if (width * height > limits.limitInputPixels) {
    throw new InputError(
      'IMAGE_TOO_LARGE',
      `image is ${width}x${height} (${width * height} pixels), more than limitInputPixels (${limits.limitInputPixels})`,
    );
  }
  return { format, width, height, upright: { width: metadata.autoOrient.width, height: metadata.autoOrient.height }, sourceFormat: sourceOutputFormat(metadata) };
}
