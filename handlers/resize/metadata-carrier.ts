import sharp from 'sharp';
import type { ImageDeadline } from './deadline.ts';
import type { InspectedImage } from './inspect.ts';

/**
 * `keepMetadata` on pixels that were decoded once: raw pixels carry no metadata, and sharp writes
 * metadata only from its input image. So the source's metadata is moved to a 1x1 JPEG (JPEG holds
 * EXIF, XMP, IPTC and ICC alike), the carrier, and each variant is laid over it to be encoded
 * (`carryMetadata`).
 *
 * Making it decodes the top-left pixel: next to nothing for jpeg, png, gif and tiff, which decode
 * top to bottom and stop there; WebP and AVIF decoders decode whole frames (measured at 12
 * megapixels: webp 0.6, avif 0.4 of the main decode).
 */
export interface MetadataCarrier {
  image: Buffer;
  kinds: MetadataKinds;
}

type MetadataKinds = InspectedImage['metadata'] & { icc: boolean };

/** Whether the source has any metadata for the carrier to carry. */
export function hasMetadata(inspected: Pick<InspectedImage, 'metadata' | 'profile'>): boolean {
  const { exif, xmp, iptc } = inspected.metadata;
  return exif || xmp || iptc || inspected.profile !== undefined;
}

/**
 * Keeps exactly the kinds the source had: libvips would otherwise write a small EXIF block
 * (resolution, orientation) into an image that had none. sharp keeps IPTC only with everything.
 */
function keepKinds(pipeline: sharp.Sharp, kinds: MetadataKinds): sharp.Sharp {
  if (kinds.iptc) return pipeline.keepMetadata();
  let kept = pipeline;
  if (kinds.exif) kept = kept.keepExif();
  if (kinds.xmp) kept = kept.keepXmp();
  if (kinds.icc) kept = kept.keepIccProfile();
  return kept;
}

/**
 * The orientation is reset because the variants are upright. The ICC profile is kept as it is
 * when the variants' pixels were left in its colours (`keepsProfile`: an RGB profile, see
 * `decodeImage`); otherwise they were converted to sRGB, and it is replaced by the sRGB profile:
 * a CMYK or greyscale profile cannot describe RGB variants, and the frames of an animation are
 * converted for the animated variants, which carry no profile.
 */
export async function makeMetadataCarrier(
  input: Buffer,
  inspected: Pick<InspectedImage, 'metadata' | 'profile'>,
  keepsProfile: boolean,
  limitInputPixels: number,
  deadline: ImageDeadline,
): Promise<MetadataCarrier> {
  const kinds = { ...inspected.metadata, icc: inspected.profile !== undefined };
  // Extracting before `rotate()` reads the stored top-left pixel, which the decoder reaches first;
  // `rotate()` then resets the orientation as it does for the variants' pixels.
  let pipeline = keepKinds(sharp(input, { limitInputPixels }).extract({ left: 0, top: 0, width: 1, height: 1 }).rotate().toColourspace('srgb'), kinds);
  if (kinds.icc && !keepsProfile) pipeline = pipeline.withIccProfile('srgb');
  return { image: await deadline.limit(pipeline.jpeg()).toBuffer(), kinds };
}

/**
 * The variant's pixels (all of `pipeline`'s work done) over the carrier, with its metadata kept,
 * ready for an encoder. The carrier is scaled to the variant's size and fully covered: only its
 * metadata shows. libvips keeps each kind where the format has room for it: jpeg all four; png,
 * webp and avif no IPTC.
 */
export async function carryMetadata(carrier: MetadataCarrier, pipeline: sharp.Sharp, deadline: ImageDeadline): Promise<sharp.Sharp> {
  const { data, info } = await deadline.limit(pipeline).raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  let carried = sharp(carrier.image)
    .resize(width, height, { fit: 'fill', kernel: 'nearest' })
    .composite([{ input: data, raw: { width, height, channels }, blend: 'source' }]);
  // Compositing adds an alpha channel; an opaque variant should not gain one.
  if (channels === 1 || channels === 3) carried = carried.removeAlpha();
  return keepKinds(carried, carrier.kinds);
}
