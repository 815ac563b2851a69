import type { Readable } from 'node:stream';
import { InputError } from '../../shared/contract/errors.ts';

function tooLarge(bytes: string, maxBytes: number): InputError {
  return new InputError('IMAGE_TOO_LARGE', `image is ${bytes} bytes, more than maxInputBytes (${maxBytes})`);
}

/**
 * Reads an object body into memory (sharp needs the whole file), giving up as soon as it passes
 * `maxBytes`: a multi-gigabyte upload costs one chunk over the limit, not the whole download.
 */
export async function readBody(body: Buffer | Readable, maxBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(body)) {
    if (body.length > maxBytes) throw tooLarge(String(body.length), maxBytes);
    return body;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  // Leaving the loop early (by throwing) destroys the stream, which releases the connection.
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxBytes) throw tooLarge(`over ${maxBytes}`, maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
