import * as zlib from 'node:zlib';
import { InputError } from '../../shared/contract/errors.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Chunks a decoder cannot do without: a CRC error in one of them makes the file unusable (PNG spec, 13.2). */
const CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32 ?? crc32Table;

let table: Uint32Array | undefined;
/** For Node before 20.15, which has no `zlib.crc32`. */
function crc32Table(data: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function corrupt(reason: string): InputError {
  return new InputError('IMAGE_CORRUPT', `image is truncated or corrupt: ${reason}`);
}

function hex(bytes: Buffer): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

/** A PNG whose signature was damaged still has its IHDR chunk where the signature's length puts it. */
function looksLikePng(input: Buffer): boolean {
  return input.length >= 16 && (input.subarray(0, 8).equals(SIGNATURE) || input.toString('latin1', 12, 16) === 'IHDR');
}

/**
 * What libvips lets through or words obscurely, checked on a file that is (or was meant to be) a
 * PNG: a damaged signature, which libvips reports as an unsupported format, and CRC errors in the
 * critical chunks, which its PNG decoder does not check in image data (PngSuite's `xcsn0g01`
 * decodes as if nothing were wrong). One pass over the bytes, no decoding. Other files pass.
 */
export function checkPngStructure(input: Buffer): void {
  if (!looksLikePng(input)) return;
  const signature = input.subarray(0, 8);
  if (!signature.equals(SIGNATURE)) {
    const lineEndings = signature[4] !== 0x0d || signature[5] !== 0x0a || signature[7] !== 0x0a;
    throw corrupt(
      `the PNG signature is damaged (${hex(signature)}, expected ${hex(SIGNATURE)})${lineEndings ? ', as a transfer that converts line endings (text mode) does' : ''}`,
    );
  }
  let offset = 8;
  let sawImageData = false;
  while (offset < input.length) {
    if (offset + 12 > input.length) throw corrupt(`the PNG ends inside a chunk header at byte ${offset} (the file is truncated)`);
    const length = input.readUInt32BE(offset);
    const type = input.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > input.length) throw corrupt(`the PNG ends inside its ${type} chunk at byte ${offset} (the file is truncated)`);
    if (CRITICAL.has(type) && crc32(input.subarray(offset + 4, end - 4)) !== input.readUInt32BE(end - 4)) {
      throw corrupt(`the PNG's ${type} chunk at byte ${offset} fails its CRC check (the file was damaged in transfer or storage)`);
    }
    if (type === 'IDAT') sawImageData = true;
    if (type === 'IEND') {
      if (!sawImageData) throw corrupt('the PNG has no image data (no IDAT chunk)');
      return;
    }
    offset = end;
  }
  // No IEND, yet every chunk whole: some encoders leave it out, and browsers show such files. The
  // decoder tells an image whose data is complete from one cut between two chunks.
}
