import sharp from 'sharp';
import type { DecodedImage } from './decode.ts';

/** A sharp pipeline over decoded pixels; the frames of an animation are its pages. */
export function openRaw(image: DecodedImage): sharp.Sharp {
  const { data, width, height, channels, frames } = image;
  if (frames === 1) return sharp(data, { raw: { width, height, channels } });
  return sharp(data, { raw: { width, height: height * frames, channels, pageHeight: height }, animated: true });
}

/** The first frame of an animation, without copying: frames are stacked top to bottom. */
export function firstFrame(image: DecodedImage): DecodedImage {
  if (image.frames === 1) return image;
  return { ...image, data: image.data.subarray(0, image.width * image.height * image.channels), frames: 1 };
}
