import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sluiceBin } from '../support/cli.ts';
import { freePort } from '../support/free-port.ts';
import { repoRoot } from '../support/paths.ts';

// Debian's Chromium (`apt-get install chromium`; .ci/run installs it). Without it the test is
// skipped with a note, except under CI, where it fails instead.
const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !process.env.CI) console.warn(`note: ${CHROMIUM} not found: the dashboard's browser test is skipped (apt-get install chromium)`);

const samples = join(repoRoot, 'pipelines', 'samples', 'uploads');
const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');
const demoEnv = async () => Object.fromEntries((await readFile(join(samples, '..', 'demo.env'), 'utf8')).split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=', 2) as [string, string]));

async function upload(page: Page, file: string, key: string): Promise<void> {
  await page.locator('input[type=file]').setInputFiles(file);
  await expect.poll(() => page.locator('input[name=key]').inputValue()).toBe(key);
  await page.getByRole('button', { name: 'Upload to uploads' }).click();
  await page.getByRole('status').filter({ hasText: `uploaded uploads/${key}` }).waitFor();
}

describe.runIf(haveChromium || process.env.CI)('the dashboard, in a browser', () => {
  it('draws the project, uploads an image through the page, shows the run live and the source beside its variants, the quarantine, the tables and the cost', async () => {
    await mkdir(artifacts, { recursive: true });
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-dashboard-'));
    const [s3Port, dynamodbPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, [sluiceBin, 'dev', '--pipelines', join(repoRoot, 'pipelines'), '--s3-port', String(s3Port), '--dynamodb-port', String(dynamodbPort), '--ui-port', String(uiPort)], {
      cwd,
      env: { ...process.env, ...(await demoEnv()) },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const requests: string[] = [];
    try {
      for (let i = 0; i < 300 && !stdout.includes('Press Ctrl+C'); i++) await sleep(50);
      const url = `http://127.0.0.1:${uiPort}/`;
      expect(stdout).toContain(`dashboard          ${url}`);

      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(url);

      // The graph is drawn: every bucket, table and pipeline a node, with arrows between them.
      const graph = page.getByRole('img', { name: 'graph of buckets, tables and pipelines' });
      for (const node of ['bucket:uploads', 'bucket:media', 'bucket:quarantine', 'table:orders', 'table:revenue', 'pipeline:thumbnails', 'pipeline:orders-ingest', 'pipeline:revenue']) {
        await expect.poll(() => graph.locator(`[data-node="${node}"]`).count()).toBe(1);
      }
      expect(await graph.locator('g.edge').count()).toBe(9);
      expect(await graph.locator('g.edge.quarantine').count()).toBe(3);
      await page.screenshot({ path: join(artifacts, '1-overview.png'), fullPage: true });

      // An image uploaded from the page goes through the embedded S3 and starts thumbnails.
      await page.getByRole('link', { name: 'Buckets' }).click();
      await upload(page, join(samples, 'images', 'harbour-dawn.jpg'), 'images/harbour-dawn.jpg');

      // The run arrives on the page without a reload, with its step and outputs.
      await page.getByRole('link', { name: 'Runs' }).click();
      const run = page.locator('li.run[data-source="uploads/images/harbour-dawn.jpg"]');
      await run.waitFor({ timeout: 30_000 });
      expect(await run.getAttribute('data-status')).toBe('processed');
      expect(await run.locator('.run-steps').innerText()).toMatch(/1\. resize \d+ ms/);
      expect(await run.locator('.outputs .chip').allInnerTexts()).toEqual([
        expect.stringContaining('media/images/harbour-dawn/thumb.webp'),
        expect.stringContaining('media/images/harbour-dawn/medium.jpg'),
        expect.stringContaining('media/images/harbour-dawn/large.jpg'),
      ]);
      expect(await page.locator('table.totals tr[data-pipeline="thumbnails"] td').nth(1).innerText()).toBe('1 objects');
      await page.screenshot({ path: join(artifacts, '2-runs.png'), fullPage: true });

      // The source beside its variants, each shown with its dimensions, format and size.
      await run.locator('a.source').click();
      const variants = page.getByLabel('source and variants');
      await variants.locator('figure.card').nth(3).waitFor();
      const cards = variants.locator('figure.card');
      expect(await cards.evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-key')))).toEqual([
        'uploads/images/harbour-dawn.jpg',
        'media/images/harbour-dawn/thumb.webp',
        'media/images/harbour-dawn/medium.jpg',
        'media/images/harbour-dawn/large.jpg',
      ]);
      const dims = await cards.locator('.dims').allInnerTexts();
      expect(dims[0]).toMatch(/^\d+ × \d+ · jpeg$/);
      expect(dims.slice(1)).toEqual(['200 × 200 · webp', expect.stringMatching(/^800 × \d+ · jpeg$/), expect.stringMatching(/^\d+ × \d+ · jpeg$/)]);
      // Every preview is a decoded picture, not a broken image.
      await expect.poll(() => cards.locator('img').evaluateAll((images) => images.map((image) => (image as unknown as { complete: boolean; naturalWidth: number }).complete && (image as unknown as { naturalWidth: number }).naturalWidth > 0))).toEqual([true, true, true, true]);
      expect(await page.getByLabel('object metadata').innerText()).toContain('image/jpeg');
      await page.screenshot({ path: join(artifacts, '3-variants.png'), fullPage: true });

      // A broken image is quarantined, and the quarantine says why.
      await upload(page, join(samples, 'images', 'broken-upload.jpg'), 'images/broken-upload.jpg');
      await page.getByRole('link', { name: 'Quarantine' }).click();
      const quarantined = page.getByLabel('quarantined items').locator('tr', { hasText: 'uploads/images/broken-upload.jpg' });
      await quarantined.waitFor({ timeout: 30_000 });
      expect(await quarantined.innerText()).toContain('image is truncated or corrupt');

      // The orders CSV goes through orders-ingest into a table, whose stream feeds the revenue aggregates.
      await page.getByRole('link', { name: 'Buckets' }).click();
      await upload(page, join(samples, 'orders', 'orders-2026-11-29.csv'), 'orders/orders-2026-11-29.csv');
      await page.getByRole('link', { name: 'Runs' }).click();
      await page.locator('li.run[data-source="orders stream"]').first().waitFor({ timeout: 30_000 });
      await page.getByRole('link', { name: 'Tables' }).click();
      await page.getByRole('tab', { name: 'revenue' }).click();
      const revenue = page.getByLabel('items of revenue');
      await expect.poll(() => revenue.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await revenue.locator('thead th').allInnerTexts()).toEqual(['currency', 'day', 'orders', 'revenue', 'average_order', 'largest_order']);
      await page.screenshot({ path: join(artifacts, '5-tables.png'), fullPage: true });

      // The rows the sanitize step rejected are in the quarantine, each with its reasons.
      await page.getByRole('link', { name: 'Quarantine' }).click();
      const rejected = page.getByLabel('quarantined items').locator('tr[data-kind="rejected-records"]');
      await rejected.waitFor();
      expect(await rejected.innerText()).toMatch(/records rejected \(5\)[\s\S]*customer_email: /);
      await page.screenshot({ path: join(artifacts, '4-quarantine.png'), fullPage: true });

      // The cost estimate per pipeline, from this session's invocations.
      await page.getByRole('link', { name: 'Cost' }).click();
      const costRow = page.getByLabel('cost per pipeline').locator('tr[data-pipeline="thumbnails"]');
      await costRow.waitFor();
      expect(await costRow.locator('td').nth(1).innerText()).toBe('1,000,000');
      expect(await costRow.locator('td').nth(5).innerText()).toBe('2176 MB');
      await page.screenshot({ path: join(artifacts, '6-cost.png'), fullPage: true });

      // Back on the drawing, each pipeline shows what it did.
      await page.getByRole('link', { name: 'Overview' }).click();
      expect(await graph.locator('[data-node="pipeline:thumbnails"] text.counts').textContent()).toBe('2 in · 1 ok · 1 failed');
      await page.screenshot({ path: join(artifacts, '7-overview-after.png'), fullPage: true });
    } finally {
      await browser.close();
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // Nothing was fetched from anywhere but the dev process.
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((request) => new URL(request).host !== `127.0.0.1:${uiPort}`)).toEqual([]);
  }, 180_000);
});
