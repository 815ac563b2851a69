import type { Readable } from 'node:stream';
import { InputError } from '../../shared/contract/errors.ts';
import { formatBytes } from '../../shared/contract/units.ts';

/**
 * The refusal of an image over `maxInputBytes`, naming its size: exactly when it is known (the
 * object's Content-Length, or a body read whole), as `at least` the bytes read when reading
 * stopped at the limit without knowing the rest.
 */
export function tooLarge(bytes: number, maxBytes: number, known: boolean): InputError {
  const size = known ? `${bytes} bytes (${formatBytes(bytes)})` : `at least ${bytes} bytes (reading stopped there)`;
  return new InputError('IMAGE_TOO_LARGE', `image is ${size}, more than maxInputBytes (${maxBytes}, ${formatBytes(maxBytes)})`);
}

/**
 * Reads an object body into memory (sharp needs the whole file), giving up as soon as it passes
 * `maxBytes`: a multi-gigabyte upload costs one chunk over the limit, not the whole download.
 * With the body's `size` known beforehand (its Content-Length), an object over the limit is
 * refused without reading it.
 */
export async function readBody(body: Buffer | Readable, maxBytes: number, size?: number): Promise<Buffer> {
  if (Buffer.isBuffer(body)) {
    if (body.length > maxBytes) throw tooLarge(body.length, maxBytes, true);
    return body;
  }
  if (size !== undefined && size > maxBytes) {
    body.destroy();
    throw tooLarge(size, maxBytes, true);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (by throwing) destroys the stream, which releases the connection.
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    // A stream longer than it said it was is refused at what was read, which is all that is known.
    if (total > maxBytes) throw tooLarge(total, maxBytes, false);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
