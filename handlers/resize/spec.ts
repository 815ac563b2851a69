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

export const FORMATS = ['jpeg', 'png', 'webp', 'avif', 'source'] as const;

/** libvips' hard limit on one side of an image; larger requests would fail at encode time. */
export const MAX_DIMENSION = 16384;

/** sharp's own default for `limitInputPixels` (0x3FFF * 0x3FFF). */
export const SHARP_PIXEL_LIMIT = 268_402_689;

export const DEFAULT_MAX_INPUT_BYTES = 50 * 1024 * 1024;

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
        'Output format. `source` keeps the source format when it is jpeg, png, webp or avif; any other source (gif, tiff) becomes png.',
      ),
    quality: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Encoder quality, 1-100. Defaults as in sharp: jpeg 80, webp 80, avif 50. Ignored for png, which is lossless.'),
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
        'Colour of the bars added by `contain`, and of the background that transparent pixels are flattened onto for jpeg output: any colour sharp understands, a CSS name (`white`), `#rgb`, `#rrggbb`, `rgb(...)`, `rgba(...)` or `hsl(...)`. Default: white for jpeg, transparent for png, webp and avif.',
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
      .default(SHARP_PIXEL_LIMIT)
      .describe(
        "Largest source accepted, in pixels (width x height), checked from the header before any pixel is decoded: the guard against decompression bombs. Default is sharp's, 268402689 (16383 x 16383).",
      ),
    maxInputBytes: z
      .int()
      .min(1)
      .default(DEFAULT_MAX_INPUT_BYTES)
      .describe('Largest source accepted, in bytes; reading stops as soon as it is exceeded. Default 52428800 (50 MiB).'),
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
