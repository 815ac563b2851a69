import sharp from 'sharp';

/**
 * Images made on the fly for the resize tests: small, with features that show orientation and
 * cropping (a gradient plus a dark block in the top-left corner).
 */
function sceneSvg(width: number, height: number, alpha: boolean): Buffer {
  const background = alpha ? '' : `<rect width="${width}" height="${height}" fill="url(#g)"/>`;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3366cc"/><stop offset="1" stop-color="#ffcc33"/></linearGradient></defs>
      ${background}<rect x="0" y="0" width="${width / 4}" height="${height / 4}" fill="#111111"/>
      <circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#cc3333"/></svg>`,
  );
}

export async function makeJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(sceneSvg(width, height, false)).jpeg({ quality: 90 }).toBuffer();
}

/** Opaque shapes on a fully transparent background. */
export async function makeTransparentPng(width: number, height: number): Promise<Buffer> {
  return sharp(sceneSvg(width, height, true)).png().toBuffer();
}

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Sluice test</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** A JPEG carrying EXIF (with a GPS-like comment), XMP and a Display P3 ICC profile. */
export async function makeJpegWithMetadata(width: number, height: number): Promise<Buffer> {
  return sharp(sceneSvg(width, height, false))
    .withIccProfile('p3')
    .withExif({ IFD0: { Copyright: 'Sluice test', ImageDescription: 'secret location' } })
    .withXmp(XMP)
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Distinct, saturated colours, one per frame, so a frame can be told by its pixels. */
export const FRAME_COLOURS = [
  [220, 20, 20],
  [20, 200, 20],
  [20, 20, 220],
  [230, 200, 20],
  [200, 20, 200],
  [20, 200, 200],
] as const;

export interface AnimationOptions {
  width: number;
  height: number;
  frames: number;
  /** Per frame, milliseconds. */
  delay: number[];
  loop: number;
}

/**
 * An animated gif or webp: each frame one colour from FRAME_COLOURS with a dark block in its
 * top-left corner (to show orientation and crops).
 */
export async function makeAnimation(format: 'gif' | 'webp', options: AnimationOptions): Promise<Buffer> {
  const { width, height, frames, delay, loop } = options;
  const frame = (index: number) => {
    const [r, g, b] = FRAME_COLOURS[index % FRAME_COLOURS.length]!;
    return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
      .composite([{ input: { create: { width: Math.ceil(width / 4), height: Math.ceil(height / 4), channels: 3, background: '#111111' } }, left: 0, top: 0 }])
      .removeAlpha()
      .raw()
      .toBuffer();
  };
  const strip = Buffer.concat(await Promise.all(Array.from({ length: frames }, (_, index) => frame(index))));
  const image = sharp(strip, { raw: { width, height: height * frames, channels: 3, pageHeight: height }, animated: true });
  return format === 'gif' ? image.gif({ delay, loop }).toBuffer() : image.webp({ delay, loop, lossless: true }).toBuffer();
}

/** RGB of one pixel of one frame of an encoded (possibly animated) image. */
export async function framePixel(image: Buffer, frame: number, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image, { page: frame }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + 3)];
}

/** Whether two colours are the same to within lossy-compression noise. */
export function sameColour(a: readonly number[], b: readonly number[], tolerance = 24): boolean {
  return a.length === b.length && a.every((value, index) => Math.abs(value - (b[index] as number)) <= tolerance);
}

/**
 * `jpeg` with an IPTC caption (record 2, dataset 120) in a Photoshop APP13 segment, as cameras
 * and photo desks write it; sharp can read IPTC but not write it.
 */
export function withIptcCaption(jpeg: Buffer, caption: string): Buffer {
  const text = Buffer.from(caption, 'latin1');
  const dataset = Buffer.concat([Buffer.from([0x1c, 2, 120, text.length >> 8, text.length & 0xff]), text]);
  const resource = Buffer.concat([Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0]), Buffer.alloc(4), dataset, Buffer.alloc(dataset.length % 2)]);
  resource.writeUInt32BE(dataset.length, 8);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
  const header = Buffer.from([0xff, 0xed, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}
