import sharp from 'sharp';

/** A small greyscale rendering, for comparing images by what they show rather than by bytes. */
export async function greyPixels(image: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(image).resize(width, height, { fit: 'fill' }).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer();
}

/** Mean absolute difference of two same-sized renderings, 0 (identical) to 255. */
export function meanAbsoluteDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`renderings differ in size: ${a.length} and ${b.length} bytes`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}
