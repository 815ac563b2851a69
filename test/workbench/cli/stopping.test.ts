import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runSluice, sluiceBin } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * Ctrl+C on `sluice dev` while an invocation is in flight, and the start after. The fixture's step
 * holds each object at a gate (a folder) until the test opens it: in flight for as long as the test
 * needs, with nothing timed.
 */
const pipelines = join(repoRoot, 'test', 'fixtures', 'pipelines', 'gated');

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !done(); i++) await sleep(50);
  if (!done()) throw new Error(`gave up waiting for ${what}`);
}

/** `sluice dev` on any free ports, the gate closed, with `objects` uploaded and the first of them held at the gate. */
async function devHolding(objects: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-stopping-'));
  const data = join(dir, 'data');
  const gate = join(dir, 'gate');
  const env = { ...process.env, SLUICE_TEST_GATE: gate };
  const child = spawn(process.execPath, [sluiceBin, 'dev', '--s3-port', '0', '--dynamodb-port', '0', '--ui-port', '0', '--concurrency', '1', '--pipelines', pipelines, '--data', data], { cwd: dir, env });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  await until('the banner', () => output.stdout.includes('Press Ctrl+C'));
  const endpoint = /S3 endpoint\s+(\S+)/.exec(output.stdout)![1]!;
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  for (const key of objects) await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: `body of ${key}` }));
  s3.destroy();
  await until('an invocation at the gate', () => existsSync(join(gate, 'started')));
  return { dir, data, gate, env, child, output, exited, open: () => writeFile(join(gate, 'open'), '') };
}

describe('stopping sluice dev, and starting again', () => {
  it('says what is in flight at Ctrl+C, waits for it, says what it leaves pending; the next start says it resumes it', async () => {
    const dev = await devHolding(['in/a.txt', 'in/b.txt', 'in/c.txt']);
    dev.child.kill('SIGINT');
    await until('the stopping line', () => dev.output.stdout.includes('stopping: '));
    expect(dev.output.stdout).toMatch(
      /\nstopping: waiting for 1 invocation\(s\) in flight: gated uploads\/in\/a\.txt \(\d+(\.\d+)? m?s\); what is queued stays pending for the next start \(Ctrl\+C again to stop now\)\n/,
    );
    await dev.open();
    expect(await dev.exited).toBe(0);
    // The one in flight finished and was logged; the two queued were never started.
    expect(dev.output.stdout).toMatch(/\n\[gated\] uploads\/in\/a\.txt: wrote 1 object\(s\) \(16 B\): out\/copies\/in\/a\.txt \(/);
    expect(dev.output.stdout).not.toContain('[gated] uploads/in/b.txt');
    expect(dev.output.stdout.trimEnd().split('\n').at(-1)).toBe(`stopped: left pending for the next start: gated 2 object(s); \`sluice run\` or \`sluice dev\` with --data ${dev.data} resumes it`);

    const resumed = await runSluice(['run', '--pipelines', pipelines, '--data', dev.data], dev.dir, dev.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.split('\n')[0]).toBe('resuming what was left pending: gated 2 object(s)');
    expect(resumed.stdout).toMatch(/\ngated\s+2 objects\s+2\s+2\s/);
    const listed = await runSluice(['ls', 'out', '--data', dev.data], dev.dir);
    expect(listed.stdout.trim().split('\n').map((line) => line.split(/\s+/).pop())).toEqual(['copies/in/a.txt', 'copies/in/b.txt', 'copies/in/c.txt']);
  }, 90_000);

  it('exits at a second Ctrl+C without waiting, saying what is cut short and left pending, which the next start delivers again', async () => {
    const dev = await devHolding(['in/x.txt', 'in/y.txt']);
    dev.child.kill('SIGINT');
    await until('the stopping line', () => dev.output.stdout.includes('stopping: '));
    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(130);
    expect(dev.output.stdout.trimEnd().split('\n').at(-1)).toMatch(
      new RegExp(`^stopped without waiting for gated uploads/in/x\\.txt \\(\\d+(\\.\\d+)? m?s\\): gated 2 object\\(s\\) left pending; \`sluice run\` or \`sluice dev\` with --data ${dev.data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} delivers it again$`),
    );

    await dev.open();
    const resumed = await runSluice(['run', '--pipelines', pipelines, '--data', dev.data], dev.dir, dev.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout.split('\n')[0]).toBe('resuming what was left pending: gated 2 object(s)');
    expect(resumed.stdout).toMatch(/\ngated\s+2 objects\s+2\s+2\s/);
  }, 90_000);
});
