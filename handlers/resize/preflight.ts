import type { FunctionLimits, OptionProblem } from '../../shared/contract/handler.ts';
import { DECODED_BYTES_PER_PIXEL, RUNTIME_MB, effectivePixelLimit, largestPixelLimit, neededMb, resizeMemory, variantMb } from './memory.ts';
import type { ResizeConfig } from './spec.ts';

/** Lambda's largest memory size, MB. */
export const MAX_LAMBDA_MEMORY = 10240;

/**
 * Time the function needs besides the image's own `timeoutSeconds`: reading the source, writing
 * the variants, or writing the quarantine when the image timed out. Without it, Lambda stops the
 * function first and the image is neither done nor quarantined, only retried.
 */
export const TIMEOUT_MARGIN_SECONDS = 10;

const MB = 1024 * 1024;
const mb = (value: number) => (value < 0.5 ? 'under 1 MB' : `${Math.round(value)} MB`);
/** Suggested sizes: memory up to a multiple of 64 MB, pixel limits down to three significant digits. */
const roundUpMemory = (value: number) => Math.ceil(value / 64) * 64;
function roundDownPixels(value: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 2);
  return Math.floor(value / unit) * unit;
}

/** `a`, `a and b`, `a, b and c` */
function listNames(names: readonly string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

/** Below this, the default pixel limit refuses photos from common phones (12 megapixels): worth a warning. */
export const SMALL_PIXEL_LIMIT = 12_000_000;

function memoryProblem(config: ResizeConfig, memorySize: number): OptionProblem | undefined {
  const memory = resizeMemory(config);
  const pixels = effectivePixelLimit(config, memorySize);
  const needed = neededMb(memory, pixels);
  if (needed <= memorySize) {
    if (config.limitInputPixels !== undefined || pixels >= SMALL_PIXEL_LIMIT) return undefined;
    const memoryFix = roundUpMemory(neededMb(memory, SMALL_PIXEL_LIMIT));
    return {
      path: ['limitInputPixels'],
      severity: 'warning',
      message: `not set, so images of up to ${pixels} pixels, the most the function's ${memorySize} MB can resize with these variants: photos from common phones (${SMALL_PIXEL_LIMIT / 1_000_000} megapixels) would be quarantined as too large; set lambda.memorySize to at least ${memoryFix} to take them, or limitInputPixels to make the limit explicit`,
    };
  }
  const variants = memory.variants.map((variant) => `${variant.name} ${mb(variantMb(variant, pixels))}`).join(', ');
  const unbounded = memory.variants.filter((variant) => !variant.bounded).map((variant) => variant.name);
  const sourceFormat = config.variants.some((variant) => unbounded.includes(variant.name) && variant.format === 'source');
  const why = unbounded.length
    ? `; ${listNames(unbounded)} ${unbounded.length > 1 ? 'keep' : 'keeps'} the source's shape (a side left out, or fit: outside), so can be as large as the source${sourceFormat ? ', and format: source may be avif, the costliest to encode' : ''}`
    : '';
  const fixes: string[] = [];
  const limit = largestPixelLimit(memory, memorySize);
  if (limit >= 1) fixes.push(`limitInputPixels to at most ${roundDownPixels(limit)}`);
  else {
    // Even one pixel does not fit: the source's bytes take the room.
    const bytes = Math.floor(memorySize * MB - (memory.fixedBytes - config.maxInputBytes) - pixels * memory.bytesPerPixel);
    if (bytes >= 1) fixes.push(`maxInputBytes to at most ${roundDownPixels(bytes)}`);
  }
  const memoryFix = roundUpMemory(needed);
  if (memoryFix <= MAX_LAMBDA_MEMORY) fixes.push(`lambda.memorySize to at least ${memoryFix}`);
  const remedy = fixes.length ? `set ${fixes.join(', or ')}` : `lower limitInputPixels and maxInputBytes (Lambda gives a function at most ${MAX_LAMBDA_MEMORY} MB)`;
  const message =
    `an image within the step's limits (limitInputPixels ${config.limitInputPixels ?? 'not set'}, maxInputBytes ${config.maxInputBytes}) can need about ${Math.ceil(needed)} MB to resize, ` +
    `more than the function's ${memorySize} MB: it would run out of memory and be retried, never quarantined ` +
    `(runtime ${mb(RUNTIME_MB)}, source ${mb(config.maxInputBytes / MB)}, decoded pixels ${mb((pixels * DECODED_BYTES_PER_PIXEL) / MB)}, variants: ${variants}${why}); ` +
    remedy;
  // Pointed at the limit to change: the pixels, unless the source's bytes alone leave no room.
  return { path: [limit >= 1 ? 'limitInputPixels' : 'maxInputBytes'], message, severity: 'error' };
}

function timeoutProblem(config: ResizeConfig, timeout: number): OptionProblem | undefined {
  if (config.timeoutSeconds + TIMEOUT_MARGIN_SECONDS <= timeout) return undefined;
  const fixes = [`set lambda.timeout to at least ${config.timeoutSeconds + TIMEOUT_MARGIN_SECONDS}`];
  if (timeout - TIMEOUT_MARGIN_SECONDS >= 1) fixes.push(`timeoutSeconds to at most ${timeout - TIMEOUT_MARGIN_SECONDS}`);
  const message =
    `an image may take ${config.timeoutSeconds} s (timeoutSeconds) in a function that stops at ${timeout} s (its timeout), ` +
    `which leaves less than the ${TIMEOUT_MARGIN_SECONDS} s needed to read the source and write the variants or the quarantine: ` +
    `Lambda would stop a slow image's invocation before it is quarantined, and retry it; ${fixes.join(', or ')}`;
  return { path: ['timeoutSeconds'], message, severity: 'error' };
}

/**
 * What a resize step needs of its function: room for the largest image it accepts, and time to
 * quarantine a slow one. Carried by the handler's definition, so a fork keeps it.
 */
export function resizePreflight(config: ResizeConfig, limits: FunctionLimits): OptionProblem[] {
  return [memoryProblem(config, limits.memorySize), timeoutProblem(config, limits.timeout)].filter((problem) => problem !== undefined);
}
