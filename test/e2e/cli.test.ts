import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeS3Event } from '../../events/s3/normalize.ts';
import { findTriggerCycles } from '../../shared/workbench/checks/cycles.ts';
import { drawGraph } from '../../shared/workbench/project/draw-graph.ts';
import { parsePipelines } from '../../shared/workbench/project/load-project.ts';
import { buildProjectGraph } from '../../shared/workbench/project/project-graph.ts';
import { runSluice } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';

describe('the sluice command', () => {
  it('lists every command in --help', async () => {
    const { code, stdout } = await runSluice(['--help'], repoRoot);
    expect(code).toBe(0);
    for (const command of ['run', 'dev', 'ls', 'validate', 'graph', 'events']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
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
    expect(ok.stdout).toContain('3 pipeline(s) valid: orders-ingest, revenue, thumbnails');
    expect(ok.code).toBe(0);
    const bad = await runSluice(['validate', join(repoRoot, 'test', 'fixtures', 'pipelines', 'invalid')], repoRoot);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('test/fixtures/pipelines/invalid/typos.yml:3:3: on.prefx: unknown key "prefx" (did you mean "prefix"?)');
    expect(bad.stderr).toContain('test/fixtures/pipelines/invalid/typos.yml:10:18: steps[0].resize.variants[0].width: expected a number >= 1, found 0 (number)');
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses a project with a trigger cycle in validate and run, printing the path of the loop', async () => {
    const loop = join('test', 'fixtures', 'pipelines', 'cycles', 'self-output');
    const problem =
      'test/fixtures/pipelines/cycles/self-output/thumbnails.yml:14:8: to.key: trigger cycle: thumbnails writes uploads/images/{stem}/{variant}.{ext}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg); write to another bucket or outside the trigger\'s prefix';
    const validate = await runSluice(['validate', loop], repoRoot);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toBe(`${problem}\n1 problem(s) found\n`);
    const run = await runSluice(['run', '--pipelines', join(repoRoot, loop), '--data', await mkdtemp(join(tmpdir(), 'sluice-loop-'))], repoRoot);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${problem}\n1 problem(s) found\n`);
    expect(run.stdout).toBe('');
  });

  it('draws the project as text, mermaid or dot, cycles in red', async () => {
    const text = await runSluice(['graph'], repoRoot);
    expect(text.code).toBe(0);
    // What the library draws (its test pins every line), printed as it is.
    const { pipelines } = await parsePipelines(join(repoRoot, 'pipelines'));
    const graph = buildProjectGraph(pipelines);
    expect(text.stdout).toBe(`${drawGraph(graph, findTriggerCycles(graph), 'text')}\n`);
    expect(text.stdout).toContain('table orders\n  triggers revenue (stream from TRIM_HORIZON, batch 100)\n');
    const loop = await runSluice(['graph', join('test', 'fixtures', 'pipelines', 'cycles', 'two-pipelines'), '--format', 'mermaid'], repoRoot);
    expect(loop.code).toBe(0);
    expect(loop.stdout).toMatch(/^flowchart LR\n/);
    expect(loop.stdout).toContain('\n  linkStyle 0,1,3,4 stroke:red,stroke-width:2px\n');
    const dot = await runSluice(['graph', '--format', 'dot'], repoRoot);
    expect(dot.stdout).toMatch(/^digraph sluice \{\n[\s\S]*\n\}\n$/);
    const bad = await runSluice(['graph', '--format', 'svg'], repoRoot);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("argument 'svg' is invalid. Allowed choices are text, mermaid, dot.");
  });

  it('invokes one pipeline with a generated event, as its function would answer, and counts a redelivery once', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-invoke-'));
    const generated = await runSluice(['events', 'generate', 'dynamodb', '--table', 'orders', '--event-name', 'INSERT', '--keys', '{"order_id":"o1"}', '--new-image', '{"order_id":"o1","currency":"USD","created_at":"2026-11-29T10:00:00Z","amount":12.5}'], cwd);
    expect(generated.code).toBe(0);
    await writeFile(join(cwd, 'event.json'), generated.stdout);
    const args = ['invoke', 'revenue', '--event', 'event.json', '--pipelines', join(repoRoot, 'pipelines')];
    for (let delivery = 0; delivery < 2; delivery++) {
      const invoked = await runSluice(args, cwd);
      expect(invoked.stderr).toBe('');
      expect(invoked.stdout.startsWith(`{\n  "batchItemFailures": []\n}\n`)).toBe(true);
    }
    const scan = await runSluice(['scan', 'revenue', '--json'], cwd);
    expect(JSON.parse(scan.stdout)).toEqual({ currency: 'USD', day: '2026-11-29', orders: 1, revenue: 12.5, average_order: 12.5, largest_order: 12.5 });
    const unknown = await runSluice(['invoke', 'revenu', '--event', 'event.json', '--pipelines', join(repoRoot, 'pipelines')], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('sluice: no pipeline named "revenu" (did you mean "revenue"?); pipelines: orders-ingest, revenue, thumbnails\n');
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
