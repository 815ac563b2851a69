import sharp from 'sharp';
import type { DecodedImage } from './decode.ts';
import type { Size } from './decode-plan.ts';
import { OUTPUT_FORMATS } from './formats.ts';
import type { OutputFormat } from './formats.ts';
import type { VariantRenderPlan } from './render-plan.ts';
import type { ResizeVariant } from './spec.ts';

export interface ResizedImage {
  name: string;
  data: Buffer;
  format: OutputFormat;
  contentType: string;
  /** Without the dot; `jpg` for jpeg. */
  ext: string;
  width: number;
  height: number;
}

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };
const WHITE = '#ffffff';

function openRaw(image: DecodedImage): sharp.Sharp {
  const { data, width, height, channels } = image;
  return sharp(data, { raw: { width, height, channels } });
}

/**
 * Raw pixels scaled to exactly `size`, for smaller variants to start from (see `planRenders`):
 * still unflattened, so each variant gets its own background.
 */
export async function resampleImage(image: DecodedImage, size: Size): Promise<DecodedImage> {
  const { data, info } = await openRaw(image).resize({ width: size.width, height: size.height, fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * One variant, made from already-decoded pixels, so that N variants cost one decode. The raw
 * input carries no metadata, so outputs have no EXIF, XMP or ICC to strip.
 *
 * `resize` is what the render plan (`planRenders`) asks for: `variant`, the default, resizes as
 * the variant says (from a full-size decode, that alone is the straightforward path); a size
 * scales uniformly to exactly that size; `none` encodes `image` as it is.
 */
export async function renderVariant(
  image: DecodedImage,
  variant: ResizeVariant,
  format: OutputFormat,
  resize: VariantRenderPlan['resize'] = 'variant',
): Promise<ResizedImage> {
  const info = OUTPUT_FORMATS[format];
  // jpeg has no alpha: transparent pixels and letterbox bars both get a solid colour.
  const background = variant.background ?? (info.alpha ? TRANSPARENT : WHITE);

  let pipeline = openRaw(image);
  if (typeof resize === 'object') {
    pipeline = pipeline.resize({ width: resize.width, height: resize.height, fit: 'fill' });
  } else if (resize === 'variant' && (variant.width !== undefined || variant.height !== undefined)) {
    pipeline = pipeline.resize({
      width: variant.width,
      height: variant.height,
      fit: variant.fit,
      position: variant.position,
      withoutEnlargement: !variant.enlarge,
      background,
    });
  }
  switch (format) {
    case 'jpeg':
      pipeline = pipeline.flatten({ background }).jpeg({ quality: variant.quality, progressive: true, mozjpeg: false });
      break;
    case 'png':
      pipeline = pipeline.png();
      break;
    case 'webp':
      pipeline = pipeline.webp({ quality: variant.quality });
      break;
    case 'avif':
      pipeline = pipeline.avif({ quality: variant.quality });
      break;
  }

  const output = await pipeline.toBuffer({ resolveWithObject: true });
  return {
    name: variant.name,
    data: output.data,
    format,
    contentType: info.contentType,
    ext: info.ext,
    width: output.info.width,
    height: output.info.height,
  };
}
