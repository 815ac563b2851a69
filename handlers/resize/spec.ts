import sharp from 'sharp';
import { z } from 'zod';

/**
 * The resize handler's configuration, declared once: the TypeScript types, YAML validation, the
 * JSON Schema for editors and the README options table all come from this file.
 *
 * Messages given here (regex, refinements) are phrased as the expectation, because the config
 * loader wraps them in its one template: `expected <this>, found <value>`.
 */

/** Values of sharp's `fit`, in sharp's order. */
export const FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;

/** sharp's gravities, positions and strategies, all accepted by its `position` option. */
export const POSITIONS = [
  'centre',
  'center',
  'north',
  'northeast',
  'east',
  'southeast',
  'south',
  'southwest',
  'west',
  'northwest',
  'top',
  'right top',
  'right',
  'right bottom',
  'bottom',
  'left bottom',
  'left',
  'left top',
  'attention',
  'entropy',
] as const;

/** Smart-crop strategies: sharp applies them only when cropping, i.e. with `fit: cover`. */
export const STRATEGIES: readonly string[] = ['attention', 'entropy'];

export const FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif', 'source'] as const;

/** What to decode of an animated gif or webp: its first frame, or every frame. */
export const ANIMATIONS = ['first', 'all'] as const;

/** libvips' hard limit on one side of an image; larger requests would fail at encode time. */
export const MAX_DIMENSION = 16384;

/** sharp's own default for `limitInputPixels` (0x3FFF * 0x3FFF). */
export const SHARP_PIXEL_LIMIT = 268_402_689;

export const DEFAULT_MAX_INPUT_BYTES = 50 * 1024 * 1024;

export const DEFAULT_TIMEOUT_SECONDS = 30;
/** Well under Lambda's 900-second limit, so a stuck image is quarantined before the function is killed. */
export const MAX_TIMEOUT_SECONDS = 300;

const dimension = (side: 'width' | 'height') =>
  z
    .int()
    .min(1)
    .max(MAX_DIMENSION)
    .optional()
    .describe(
      `Target ${side} in pixels (1-${MAX_DIMENSION}). Leave out to derive it from the other side and the aspect ratio; leave both out to only convert the format.`,
    );

// Delegating to sharp's own colour parser accepts exactly what sharp accepts, no more, no less.
function isColour(value: string): boolean {
  try {
    sharp().flatten({ background: value });
    return true;
  } catch {
    return false;
  }
}

