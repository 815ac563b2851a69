/**
 * Generates the sample uploads the demo pipelines run on: `npx tsx pipelines/samples/make-samples.ts`.
 *
 * Every image is an SVG scene drawn here and rendered by sharp, so there is no third-party asset
 * and the licence is the project's. Output is deterministic for a given sharp version and set of
 * installed fonts (labels are text, rendered with the system's sans-serif font).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const outDir = fileURLToPath(new URL('./uploads/images/', import.meta.url));

/** A small seeded generator (LCG), so "random" details are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function label(text: string, x: number, y: number, size: number, fill = '#ffffff'): string {
  return `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${size}" font-weight="bold" fill="${fill}" stroke="#00000066" stroke-width="${size / 20}">${escapeXml(text)}</text>`;
}

function svg(width: number, height: number, body: string): Buffer {
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`);
}

function harbourDawn(name: string): Buffer {
  const random = seeded(1);
  const boats = Array.from({ length: 9 }, (_, i) => {
    const x = 150 + i * 250 + random() * 80;
    const y = 1150 + random() * 300;
    const s = 0.6 + random() * 0.6;
    return `<g transform="translate(${x.toFixed(0)} ${y.toFixed(0)}) scale(${s.toFixed(2)})"><path d="M-90 0 L90 0 L60 40 L-60 40 Z" fill="#3b2f2f"/><path d="M0 -160 L0 0 L80 0 Z" fill="#f4efe6"/><path d="M-5 -140 L-5 -5 L-70 -5 Z" fill="#e2d6c4"/></g>`;
  }).join('');
  const waves = Array.from({ length: 24 }, (_, i) => {
    const y = 1000 + i * 26;
    return `<path d="M0 ${y} Q 150 ${y - 12} 300 ${y} T 600 ${y} T 900 ${y} T 1200 ${y} T 1500 ${y} T 1800 ${y} T 2100 ${y} T 2400 ${y}" stroke="#ffffff" stroke-opacity="${(0.05 + (i % 5) * 0.03).toFixed(2)}" stroke-width="4" fill="none"/>`;
  }).join('');
  return svg(
    2400,
    1600,
    `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b1b4f"/><stop offset="0.6" stop-color="#e0695a"/><stop offset="1" stop-color="#f7c873"/></linearGradient>
     <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#355c7d"/><stop offset="1" stop-color="#0b2239"/></linearGradient>
     <radialGradient id="sun"><stop offset="0" stop-color="#fff6d5"/><stop offset="1" stop-color="#f9b24a"/></radialGradient></defs>
     <rect width="2400" height="1000" fill="url(#sky)"/><circle cx="1650" cy="860" r="190" fill="url(#sun)"/>
     <rect y="1000" width="2400" height="600" fill="url(#sea)"/>${waves}${boats}
     <path d="M0 1000 L0 760 L220 720 L260 600 L300 720 L520 760 L560 1000 Z" fill="#1d1433"/>
     ${label(name, 80, 150, 110)}`,
  );
}

function mountainLake(name: string): Buffer {
  const random = seeded(2);
  const stars = Array.from({ length: 140 }, () => `<circle cx="${(random() * 2400).toFixed(0)}" cy="${(random() * 520).toFixed(0)}" r="${(1.5 + random() * 3).toFixed(1)}" fill="#fffbe8"/>`).join('');
  const ridge = 'M0 900 L300 520 L520 760 L820 380 L1120 820 L1380 560 L1700 880 L1980 470 L2400 900 Z';
  return svg(
    2400,
    1600,
    `<defs><linearGradient id="night" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#06122b"/><stop offset="1" stop-color="#2d5d7b"/></linearGradient>
     <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#24506b"/><stop offset="1" stop-color="#050d1c"/></linearGradient></defs>
     <rect width="2400" height="900" fill="url(#night)"/>${stars}
     <path d="${ridge}" fill="#1b2a3a"/><path d="M820 380 L900 500 L860 490 L820 540 L780 480 L740 500 Z" fill="#e8eef5"/>
     <path d="M1980 470 L2060 580 L2010 570 L1980 610 L1940 560 L1900 580 Z" fill="#e8eef5"/>
     <rect y="900" width="2400" height="700" fill="url(#lake)"/>
     <g transform="translate(0 1800) scale(1 -1)" opacity="0.35"><path d="${ridge}" fill="#1b2a3a"/></g>
     ${label(name, 80, 1500, 110)}`,
  );
}

function cityBlocks(name: string): Buffer {
  const random = seeded(3);
  const palette = ['#f2c14e', '#f78154', '#4d9078', '#5fad56', '#b4436c', '#3a86ff', '#8338ec'];
  const buildings: string[] = [];
  for (let x = 0; x < 2400; ) {
    const w = 120 + Math.floor(random() * 160);
    const h = 500 + Math.floor(random() * 800);
    const colour = palette[Math.floor(random() * palette.length)] ?? '#888888';
    buildings.push(`<rect x="${x}" y="${1600 - h}" width="${w - 12}" height="${h}" fill="${colour}"/>`);
    for (let wy = 1600 - h + 30; wy < 1560; wy += 70) {
      for (let wx = x + 18; wx < x + w - 40; wx += 44) {
        if (random() < 0.55) buildings.push(`<rect x="${wx}" y="${wy}" width="22" height="36" fill="#fff4c2" opacity="0.85"/>`);
      }
    }
    x += w;
  }
  return svg(
    2400,
    1600,
    `<defs><linearGradient id="dusk" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8ec5fc"/><stop offset="1" stop-color="#e0c3fc"/></linearGradient></defs>
     <rect width="2400" height="1600" fill="url(#dusk)"/>${buildings.join('')}${label(name, 80, 150, 110, '#1a1a2e')}`,
  );
}

function badge(name: string): Buffer {
  const rays = Array.from({ length: 16 }, (_, i) => `<rect x="590" y="60" width="20" height="170" rx="10" fill="#f2a541" transform="rotate(${i * 22.5} 600 600)"/>`).join('');
  return svg(
    1200,
    1200,
    `${rays}<circle cx="600" cy="600" r="380" fill="#1f3b70"/><circle cx="600" cy="600" r="330" fill="none" stroke="#f2a541" stroke-width="24"/>
     <path d="M600 330 L668 500 L850 510 L708 625 L756 800 L600 700 L444 800 L492 625 L350 510 L532 500 Z" fill="#ffffff"/>
     <rect x="260" y="880" width="680" height="130" rx="30" fill="#f2a541" fill-opacity="0.85"/>${label(name, 300, 968, 64, '#1f3b70')}`,
  );
}

function forestTrail(name: string): Buffer {
  const random = seeded(5);
  const trees = Array.from({ length: 60 }, () => {
    const x = random() * 1600;
    const y = 500 + random() * 500;
    const s = 0.5 + (y - 500) / 500;
    return `<g transform="translate(${x.toFixed(0)} ${y.toFixed(0)}) scale(${s.toFixed(2)})"><rect x="-8" y="0" width="16" height="60" fill="#4a3222"/><path d="M0 -200 L70 10 L-70 10 Z" fill="#${random() < 0.5 ? '2f6b3a' : '3f8a4b'}"/></g>`;
  })
    .sort((a, b) => Number(/translate\(\S+ (\d+)/.exec(a)?.[1]) - Number(/translate\(\S+ (\d+)/.exec(b)?.[1]))
    .join('');
  return svg(
    1600,
    1200,
    `<defs><linearGradient id="haze" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#cfe8d5"/><stop offset="1" stop-color="#7fb38a"/></linearGradient></defs>
     <rect width="1600" height="1200" fill="url(#haze)"/><path d="M700 1200 C 760 900 900 800 820 520 L860 520 C 980 800 900 1000 1000 1200 Z" fill="#c9a46a"/>
     ${trees}${label(name, 60, 120, 80, '#17331f')}`,
  );
}

/** Drawn upright (portrait), with an arrow pointing up, so a sideways result is obvious. */
function lighthousePortrait(name: string): Buffer {
  return svg(
    1200,
    1600,
    `<defs><linearGradient id="sky2" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#4facfe"/><stop offset="1" stop-color="#c2e9fb"/></linearGradient></defs>
     <rect width="1200" height="1600" fill="url(#sky2)"/><rect y="1250" width="1200" height="350" fill="#2c6e8f"/>
     <path d="M520 1300 L560 500 L640 500 L680 1300 Z" fill="#ffffff"/><path d="M530 1100 L550 900 L650 900 L670 1100 Z" fill="#d7263d"/>
     <path d="M546 780 L556 640 L644 640 L654 780 Z" fill="#d7263d"/><rect x="540" y="420" width="120" height="80" fill="#ffd166"/><path d="M520 420 L600 340 L680 420 Z" fill="#333333"/>
     <path d="M600 60 L700 200 L640 200 L640 300 L560 300 L560 200 L500 200 Z" fill="#ffffff" stroke="#333333" stroke-width="6"/>
     ${label('up', 720, 220, 90, '#333333')}${label(name, 60, 1520, 70)}`,
  );
}

