import sharp from 'sharp';

/**
 * The dashboard's icon: a sluice gate between two posts over water, in the page's blue. The page
 * names the SVG; `/favicon.ico`, which browsers and other tools ask for by that name, is the same
 * drawing in an ICO file (one 32x32 PNG inside), made once when first asked for.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">
<rect width="32" height="32" rx="6" fill="#1f5fbf"/>
<rect x="5" y="4" width="4" height="21" rx="1" fill="#ffffff"/>
<rect x="23" y="4" width="4" height="21" rx="1" fill="#ffffff"/>
<rect x="9" y="8" width="14" height="9" fill="#cfe0ff"/>
<path d="M3 24c3-2.5 5.5 2.5 8.7 0s5.5-2.5 8.6 0 5.5 2.5 8.7 0" stroke="#ffffff" stroke-width="2" fill="none" stroke-linecap="round"/>
</svg>
`;

const SIZE = 32;

/** An ICO file holding `png` (a SIZE x SIZE image): the 6-byte header, one 16-byte entry, the PNG. */
function icoOf(png: Buffer): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(SIZE, 6); // width
  header.writeUInt8(SIZE, 7); // height
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9); // reserved
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14); // image size
  header.writeUInt32LE(header.length, 18); // image offset
  return Buffer.concat([header, png]);
}

let ico: Promise<Buffer> | undefined;

export function faviconIco(): Promise<Buffer> {
  ico ??= sharp(Buffer.from(FAVICON_SVG)).resize(SIZE, SIZE).png().toBuffer().then(icoOf);
  return ico;
}
