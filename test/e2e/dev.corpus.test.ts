import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { sluiceBin } from '../support/cli.ts';
import { corpus, repoRoot } from '../support/paths.ts';
import { listKeys } from '../support/s3-read.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sluice dev', () => {
  it('serves S3 on the fixed port, prints endpoint and credentials, and any S3 client triggers the pipelines', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-dev-'));
    const port = await freePort();
    const child = spawn(process.execPath, [sluiceBin, 'dev', '--s3-port', String(port), '--pipelines', join(repoRoot, 'pipelines')], { cwd });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 200 && !stdout.includes('Press Ctrl+C'); i++) await sleep(50);
      expect(stdout).toContain(`S3 endpoint   http://127.0.0.1:${port}`);
      expect(stdout).toContain('AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER');

      // A plain SDK client, configured from what `dev` printed, as a user's own code would be.
      const client = new S3Client({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      const body = await readFile(corpus('images-jpeg-exif-orientation', 'Portrait_6.jpg'));
      await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'images/from a client.jpg', Body: body, ContentType: 'image/jpeg' }));
      await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'elsewhere/ignored.jpg', Body: body }));

      const done = '[thumbnails] uploads/images/from a client.jpg: 3 output(s)';
      for (let i = 0; i < 200 && !stdout.includes(done); i++) await sleep(100);
      expect(stdout).toContain(done);
      expect(await listKeys(client, 'media')).toEqual(['images/from a client/large.jpg', 'images/from a client/medium.jpg', 'images/from a client/thumb.webp']);
      expect(stdout).not.toContain('ignored.jpg');
      client.destroy();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/thumbnails\s+1\s+1\s+3/);
  }, 60_000);
});
