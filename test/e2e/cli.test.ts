import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeS3Event } from '../../events/s3/normalize.ts';
import { runSluice } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';

describe('the sluice command', () => {
  it('lists every command in --help', async () => {
    const { code, stdout } = await runSluice(['--help'], repoRoot);
    expect(code).toBe(0);
    for (const command of ['run', 'dev', 'ls', 'validate', 'events']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('generates an S3 event as AWS delivers it, key encoded as S3 encodes it', async () => {
    const { code, stdout } = await runSluice(['events', 'generate', 's3', '--bucket', 'uploads', '--key', 'images/red flower+1.jpg', '--size', '2048'], repoRoot);
    expect(code).toBe(0);
    const event = JSON.parse(stdout);
    expect(event.Records[0].s3.object).toMatchObject({ key: 'images/red+flower%2B1.jpg', size: 2048 });
    expect(event.Records[0].eventName).toBe('ObjectCreated:Put');
    expect(normalizeS3Event(event)[0]).toMatchObject({ bucket: 'uploads', key: 'images/red flower+1.jpg', size: 2048 });
  });

  it('validates pipelines and prints every problem as file:line:column', async () => {
    const ok = await runSluice(['validate'], repoRoot);
    expect(ok.stdout).toContain('pipeline(s) valid: thumbnails');
    expect(ok.code).toBe(0);
    const bad = await runSluice(['validate', join(repoRoot, 'test', 'fixtures', 'pipelines', 'invalid')], repoRoot);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('test/fixtures/pipelines/invalid/typos.yml:3:3: on.prefx: unknown key "prefx" (did you mean "prefix"?)');
    expect(bad.stderr).toContain('test/fixtures/pipelines/invalid/typos.yml:10:18: steps[0].resize.variants[0].width: expected a number >= 1, found 0 (number)');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('lists buckets and objects of the embedded store, and explains a missing bucket', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-ls-'));
    await runSluice(['run', '--pipelines', join(repoRoot, 'pipelines'), '--put', `uploads/images/=${join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'logo-badge.png')}`], cwd);
    const buckets = await runSluice(['ls'], cwd);
    expect(buckets.stdout.split('\n').filter(Boolean).sort()).toEqual(['media', 'quarantine', 'uploads']);
    const media = await runSluice(['ls', 'media/images/logo-badge/'], cwd);
    expect(media.code).toBe(0);
    expect(media.stdout).toMatch(/^\s+\d+\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+images\/logo-badge\/thumb\.webp$/m);
    expect(media.stdout.trim().split('\n')).toHaveLength(3);
    const missing = await runSluice(['ls', 'nope'], cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no bucket "nope"');
  });

  it('reports a bad --put as a usage error, without a stack trace', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-put-'));
    const result = await runSluice(['run', '--pipelines', join(repoRoot, 'pipelines'), '--put', 'uploads'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('sluice: --put expects BUCKET[/PREFIX]=PATH, found "uploads"');
  });
});
