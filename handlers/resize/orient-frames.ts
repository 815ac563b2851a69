import sharp from 'sharp';
import type { ImageDeadline } from './deadline.ts';

/**
 * The mirror and turn that stand an image with this EXIF orientation upright, as sharp's
 * `rotate()` and `flip()`/`flop()` apply them: the mirror first, then the turn (clockwise).
 */
const UPRIGHT: Readonly<Record<number, { angle: number; mirror?: 'flip' | 'flop' }>> = {
  1: { angle: 0 },
  2: { angle: 0, mirror: 'flop' },
  3: { angle: 180 },
  4: { angle: 0, mirror: 'flip' },
  5: { angle: 90, mirror: 'flip' },
  6: { angle: 90 },
  7: { angle: 270, mirror: 'flip' },
  8: { angle: 270 },
};

export interface RawFrames {
  data: Buffer;
  width: number;
  /** Of one frame. */
  height: number;
  channels: 1 | 2 | 3 | 4;
  frames: number;
}

/**
 * Stands every frame of an animation upright. sharp orients a multi-frame image as one tall
 * strip, which cannot be turned 90 degrees, and turned 180 degrees (or flipped) reverses the
 * order of the frames; so each frame, a contiguous slice of the raw strip, is oriented on its own.
 */
export async function orientFrames(image: RawFrames, orientation: number, deadline: ImageDeadline): Promise<RawFrames> {
  const { angle, mirror } = UPRIGHT[orientation] ?? UPRIGHT[1]!;
  if (angle === 0 && mirror === undefined) return image;
  const { width, height, channels, frames } = image;
  const frameBytes = width * height * channels;
  const oriented = await Promise.all(
    Array.from({ length: frames }, (_, index) => {
      let pipeline = sharp(image.data.subarray(index * frameBytes, (index + 1) * frameBytes), { raw: { width, height, channels } });
      if (mirror === 'flip') pipeline = pipeline.flip();
      if (mirror === 'flop') pipeline = pipeline.flop();
      if (angle !== 0) pipeline = pipeline.rotate(angle);
      return deadline.limit(pipeline).raw().toBuffer();
    }),
  );
  const turned = angle === 90 || angle === 270;
  return { data: Buffer.concat(oriented), width: turned ? height : width, height: turned ? width : height, channels, frames };
}
