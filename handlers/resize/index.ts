import type { FunctionLimits, HandlerDefinition, ObjectItem, Step } from '../../shared/contract/handler.ts';
import { resizeImage } from './core.ts';
import { effectivePixelLimit } from './memory.ts';
import { resizePreflight } from './preflight.ts';
import { readBody } from './read-body.ts';
import { resizeSpec } from './spec.ts';
import type { ResizeConfig } from './spec.ts';

export { resizeImage } from './core.ts';
export type { ResizedImage } from './core.ts';
export { resizeSpec } from './spec.ts';
export type { ResizeConfig, ResizeConfigInput, ResizeVariant } from './spec.ts';

/** The step for these options in a function with these limits: without `limitInputPixels`, the largest image the memory can resize. */
function createResizeStep(options: ResizeConfig, limits: FunctionLimits): Step<ObjectItem, ObjectItem> {
  const config = { ...options, limitInputPixels: effectivePixelLimit(options, limits.memorySize) };
  return async function* resizeStep(items, ctx) {
    for await (const item of items) {
      const input = await readBody(item.body, config.maxInputBytes, item.size);
      const started = performance.now();
      const variants = await resizeImage(input, config);
      ctx.logger.debug(
        { step: 'resize', key: ctx.source?.key, bytes: input.length, variants: variants.length, ms: Math.round(performance.now() - started) },
        'resized image',
      );
      for (const variant of variants) {
        const out: ObjectItem = {
          kind: 'object',
          body: variant.data,
          contentType: variant.contentType,
          ext: variant.ext,
          variant: variant.name,
          metadata: { width: String(variant.width), height: String(variant.height), ...(variant.frames > 1 && { frames: String(variant.frames) }) },
        };
        if (config.cacheControl) out.cacheControl = config.cacheControl;
        yield out;
      }
    }
  };
}

export const resizeHandler: HandlerDefinition<typeof resizeSpec, 'object', 'object'> = {
  name: 'resize',
  accepts: ['object'],
  lambda: { memorySize: 1536, timeout: 60 },
  preflight: resizePreflight,
  emits: 'object',
  description:
    'Makes resized variants of each image (jpeg, png, webp, avif, gif or tiff in; jpeg, png, webp, avif or gif out) with sharp: the source is decoded once, turned upright from its EXIF orientation and converted to sRGB, then every variant is cropped or fitted, encoded and emitted with its content type, with EXIF, XMP and ICC metadata stripped unless kept on request. Animated gif and webp give their first frame, or every frame when asked. Corrupt, empty, unsupported or oversized images (including decompression bombs, refused from the header before any pixel is decoded) and images that take longer than the timeout fail with an InputError and go to quarantine.',
  spec: resizeSpec,
  createStep: createResizeStep,
};
