import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, parse } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { runSluice } from '../support/cli.ts';
import type { CliResult } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';
import { listKeys, readObject } from '../support/s3-read.ts';

// The `npm start` flow, run as a user would from another folder: the shipped pipelines over the shipped samples.
const samplesDir = join(repoRoot, 'pipelines', 'samples', 'uploads');
const ordersFile = join(samplesDir, 'orders', 'orders-2026-11-29.csv');
const runArgs = ['run', '--pipelines', join(repoRoot, 'pipelines'), '--put', `uploads=${samplesDir}`];
// `npm start` reads the demo salt from this file (node --env-file): the same here.
const demoEnv = async () => Object.fromEntries((await readFile(join(repoRoot, 'pipelines', 'samples', 'demo.env'), 'utf8')).split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=', 2) as [string, string]));
const BROKEN = 'broken-upload.jpg';

/** `table revenue (N items):`, the header and one line per item, as printed after the report. */
function revenueSection(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('table revenue ('));
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('npm start: the shipped pipelines over the shipped samples', () => {
  let cwd: string;
  let first: CliResult;
  let s3: EmbeddedS3;
  let samples: string[];

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'sluice-e2e-'));
    samples = (await readdir(join(samplesDir, 'images'))).sort();
    first = await runSluice(runArgs, cwd, await demoEnv());
    s3 = await startEmbeddedS3({ dataDir: join(cwd, '.sluice') });
  }, 120_000);

  afterAll(async () => {
    await s3?.close();
  });

  it('exits cleanly and prints a report with objects in, out and failed', async () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const uploads = (await readdir(samplesDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    expect(first.stdout).toContain(`uploaded ${uploads.length} object(s)`);
    const row = first.stdout.split('\n').find((line) => line.startsWith('thumbnails '));
    expect(row, first.stdout).toBeDefined();
    const cells = row!.trim().split(/\s{2,}/);
    // pipeline, in, processed, outputs, written, quarantined, rejected, skipped, time
    expect(cells.slice(0, 4)).toEqual(['thumbnails', `${samples.length} objects`, String(samples.length - 1), String((samples.length - 1) * 3)]);
    expect(cells[5]).toBe('1');
    expect(first.stdout).toContain(`quarantined uploads/images/${BROKEN}: `);
  });

  it('writes three variants of every valid sample, upright, in the right format and without metadata', async () => {
    const media = await listKeys(s3.client, 'media');
    for (const file of samples.filter((name) => name !== BROKEN)) {
      const stem = parse(file).name;
      const source = await sharp(join(samplesDir, 'images', file)).metadata();
      const shown = source.autoOrient ?? { width: source.width!, height: source.height! };
      const sourceExt = extname(file).slice(1).toLowerCase().replace('jpeg', 'jpg');
      expect(media.filter((key) => key.startsWith(`images/${stem}/`))).toEqual([`images/${stem}/large.${sourceExt}`, `images/${stem}/medium.jpg`, `images/${stem}/thumb.webp`]);

      const thumb = await readObject(s3.client, 'media', `images/${stem}/thumb.webp`);
      expect(thumb.contentType).toBe('image/webp');
      expect(await sharp(thumb.body).metadata()).toMatchObject({ format: 'webp', width: 200, height: 200 });

      const medium = await readObject(s3.client, 'media', `images/${stem}/medium.jpg`);
      expect(medium.contentType).toBe('image/jpeg');
      const mediumMeta = await sharp(medium.body).metadata();
      expect(mediumMeta.format).toBe('jpeg');
      expect(mediumMeta.width).toBe(Math.min(800, shown.width));
      // Aspect ratio kept: a portrait source (after EXIF orientation) stays portrait.
      expect(Math.abs(mediumMeta.height! - Math.round((mediumMeta.width! * shown.height) / shown.width))).toBeLessThanOrEqual(1);
      expect(mediumMeta.exif).toBeUndefined();
      expect(mediumMeta.orientation).toBeUndefined();
      expect(mediumMeta.icc).toBeUndefined();
      // Outputs point back at their source.
      expect(medium.metadata['sluice-source-key']).toBe(encodeURIComponent(`images/${file}`));

      const large = await readObject(s3.client, 'media', `images/${stem}/large.${sourceExt}`);
      const largeMeta = await sharp(large.body).metadata();
      expect(largeMeta.width).toBe(Math.min(1600, shown.width));
      expect(largeMeta.exif).toBeUndefined();
    }
  });

  it('sanitizes the orders CSV into the orders table, whose stream feeds revenue per currency and day; bad rows are quarantined with their reasons', async () => {
    const ingest = first.stdout.split('\n').find((line) => line.startsWith('orders-ingest '))!.trim().split(/\s{2,}/);
    expect(ingest.slice(0, 3)).toEqual(['orders-ingest', '1 objects', '1']);
    expect(first.stdout).toContain('orders-ingest sanitize: rowsIn 14, clean 8, rejected 5, deduplicated 1');
    expect(first.stdout).toContain('rejected 5 record(s) of uploads/orders/orders-2026-11-29.csv, quarantined as quarantine/orders-ingest/uploads/orders/orders-2026-11-29.csv.rejected.ndjson');
    const revenue = first.stdout.split('\n').find((line) => line.startsWith('revenue '))!.trim().split(/\s{2,}/);
    expect(revenue.slice(0, 3)).toEqual(['revenue', '8 records', '8']);
    // The clean rows of the CSV, summed by hand: the revenue table must hold exactly these.
    const clean = [
      ['EUR', '2026-11-28', 84.34],
      ['GBP', '2026-11-29', 41.96],
      ['USD', '2026-11-27', 164.48],
      ['EUR', '2026-11-28', 22.75],
      ['GBP', '2026-11-28', 207.58],
      ['USD', '2026-11-27', 510.45],
      ['EUR', '2026-11-27', 111.24],
      ['USD', '2026-11-28', 27.22],
    ] as const;
    const groups = new Map<string, { orders: number; cents: number }>();
    for (const [currency, day, amount] of clean) {
      const group = groups.get(`${currency}  ${day}`) ?? { orders: 0, cents: 0 };
      groups.set(`${currency}  ${day}`, { orders: group.orders + 1, cents: group.cents + Math.round(amount * 100) });
    }
    const shown = revenueSection(first.stdout).slice(2).map((line) => line.split(/\s{2,}/));
    expect(shown.map(([currency, day, count, total]) => [`${currency}  ${day}`, { orders: Number(count), cents: Math.round(Number(total) * 100) }])).toEqual([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
    // No raw email or phone number reaches the report.
    expect(first.stdout).not.toMatch(/@example\.(com|org|net)|555-01\d\d/);
    const rejected = (await readObject(s3.client, 'quarantine', 'orders-ingest/uploads/orders/orders-2026-11-29.csv.rejected.ndjson')).body.toString('utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rejected.map((line) => [line.position, line.reasons.map((reason: { field?: string }) => reason.field ?? 'record').join(',')])).toEqual([
      // File lines: ord-0006's note holds a quoted line break, so the rows after it start a line later.
      ['9', 'customer_email'],
      ['10', 'amount'],
      ['11', 'currency'],
      ['12', 'created_at'],
      ['14', 'record'],
    ]);
    expect(await readFile(ordersFile, 'utf8')).toContain('ord-0011');
  });

  it('quarantines the corrupt upload with its reason', async () => {
    const keys = (await listKeys(s3.client, 'quarantine')).filter((key) => key.startsWith('thumbnails/') && !key.endsWith('.summary.json'));
    expect(keys).toEqual([`thumbnails/uploads/images/${BROKEN}`, `thumbnails/uploads/images/${BROKEN}.error.json`]);
    const copy = await readObject(s3.client, 'quarantine', keys[0]!);
    expect(copy.body.length).toBeGreaterThan(0);
    const report = JSON.parse((await readObject(s3.client, 'quarantine', keys[1]!)).body.toString());
    expect(report).toMatchObject({ pipeline: 'thumbnails', source: { bucket: 'uploads', key: `images/${BROKEN}` }, error: { code: 'IMAGE_CORRUPT', step: 'resize' }, attempts: 1, sourceCopied: true });
    expect(report.error.message).toMatch(/corrupt|truncated/i);
  });

  it('works when run a second time in the same folder, skipping what was already done', async () => {
    await s3.close();
    const second = await runSluice(runArgs, cwd, await demoEnv());
    s3 = await startEmbeddedS3({ dataDir: join(cwd, '.sluice') });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    // The same versions of the images, by the same pipeline: skipped; only the broken one is tried (and quarantined) again.
    const row = second.stdout.split('\n').find((line) => line.startsWith('thumbnails '))?.split(/\s{2,}/);
    expect([row?.[0], row?.[1], row?.[2], row?.[5], row?.[7]]).toEqual(['thumbnails', `${samples.length} objects`, '0', '1', String(samples.length - 1)]);
    // The orders file is the same version: skipped, so no row is written again, no stream record, the revenue unchanged.
    expect(second.stdout.split('\n').find((line) => line.startsWith('orders-ingest '))?.split(/\s{2,}/).slice(0, 3)).toEqual(['orders-ingest', '1 objects', '0']);
    expect(second.stdout.split('\n').find((line) => line.startsWith('revenue '))?.split(/\s{2,}/).slice(0, 3)).toEqual(['revenue', '0 records', '0']);
    expect(revenueSection(second.stdout)).toEqual(revenueSection(first.stdout));
    expect((await listKeys(s3.client, 'media')).length).toBe((samples.length - 1) * 3);
  }, 120_000);
});