function cafeSign(name: string): Buffer {
  return svg(
    900,
    600,
    `<rect width="900" height="600" fill="#3e2723"/><rect x="40" y="40" width="820" height="520" rx="40" fill="#efe6d8" stroke="#c69c6d" stroke-width="16"/>
     <circle cx="450" cy="230" r="110" fill="#6d4c41"/><ellipse cx="450" cy="230" rx="70" ry="40" fill="#3e2723"/>
     <path d="M560 210 q60 0 60 40 q0 40 -60 40" fill="none" stroke="#6d4c41" stroke-width="22"/>
     <text x="450" y="470" text-anchor="middle" font-family="DejaVu Serif, serif" font-size="110" font-style="italic" fill="#6d4c41">Café</text>
     <text x="450" y="530" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="34" fill="#8d6e63">${escapeXml(name)}</text>`,
  );
}

async function main(): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const written: Array<{ name: string; bytes: number }> = [];
  const save = async (name: string, data: Buffer) => {
    await writeFile(join(outDir, name), data);
    written.push({ name, bytes: data.length });
  };

  const jpeg = { quality: 85 };
  await save('harbour-dawn.jpg', await sharp(harbourDawn('harbour-dawn.jpg')).jpeg(jpeg).toBuffer());
  await save('mountain-lake.jpg', await sharp(mountainLake('mountain-lake.jpg')).jpeg(jpeg).toBuffer());
  const city = await sharp(cityBlocks('city-blocks.jpg')).jpeg(jpeg).toBuffer();
  await save('city-blocks.jpg', city);
  await save('logo-badge.png', await sharp(badge('logo-badge.png')).png({ compressionLevel: 9 }).toBuffer());
  await save('forest-trail.webp', await sharp(forestTrail('forest-trail.webp')).webp({ quality: 80 }).toBuffer());
  // Stored turned 90 degrees anticlockwise with EXIF Orientation 6 ("rotate 90 clockwise to view"),
  // as phone cameras do: only a resizer that auto-orients outputs it upright.
  const upright = await sharp(lighthousePortrait('phone-portrait.jpg')).png().toBuffer();
  await save('phone-portrait.jpg', await sharp(upright).rotate(-90).jpeg(jpeg).withMetadata({ orientation: 6 }).toBuffer());
  await save('café sign.png', await sharp(cafeSign('café sign.png')).removeAlpha().png({ compressionLevel: 9 }).toBuffer());
  // A real JPEG cut short, as an interrupted upload leaves it: valid header, missing scan data.
  await save('broken-upload.jpg', city.subarray(0, 2000));

  for (const { name, bytes } of written) console.log(`${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${name}`);
  console.log(`${(written.reduce((sum, file) => sum + file.bytes, 0) / 1024).toFixed(0).padStart(6)} KiB  total`);
}

await main();
