import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sluiceBin } from '../support/cli.ts';
import { freePort } from '../support/free-port.ts';
import { repoRoot } from '../support/paths.ts';
import { listKeys } from '../support/s3-read.ts';

// As test/e2e/dashboard.browser.test.ts: Debian's Chromium, skipped with a note without it (but under CI).
const CHROMIUM = process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

const samples = join(repoRoot, 'pipelines', 'samples', 'uploads');
const artifacts = join(repoRoot, 'test-artifacts', 'dashboard');

describe.runIf(haveChromium || process.env.CI)('the dashboard, for a pipeline that also takes removed images', () => {
  it('draws its long arrow labels whole, shows a removal as the deletion it is, and has an icon', async () => {
    await mkdir(artifacts, { recursive: true });
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-dashboard-removal-'));
    // The shipped project, thumbnails also deleting the variants of a removed image.
    const pipelines = join(cwd, 'pipelines');
    await cp(join(repoRoot, 'pipelines'), pipelines, { recursive: true });
    const thumbnails = join(pipelines, 'thumbnails.yml');
    await writeFile(thumbnails, (await readFile(thumbnails, 'utf8')).replace('events: [created]', 'events: [created, removed]'));
    const [s3Port, dynamodbPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(process.execPath, [sluiceBin, 'dev', '--pipelines', pipelines, '--s3-port', String(s3Port), '--dynamodb-port', String(dynamodbPort), '--ui-port', String(uiPort)], { cwd });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const failed: string[] = [];
    const s3 = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    try {
      for (let i = 0; i < 300 && !stdout.includes('Press Ctrl+C'); i++) await sleep(50);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.on('response', (response) => void (response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`)));
      await page.goto(`http://127.0.0.1:${uiPort}/`);

      // Every arrow's label is drawn whole, over as many lines as it needs.
      const graph = page.getByRole('img', { name: 'graph of buckets, tables and pipelines' });
      await graph.locator('g.edge').first().waitFor();
      const labels = await graph.locator('g.edge').evaluateAll((edges) => edges.map((edge) => ({ full: edge.querySelector('title')?.textContent ?? '', lines: [...edge.querySelectorAll('text tspan')].map((line) => line.textContent ?? '') })));
      expect(labels).toHaveLength(9);
      for (const label of labels) expect(label.lines.join(' ')).toBe(label.full);
      expect(labels.map((label) => label.full)).toContain('created and removed, prefix images/, suffix .jpg .jpeg .png .webp .JPG .JPEG .PNG .WEBP');
      expect(labels.every((label) => !label.lines.some((line) => line.includes('…')))).toBe(true);
      await page.screenshot({ path: join(artifacts, 'removal-1-overview.png'), fullPage: true });

      // The page names its icon, and it is there.
      expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/favicon.svg');
      expect((await page.request.get(`http://127.0.0.1:${uiPort}/favicon.svg`)).status()).toBe(200);
      expect((await page.request.get(`http://127.0.0.1:${uiPort}/favicon.ico`)).status()).toBe(200);

      // An image and its variants, then the image removed with an S3 client.
      await page.getByRole('link', { name: 'Buckets' }).click();
      await page.locator('input[type=file]').setInputFiles(join(samples, 'images', 'harbour-dawn.jpg'));
      await expect.poll(() => page.locator('input[name=key]').inputValue()).toBe('images/harbour-dawn.jpg');
      await page.getByRole('button', { name: 'Upload to uploads' }).click();
      await page.getByRole('status').filter({ hasText: 'uploaded uploads/images/harbour-dawn.jpg' }).waitFor();
      await page.getByRole('link', { name: 'Runs' }).click();
      const runs = page.locator('li.run[data-source="uploads/images/harbour-dawn.jpg"]');
      await runs.first().waitFor({ timeout: 30_000 });
      await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'images/harbour-dawn.jpg' }));
      const removal = page.locator('li.run[data-status="deleted"]');
      await removal.waitFor({ timeout: 30_000 });

      // A deletion, not a run that made outputs: its variants are named as deleted, with no link to open and no size.
      expect(await removal.locator('.badge').innerText()).toMatch(/^removed$/i);
      expect(await removal.locator('.outcome').innerText()).toBe('source removed: 3 output(s) deleted');
      expect(await removal.locator('a').count()).toBe(0);
      expect(await removal.locator('.source').innerText()).toBe('uploads/images/harbour-dawn.jpg');
      expect(await removal.locator('.run-steps').innerText()).toBe('source removed: 3 output(s) deleted');
      expect((await removal.locator('.outputs .chip.gone').allInnerTexts()).sort()).toEqual(['media/images/harbour-dawn/large.jpg', 'media/images/harbour-dawn/medium.jpg', 'media/images/harbour-dawn/thumb.webp']);
      expect(await removal.innerText()).not.toContain(' B');
      await page.screenshot({ path: join(artifacts, 'removal-2-runs.png'), fullPage: true });
      // With the source gone, so is the record that it was processed.
      expect(await listKeys(s3, 'quarantine', 'thumbnails/')).toEqual([]);
      expect(await listKeys(s3, 'media')).toEqual([]);
    } finally {
      s3.destroy();
      await browser.close();
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // No request of the page failed: the icon the browser asks for included.
    expect(failed).toEqual([]);
  }, 180_000);
});
