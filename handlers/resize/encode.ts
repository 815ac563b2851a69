import type { JpegOptions, Sharp } from 'sharp';
import type { OutputFormat } from './formats.ts';
import type { ResizeVariant } from './spec.ts';

/** Frame delays (ms) and loop count (0: forever) of an animation, as sharp reads and writes them. */
export interface Animation {
  delay?: number[] | undefined;
  loop?: number | undefined;
}

/**
 * sharp's `mozjpeg: true` is a preset that also forces progressive scans; it is spelt out here so
 * that `progressive: false` still gives a baseline jpeg (trellis quantisation and deringing work
 * for both; optimised scans only exist in a progressive one).
 */
export function jpegOptions(variant: Pick<ResizeVariant, 'quality' | 'progressive' | 'mozjpeg'>): JpegOptions {
  const { quality, progressive, mozjpeg } = variant;
  if (!mozjpeg) return { quality, progressive, mozjpeg: false };
  return { quality, progressive, trellisQuantisation: true, overshootDeringing: true, optimiseScans: progressive, quantisationTable: 3 };
}

/**
 * Sets the encoder. Raw pixels carry no frame timing, so an animation's delays and loop count
 * are handed to the encoder again; `animation` is given only when the output keeps every frame.
 */
export function encodeAs(pipeline: Sharp, format: OutputFormat, variant: ResizeVariant, animation?: Animation): Sharp {
  const timing = animation ? { delay: animation.delay, loop: animation.loop } : {};
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg(jpegOptions(variant));
    case 'png':
      return pipeline.png();
    case 'webp':
      return pipeline.webp({ quality: variant.quality, ...timing });
    case 'avif':
      return pipeline.avif({ quality: variant.quality });
    case 'gif':
      return pipeline.gif(timing);
  }
}
