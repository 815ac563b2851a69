import type sharp from 'sharp';
import type { ImageDeadline } from './deadline.ts';
import type { DecodedImage } from './decode.ts';
import { resizedSize } from './decode-plan.ts';
import type { Size } from './decode-plan.ts';
import { encodeAs } from './encode.ts';
import type { Animation } from './encode.ts';
import { OUTPUT_FORMATS } from './formats.ts';
import type { OutputFormat } from './formats.ts';
import { carryMetadata } from './metadata-carrier.ts';
import type { MetadataCarrier } from './metadata-carrier.ts';
import { firstFrame, openRaw } from './raw-image.ts';
import type { VariantRenderPlan } from './render-plan.ts';
import { STRATEGIES } from './spec.ts';
import type { ResizeVariant } from './spec.ts';

export interface ResizedImage {
  name: string;
  data: Buffer;
  format: OutputFormat;
  contentType: string;
  /** Without the dot; `jpg` for jpeg. */
  ext: string;
  width: number;
  /** Of one frame. */
  height: number;
  /** 1, or the number of frames of an animated webp or gif. */
  frames: number;
}

/** What every variant of one image shares, besides its pixels. */
export interface RenderContext {
  deadline: ImageDeadline;
  /** The source's frame timing, for the variants that keep its frames. */
  animation?: Animation | undefined;
  /** The source's metadata, when `keepMetadata` is on (see `makeMetadataCarrier`). */
  metadataCarrier?: MetadataCarrier | undefined;
}

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };
const WHITE = '#ffffff';

/**
 * Raw pixels scaled to exactly `size`, for smaller variants to start from (see `planRenders`):
 * still unflattened, so each variant gets its own background, and with every frame.
 */
export async function resampleImage(image: DecodedImage, size: Size, deadline: ImageDeadline): Promise<DecodedImage> {
  const pipeline = openRaw(image).resize({ width: size.width, height: size.height, fit: 'fill' });
  const { data, info } = await deadline.limit(pipeline).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.pageHeight ?? info.height, channels: info.channels, frames: info.pages ?? 1 };
}

function variantResize(variant: ResizeVariant, background: sharp.Color): sharp.ResizeOptions {
  return { width: variant.width, height: variant.height, fit: variant.fit, position: variant.position, withoutEnlargement: !variant.enlarge, background };
}

/**
 * A smart crop of an animation: libvips finds the region on one image only, so it is found on the
 * first frame and the same region is cut from every frame (sharp reports where it cropped).
 */
async function smartCropFrames(image: DecodedImage, variant: ResizeVariant, background: sharp.Color, deadline: ImageDeadline): Promise<sharp.Sharp> {
  const { info } = await deadline.limit(openRaw(firstFrame(image)).resize(variantResize(variant, background))).raw().toBuffer({ resolveWithObject: true });
  const scaled = resizedSize(image, variant);
  return openRaw(image)
    .resize({ width: scaled.width, height: scaled.height, fit: 'fill' })
    .extract({ left: -(info.cropOffsetLeft ?? 0), top: -(info.cropOffsetTop ?? 0), width: info.width, height: info.height });
}

/**
 * One variant, made from already-decoded pixels, so that N variants cost one decode. The raw
 * input carries no metadata, so outputs have no EXIF, XMP or ICC unless a metadata carrier puts
 * the source's back (`keepMetadata`).
 *
 * `resize` is what the render plan (`planRenders`) asks for: `variant`, the default, resizes as
 * the variant says (from a full-size decode, that alone is the straightforward path); a size
 * scales uniformly to exactly that size; `none` encodes `image` as it is.
 *
 * An animation stays one in webp and gif; the other formats get its first frame.
 */
export async function renderVariant(
  image: DecodedImage,
  variant: ResizeVariant,
  format: OutputFormat,
  resize: VariantRenderPlan['resize'],
  context: RenderContext,
): Promise<ResizedImage> {
  const { deadline } = context;
  const info = OUTPUT_FORMATS[format];
  const animates = image.frames > 1 && info.animates;
  const source = animates ? image : firstFrame(image);
  // jpeg has no alpha: transparent pixels and letterbox bars both get a solid colour.
  const background = variant.background ?? (info.alpha ? TRANSPARENT : WHITE);

  let pipeline = openRaw(source);
  if (typeof resize === 'object') {
    pipeline = pipeline.resize({ width: resize.width, height: resize.height, fit: 'fill' });
  } else if (resize === 'variant' && (variant.width !== undefined || variant.height !== undefined)) {
    const smartCrop = variant.fit === 'cover' && variant.width !== undefined && variant.height !== undefined && STRATEGIES.includes(variant.position);
    pipeline = smartCrop && animates ? await smartCropFrames(source, variant, background, deadline) : pipeline.resize(variantResize(variant, background));
  }
  if (format === 'jpeg') pipeline = pipeline.flatten({ background });
  // gif has no room for metadata, and sharp writes an animation's metadata only from an animated input.
  if (context.metadataCarrier && !animates && format !== 'gif') pipeline = await carryMetadata(context.metadataCarrier, pipeline, deadline);
  pipeline = encodeAs(pipeline, format, variant, animates ? context.animation : undefined);

  const output = await deadline.limit(pipeline).toBuffer({ resolveWithObject: true });
  return {
    name: variant.name,
    data: output.data,
    format,
    contentType: info.contentType,
    ext: info.ext,
    width: output.info.width,
    height: output.info.pageHeight ?? output.info.height,
    frames: output.info.pages ?? 1,
  };
}
