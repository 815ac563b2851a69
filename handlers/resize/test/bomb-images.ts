import sharp from 'sharp';

/**
 * Decompression bombs: tiny files whose headers declare images far larger than their bytes, the
 * way an attacker builds them (PNG's is in png-header.ts).
 */

/** A real, small baseline JPEG whose frame header (SOF0) is rewritten to declare `width` x `height`. */
export async function makeJpegDeclaring(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).jpeg({ progressive: false }).toBuffer());
  for (let offset = 2; offset < jpeg.length; ) {
    const marker = jpeg[offset + 1] as number;
    if (marker === 0xc0) {
      jpeg.writeUInt16BE(height, offset + 5);
      jpeg.writeUInt16BE(width, offset + 7);
      return jpeg;
    }
    offset += 2 + jpeg.readUInt16BE(offset + 2);
  }
  throw new Error('no SOF0 segment');
}

/**
 * An animated GIF whose logical screen is `width` x `height` with `frames` frames of one pixel
 * each: a few bytes a frame, yet every frame decodes to the whole screen.
 */
export function makeGifDeclaring(width: number, height: number, frames: number): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(width, 0);
  screen.writeUInt16LE(height, 2);
  screen.set([0x80, 0, 0], 4); // a global colour table of 2 entries
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0x00, 0x00, 0x00]);
  const frame = Buffer.from([
    0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, // graphic control: 100 ms
    0x2c, 0, 0, 0, 0, 0x01, 0x00, 0x01, 0x00, 0x00, // image descriptor: 1x1 at 0,0
    0x02, 0x02, 0x44, 0x01, 0x00, // LZW, minimum code size 2: clear, index 0, end
  ]);
  return Buffer.concat([Buffer.from('GIF89a'), screen, Buffer.from([0, 0, 0, 255, 255, 255]), loop, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}
