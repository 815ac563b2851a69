import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectDetail, ObjectList, QuarantineEntry, RunEvent, VariantsView } from '../../../shared/workbench/dashboard/api-types.ts';
import { RunFeed } from '../../../shared/workbench/dashboard/run-feed.ts';
import type { Dashboard } from '../../../shared/workbench/dashboard/server.ts';
import { startDashboard } from '../../../shared/workbench/dashboard/server.ts';
import type { LocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../../shared/workbench/local/local-runtime.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { repoRoot } from '../../support/paths.ts';
import { listKeys } from '../../support/s3-read.ts';

const image = join(repoRoot, 'pipelines', 'samples', 'uploads', 'images');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request exactly as written: the path is sent as it is, not normalized as fetch would. */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The first `run` event the page's event stream carries for `source`. */
function nextRun(port: number, source: string): Promise<RunEvent> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (const message of buffer.split('\n\n').slice(0, -1)) {
          const data = /^event: run\ndata: (.*)$/m.exec(message)?.[1];
          const event = data ? (JSON.parse(data) as RunEvent) : undefined;
          if (event?.run.source === source) {
            resolve(event);
            req.destroy();
          }
        }
        buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard server', () => {
  let dir: string;
  let runtime: LocalRuntime;
  let dashboard: Dashboard;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-dashboard-'));
    await writeFile(join(dir, 'thumbs.yml'), 'name: thumbs\non: { bucket: uploads, prefix: images/ }\nsteps:\n  - resize: { variants: [{ name: small, width: 64, format: webp }] }\nto: { bucket: media, key: "{stem}/{variant}.{ext}" }\nonError: { quarantine: { bucket: quarantine } }\n');
    await writeFile(join(dir, 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    const feed = new RunFeed();
    const logger = createSilentLogger();
    runtime = await startLocalRuntime({ dataDir: join(dir, '.sluice'), pipelinesDir: dir, logger, onResult: (result) => feed.object(result) });
    feed.attach(runtime.pipelines, () => runtime.stats.all());
    dashboard = await startDashboard({ runtime, feed, dataDir: join(dir, '.sluice'), startedAt: new Date(), logger, port: 0 });
    port = dashboard.port;
  });
  afterAll(async () => {
    await dashboard?.close();
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only, and serves the page with its script and stylesheet, loading nothing from elsewhere', async () => {
    expect(dashboard.url).toBe(`http://127.0.0.1:${port}/`);
    // Not on the IPv6 loopback (nor, so, on every address).
    await expect(new Promise((resolve, reject) => connect(port, '::1').on('connect', resolve).on('error', reject))).rejects.toThrow();
    const page = await send(port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<script type="module" src="/assets/app.js">');
    const script = await send(port, '/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost|www\.w3\.org)[a-z]/i);
    expect((await send(port, '/assets/app.css')).status).toBe(200);
  });

  it('has an icon: the page names its SVG, and /favicon.ico (asked for by name) is an ICO of it, not a 404', async () => {
    expect((await send(port, '/')).body).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    const svg = await send(port, '/favicon.svg');
    expect([svg.status, svg.headers['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(await sharp(Buffer.from(svg.body)).metadata()).toMatchObject({ format: 'svg', width: 32, height: 32 });
    const ico = await new Promise<{ status: number; type: string | undefined; body: Buffer }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/favicon.ico', headers: { host: `127.0.0.1:${port}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect([ico.status, ico.type]).toEqual([200, 'image/x-icon']);
    // ICONDIR: reserved 0, type 1 (icon), one image; its entry: 32x32, 32 bits, the PNG's length and offset.
    expect([ico.body.readUInt16LE(0), ico.body.readUInt16LE(2), ico.body.readUInt16LE(4), ico.body[6], ico.body[7], ico.body.readUInt16LE(12)]).toEqual([0, 1, 1, 32, 32, 32]);
    const png = ico.body.subarray(ico.body.readUInt32LE(18));
    expect(png.length).toBe(ico.body.readUInt32LE(14));
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 32, height: 32 });
  });

  it('refuses path traversal in the page paths, and takes object keys that look like paths as keys', async () => {
    for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/..%5c..%5cpackage.json', '//etc/passwd']) {
      const reply = await send(port, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body).not.toContain('"name": "sluice"');
    }
    // S3 keys, not paths: no such objects in the bucket, and never a file of the project.
    for (const key of ['../../../package.json', 'images/../../x', './a', '/etc/passwd', 'a\\..\\..\\b']) {
      const reply = await send(port, `/api/body?bucket=uploads&key=${encodeURIComponent(key)}`);
      expect(reply.status, key).toBe(404);
      expect(reply.body).not.toContain('"name": "sluice"');
    }
    expect((await send(port, `/api/body?bucket=uploads&key=${encodeURIComponent('nul\0.jpg')}`)).status).toBe(400);
    expect((await send(port, '/api/objects?bucket=..%2F..')).status).toBe(404);
    const upload = await send(port, `/api/upload?bucket=uploads&key=${encodeURIComponent('../escape.jpg')}`, { method: 'POST', headers: { origin: `http://127.0.0.1:${port}` }, body: Buffer.from('x') });
    expect(upload.status).toBe(201);
    expect((await send(port, `/api/body?bucket=uploads&key=${encodeURIComponent('../escape.jpg')}`)).body).toBe('x');
    await runtime.s3.client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: '../escape.jpg' }));
  });

  it('answers only to its own address, and takes uploads only from its own page', async () => {
    expect((await send(port, '/api/project', { headers: { host: `attacker.example:${port}` } })).status).toBe(403);
    const foreign = await send(port, '/api/upload?bucket=uploads&key=images/foreign.jpg', { method: 'POST', headers: { origin: 'http://attacker.example' }, body: await readFile(join(image, 'logo-badge.png')) });
    expect(foreign.status).toBe(403);
    expect(await listKeys(runtime.s3.client, 'uploads')).not.toContain('images/foreign.jpg');
  });

  it('puts an upload in the bucket through S3, so the pipelines run; the run comes on the event stream and the variants beside the source', async () => {
    const run = nextRun(port, 'uploads/images/harbour.jpg');
    const reply = await send(port, '/api/upload?bucket=uploads&key=images/harbour.jpg', { method: 'POST', headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'image/jpeg' }, body: await readFile(join(image, 'harbour-dawn.jpg')) });
    expect(reply.status).toBe(201);
    const event = await run;
    expect(event.run).toMatchObject({ pipeline: 'thumbs', status: 'processed', outputCount: 1, steps: [{ name: 'resize' }] });
    expect(event.totals).toEqual([expect.objectContaining({ pipeline: 'thumbs', itemsIn: 1, processed: 1, outputs: 1 })]);
    expect(await listKeys(runtime.s3.client, 'media')).toEqual(['harbour/small.webp']);

    const variants = JSON.parse((await send(port, '/api/variants?bucket=uploads&key=images/harbour.jpg')).body) as VariantsView;
    expect(variants.source).toMatchObject({ contentType: 'image/jpeg', image: { format: 'jpeg', width: 2400, height: 1600 } });
    expect(variants.derived).toEqual([{ pipeline: 'thumbs', time: expect.any(String), outputs: [expect.objectContaining({ bucket: 'media', key: 'harbour/small.webp', detail: expect.objectContaining({ image: { format: 'webp', width: 64, height: 43 } }) })] }]);
    const variant = JSON.parse((await send(port, '/api/object?bucket=media&key=harbour/small.webp')).body) as ObjectDetail;
    expect(variant.madeFrom).toEqual({ pipeline: 'thumbs', bucket: 'uploads', key: 'images/harbour.jpg' });
    const body = await send(port, '/api/body?bucket=media&key=harbour/small.webp');
    expect(body.headers['content-type']).toBe('image/webp');
    expect(body.headers['content-security-policy']).toContain('sandbox');
  });

  it('lists what was quarantined with its reason', async () => {
    const run = nextRun(port, 'uploads/images/broken.jpg');
    await send(port, '/api/upload?bucket=uploads&key=images/broken.jpg', { method: 'POST', body: await readFile(join(image, 'broken-upload.jpg')) });
    expect((await run).run.status).toBe('quarantined');
    const entries = JSON.parse((await send(port, '/api/quarantine')).body) as QuarantineEntry[];
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'object', pipeline: 'thumbs', source: 'uploads/images/broken.jpg', copyKey: 'thumbs/uploads/images/broken.jpg', error: expect.objectContaining({ code: 'IMAGE_CORRUPT' }) }),
    ]);
  });

  it('lists a bucket holding more objects than a page: the first 1,000, said to be truncated (the listing failed with a 500 before)', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => `bulk/${String(i).padStart(4, '0')}.csv`);
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((Key) => runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key, Body: 'id\n' }))));
    const reply = await send(port, '/api/objects?bucket=uploads&prefix=bulk/');
    expect(reply.status, reply.body).toBe(200);
    const list = JSON.parse(reply.body) as ObjectList;
    expect(list.truncated).toBe(true);
    expect(list.objects.map((object) => object.key)).toEqual(keys.slice(0, 1000));
  }, 60_000);
});
