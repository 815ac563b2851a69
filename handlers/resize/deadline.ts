import type { Sharp } from 'sharp';
import { InputError } from '../../shared/contract/errors.ts';
import { sharpReason } from './sharp-reason.ts';

/**
 * The time one image may take, from its decode to its last variant (`timeoutSeconds`).
 *
 * Two mechanisms, because neither is enough alone. sharp's `timeout()` stops libvips itself, so
 * the CPU and memory are freed, but only while libvips is computing pixels: decoding, resampling
 * and the png and webp encoders stop, while the AVIF, GIF and progressive or mozjpeg JPEG
 * encoders run to their end (measured on 24 megapixels of noise with a 1 s timeout: AVIF, GIF
 * and mozjpeg ran 5 to 10 s), and a pathological image can spend minutes there (an AVIF of 12
 * megapixels of noise: 51 s). So the whole image is also raced against the deadline: the step
 * gives up at the deadline either way, and an encoder sharp cannot stop finishes in the
 * background, its result discarded.
 */
export class ImageDeadline {
  readonly seconds: number;
  readonly #endsAt: number;

  constructor(seconds: number, startedAt = performance.now()) {
    this.seconds = seconds;
    this.#endsAt = startedAt + seconds * 1000;
  }

  /** Whole seconds left, for sharp, whose clock counts whole seconds: at least 1 (0 would mean none). */
  secondsLeft(): number {
    return Math.max(1, Math.ceil((this.#endsAt - performance.now()) / 1000));
  }

  /** `pipeline` with sharp's timeout set to what is left of the deadline. */
  limit(pipeline: Sharp): Sharp {
    return pipeline.timeout({ seconds: this.secondsLeft() });
  }

  /** The error for an image that ran out of time; `cause` is sharp's, when sharp stopped it. */
  timeoutError(cause?: unknown): InputError {
    const where = cause === undefined ? '' : ` (sharp stopped at ${sharpReason(cause).replace(/^timeout:\s*/, '')})`;
    return new InputError('IMAGE_TIMEOUT', `image took longer than timeoutSeconds (${this.seconds}) to process${where}`, cause === undefined ? {} : { cause });
  }

  /**
   * `work`, or an IMAGE_TIMEOUT once the deadline passes. A timeout sharp reports (from a
   * pipeline `limit` set up) becomes the same error.
   */
  async race<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.timeoutError()), Math.max(0, this.#endsAt - performance.now()));
    });
    try {
      return await Promise.race([work, expired]);
    } catch (error) {
      throw isSharpTimeout(error) ? this.timeoutError(error) : error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** libvips' message when sharp's `timeout()` stopped it: `timeout: 57% complete`. */
export function isSharpTimeout(error: unknown): boolean {
  return error instanceof Error && /^timeout: \d+% complete/.test(error.message);
}
