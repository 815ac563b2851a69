import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { runSluice, sluiceBin } from '../support/cli.ts';
import { freePort } from '../support/free-port.ts';
import { corpus, repoRoot } from '../support/paths.ts';
import { listKeys } from '../support/s3-read.ts';

describe('sluice dev', () => {
  it('serves S3 and DynamoDB on fixed ports, prints endpoints and credentials, and any client triggers the pipelines', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-dev-'));
    const port = await freePort();
    const dynamodbPort = await freePort();
    const uiPort = await freePort();
    // Without the salt orders-ingest reads from the environment: dev says so as it starts.
    const child = spawn(process.execPath, [sluiceBin, 'dev', '--s3-port', String(port), '--dynamodb-port', String(dynamodbPort), '--ui-port', String(uiPort), '--pipelines', join(repoRoot, 'pipelines')], { cwd, env: { ...process.env, SLUICE_PII_SALT: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 200 && !stdout.includes('Press Ctrl+C'); i++) await sleep(50);
      expect(stdout).toContain(`dashboard          http://127.0.0.1:${uiPort}/`);
      expect(stdout).toContain(`S3 endpoint        http://127.0.0.1:${port}`);
      expect(stdout).toContain(`DynamoDB endpoint  http://127.0.0.1:${dynamodbPort} (DynamoDB and DynamoDB Streams APIs)`);
      expect(stdout).toContain('AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER');
      expect(stderr).toMatch(/^warning: SLUICE_PII_SALT is not set: orders-ingest needs it \(steps\[0\]\.sanitize\.salt\.env\), and quarantines what it processes without it; for a local run, npm start and npm run dev set it from \S+demo\.env; /);

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

      const done = '[thumbnails] uploads/images/from a client.jpg: wrote 3 object(s)';
      for (let i = 0; i < 200 && !stdout.includes(done); i++) await sleep(100);
      expect(stdout).toContain(done);
      expect(await listKeys(client, 'media')).toEqual(['images/from a client/large.jpg', 'images/from a client/medium.jpg', 'images/from a client/thumb.webp']);
      expect(stdout).not.toContain('ignored.jpg');
      client.destroy();

      // A plain DynamoDB client with the same credentials: its write goes through the stream to the revenue pipeline.
      const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: `http://127.0.0.1:${dynamodbPort}`, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } }));
      await dynamodb.send(new PutCommand({ TableName: 'orders', Item: { order_id: 'dev-1', currency: 'CHF', created_at: '2026-11-29T09:00:00Z', amount: 42.5 } }));
      const batch = '[revenue] orders stream: 1 record(s), 1 item(s) written';
      for (let i = 0; i < 200 && !stdout.includes(batch); i++) await sleep(50);
      expect(stdout).toContain(batch);
      const scan = await runSluice(['scan', 'revenue', '--json'], cwd);
      expect(scan.stderr).toBe('');
      expect(scan.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([{ currency: 'CHF', day: '2026-11-29', orders: 1, revenue: 42.5, average_order: 42.5, largest_order: 42.5 }]);
      dynamodb.destroy();
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/thumbnails\s+1 objects\s+1\s+3/);
    expect(stdout).toMatch(/revenue\s+1 records\s+1\s+1/);
  }, 60_000);
});
