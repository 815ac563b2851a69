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