export const resizeVariantSpec = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a lowercase name: letters a-z, digits, "-" and "_", starting with a letter or digit')
      .max(64)
      .describe('Name of the variant, unique within the step. Fills `{variant}` in the output key, so it is kept filename-safe.'),
    width: dimension('width'),
    height: dimension('height'),
    fit: z
      .enum(FITS)
      .default('cover')
      .describe(
        'How the image fits `width` x `height` (as sharp and CSS `object-fit`): `cover` crops to fill both, `contain` letterboxes, `fill` stretches, `inside` fits within, `outside` covers at least.',
      ),
    position: z
      .enum(POSITIONS)
      .default('centre')
      .describe(
        'What to keep when `cover` crops or where `contain` places the image: a gravity (`north`, `southeast`, ...), a position (`top`, `left bottom`, ...), or, for `cover` only, a smart-crop strategy: `attention` (the most salient region) or `entropy` (the busiest region).',
      ),
    format: z
      .enum(FORMATS)
      .default('source')
      .describe(
        'Output format. `source` keeps the source format when it is jpeg, png, webp or avif, and an animated gif when `animation` is `all`; any other source (a still gif, tiff) becomes png. Only webp and gif keep an animation; jpeg, png and avif take the first frame.',
      ),
    quality: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Encoder quality, 1-100. Defaults as in sharp: jpeg 80, webp 80, avif 50. Ignored for png, which is lossless, and gif, which is palette-based.'),
    progressive: z
      .boolean()
      .default(true)
      .describe(
        'jpeg only: write a progressive jpeg, which browsers show whole at once, coarse then sharp, while it loads, instead of top to bottom. On the shipped samples at quality 80 it is 1-2% smaller than a baseline jpeg from 800 px wide, 3% larger at 200 px, and takes about twice the encoding time (a few milliseconds per variant). `false` writes a baseline jpeg. Ignored for other formats.',
      ),
    mozjpeg: z
      .boolean()
      .default(false)
      .describe(
        "jpeg only: encode with mozjpeg's settings, as sharp's `mozjpeg` option does (trellis quantisation, overshoot deringing, optimised progressive scans, its own quantisation table): on the shipped samples at quality 80, files 15-20% smaller for 4-5 times the encoding time. Off by default because Lambda bills that time on every image. Ignored for other formats.",
      ),
    enlarge: z
      .boolean()
      .default(false)
      .describe('Allow upscaling a source smaller than the target. Off by default: a small source stays small rather than blurry, so an output can be smaller than `width` x `height`.'),
    background: z
      .string()
      .refine(isColour, {
        error: (issue) => `expected a colour sharp understands (a CSS name, #rgb, #rrggbb, rgb(...), rgba(...) or hsl(...)), found ${JSON.stringify(issue.input)}`,
      })
      .optional()
      .describe(
        'Colour of the bars added by `contain`, and of the background that transparent pixels are flattened onto for jpeg output: any colour sharp understands, a CSS name (`white`), `#rgb`, `#rrggbb`, `rgb(...)`, `rgba(...)` or `hsl(...)`. Default: white for jpeg, transparent for png, webp, avif and gif.',
      ),
  })
  .superRefine(
    (variant, ctx) => {
      const { fit, position } = variant as { fit?: unknown; position?: unknown };
      if (typeof position === 'string' && STRATEGIES.includes(position) && typeof fit === 'string' && fit !== 'cover' && (FITS as readonly string[]).includes(fit)) {
        ctx.addIssue({
          code: 'custom',
          path: ['position'],
          message: `position "${position}" is a smart-crop strategy and only applies to fit "cover", but fit is "${fit}"`,
        });
      }
    },
    // Report this alongside problems elsewhere in the variant, not only once they are fixed.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .describe('One output image.');

export const resizeSpec = z
  .strictObject({
    variants: z
      .array(resizeVariantSpec)
      .min(1)
      .superRefine(
        (variants, ctx) => {
          const firstIndex = new Map<string, number>();
          variants.forEach((variant, index) => {
            const name = (variant as { name?: unknown } | null)?.name;
            if (typeof name !== 'string') return;
            const first = firstIndex.get(name);
            if (first === undefined) {
              firstIndex.set(name, index);
              return;
            }
            ctx.addIssue({
              code: 'custom',
              path: [index, 'name'],
              message: `variant name "${name}" is already used by variants[${first}]; names must be unique because they name the output objects`,
            });
          });
        },
        // Report duplicates alongside problems inside the variants, not only once those are fixed.
        { when: (payload) => Array.isArray(payload.value) },
      )
      .describe('The images to make from each source, all from one decode of the source.'),
    limitInputPixels: z
      .int()
      .min(1)
      .optional()
      .describe(
        "Largest source accepted, in pixels (width x height), checked from the header before any pixel is decoded: the guard against decompression bombs. Default: the largest image the function's memory can resize with these variants (`sluice validate` checks it; locally the same, from the pipeline's memory), at most sharp's own limit, 268402689 (16383 x 16383): with the default 1536 MB and one webp variant 1600 pixels wide, 118 million pixels.",
      ),
    maxInputBytes: z
      .int()
      .min(1)
      .default(DEFAULT_MAX_INPUT_BYTES)
      .describe("Largest source accepted, in bytes: an object whose size (its Content-Length) is larger is refused without being read, and reading stops as soon as it is exceeded; the reason gives the object's size. Default 52428800 (50 MiB)."),
    animation: z
      .enum(ANIMATIONS)
      .default('first')
      .describe(
        'For animated gif and webp sources: `first` decodes the first frame only, `all` every frame, so that webp and gif variants stay animated with the same frame delays and loop count (jpeg, png and avif variants still take the first frame). `first` by default because every frame is held in memory decoded: 100 frames of 1000x1000 take 400 MB, more than a small Lambda has. With `all`, `limitInputPixels` counts the pixels of every frame.',
      ),
    keepMetadata: z
      .boolean()
      .default(false)
      .describe(
        'Keep the source\'s metadata in the variants: EXIF (with its orientation set to 1, as the pixels are turned upright), XMP, IPTC (jpeg outputs only) and the ICC profile, with the pixels left in that profile\'s colours. Off by default: EXIF and XMP can carry GPS positions, camera serial numbers and names, and pixels are converted to sRGB with no profile, which every browser shows right. Animated and gif outputs never carry metadata.',
      ),
    timeoutSeconds: z
      .int()
      .min(1)
      .max(MAX_TIMEOUT_SECONDS)
      .default(DEFAULT_TIMEOUT_SECONDS)
      .describe(
        `Most seconds one image may take, from decoding to the last variant encoded (1-${MAX_TIMEOUT_SECONDS}, default ${DEFAULT_TIMEOUT_SECONDS}). An image that takes longer fails with IMAGE_TIMEOUT and goes to quarantine: it would take as long on every retry. Keep it under the function's own timeout, and raise it on small Lambda memory sizes, which get a fraction of a CPU.`,
      ),
    cacheControl: z
      .string()
      .min(1)
      .optional()
      .describe('`Cache-Control` header for every output object, e.g. `public, max-age=31536000, immutable`. Not set by default.'),
  })
  .describe('Makes resized variants of each image.');

export type ResizeConfig = z.output<typeof resizeSpec>;
export type ResizeVariant = z.output<typeof resizeVariantSpec>;
/** The configuration as written in YAML, before defaults are applied. */
export type ResizeConfigInput = z.input<typeof resizeSpec>;
