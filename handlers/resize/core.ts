import { ImageDeadline } from './deadline.ts';
import { decodeImage } from './decode.ts';
import type { DecodedImage } from './decode.ts';
import { planDecodeSize } from './decode-plan.ts';
import { OUTPUT_FORMATS, resolveOutputFormat } from './formats.ts';
import type { OutputFormat } from './formats.ts';
import { inspectImage } from './inspect.ts';
import { hasMetadata, makeMetadataCarrier } from './metadata-carrier.ts';
import { planRenders } from './render-plan.ts';
import type { VariantRenderPlan } from './render-plan.ts';
import { renderVariant, resampleImage } from './render.ts';
import type { RenderContext, ResizedImage } from './render.ts';
import type { ResizeConfig } from './spec.ts';
import { SHARP_PIXEL_LIMIT } from './spec.ts';

export type { ResizedImage } from './render.ts';

/**
 * Makes every configured variant of one image: the header is checked first (size, format, pixel
 * count), the pixels are decoded once, upright, at the largest scale any variant needs, and the
 * variants are made from them through a resampling pyramid (`planRenders`): each from the
 * smallest raw image already made that is large enough. Every resample and encode starts as soon
 * as its raw image is ready, so a variant's encode runs alongside the resampling of the smaller
 * ones. All of it within `timeoutSeconds`. Bad input throws an `InputError` with a stable code.
 * Without `limitInputPixels` (a step sets it from its function's memory), sharp's own limit holds.
 */
export async function resizeImage(input: Buffer, config: ResizeConfig): Promise<ResizedImage[]> {
  const deadline = new ImageDeadline(config.timeoutSeconds);
  return deadline.race(makeVariants(input, { ...config, limitInputPixels: config.limitInputPixels ?? SHARP_PIXEL_LIMIT }, deadline));
}

async function makeVariants(input: Buffer, config: ResizeConfig & { limitInputPixels: number }, deadline: ImageDeadline): Promise<ResizedImage[]> {
  const inspected = await inspectImage(input, config);
  const formats = config.variants.map((variant) => resolveOutputFormat(variant, inspected.sourceFormat));
  const size = planDecodeSize(inspected.upright, config.variants);
  // Pixels stay in the colours of an RGB profile only for variants that carry it: an animation's
  // frames are converted to sRGB, as its animated variants carry no metadata.
  const keepIcc = config.keepMetadata && inspected.profile === 'rgb' && inspected.frames === 1;
  const [decoded, metadataCarrier] = await Promise.all([
    decodeImage(input, {
      limitInputPixels: config.limitInputPixels,
      size,
      frames: inspected.frames,
      orientation: inspected.orientation,
      keepIcc,
      deadline,
    }),
    config.keepMetadata && hasMetadata(inspected) ? makeMetadataCarrier(input, inspected, keepIcc, config.limitInputPixels, deadline) : undefined,
  ]);
  const context: RenderContext = { deadline, animation: { delay: inspected.delay, loop: inspected.loop }, metadataCarrier };

  const hasAlpha = decoded.channels === 2 || decoded.channels === 4;
  const plan = planRenders(
    inspected.upright,
    decoded,
    config.variants.map((variant, index) => ({ ...variant, flattensAlpha: hasAlpha && !OUTPUT_FORMATS[formats[index] as OutputFormat].alpha })),
  );

  const rawImages: Promise<DecodedImage>[] = [];
  for (const raw of plan.rawImages) {
    const from = raw.from;
    rawImages.push(
      from === undefined ? Promise.resolve(decoded) : (rawImages[from] as Promise<DecodedImage>).then((source) => resampleImage(source, raw.size, deadline)),
    );
  }
  return Promise.all(
    config.variants.map(async (variant, index) => {
      const { from, resize } = plan.variants[index] as VariantRenderPlan;
      const source = await (rawImages[from] as Promise<DecodedImage>);
      return renderVariant(source, variant, formats[index] as OutputFormat, resize, context);
    }),
  );
}
