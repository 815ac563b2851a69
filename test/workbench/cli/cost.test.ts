import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCostTable } from '../../../shared/workbench/cost/cost-table.ts';
import { estimateCost } from '../../../shared/workbench/cost/estimate.ts';
import { DEFAULT_PRICES, parsePrices } from '../../../shared/workbench/cost/prices.ts';
import { ConfigError, formatConfigIssue } from '../../../shared/contract/errors.ts';
import { formatCount } from '../../../shared/contract/units.ts';
import { lastRunSpec, readLastRun, summarizeDurations, writeLastRun } from '../../../shared/workbench/local/last-run.ts';
import type { LastRun } from '../../../shared/workbench/local/last-run.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

const durations = (billed: number, invocations: number) => ({ total: billed - invocations / 2, billed, min: 1, p50: 1, p90: 1, p99: 1, max: 1 });

const none = { skipped: 0, quarantined: 0, removed: 0 };

/** A bucket pipeline (100 ms billed an invocation, 1024 MB, arm64), a table one (25 records a batch, 20.5 ms, 512 MB, x86_64), and one never invoked. */
const run: LastRun = {
  version: 2,
  command: 'run',
  startedAt: '2026-11-29T10:00:00.000Z',
  finishedAt: '2026-11-29T10:00:02.500Z',
  pipelines: [
    { pipeline: 'images', trigger: 'bucket', unit: 'objects', invocations: 4, itemsIn: 4, failedInvocations: 0, leftOut: none, priced: { invocations: 4, itemsIn: 4, durationMs: durations(400, 4) }, lambda: { memorySize: 1024, timeout: 60, architecture: 'arm64' } },
    { pipeline: 'totals', trigger: 'table', unit: 'records', invocations: 2, itemsIn: 50, failedInvocations: 0, leftOut: none, priced: { invocations: 2, itemsIn: 50, durationMs: durations(41, 2) }, lambda: { memorySize: 512, timeout: 60, architecture: 'x86_64' } },
    { pipeline: 'idle', trigger: 'bucket', unit: 'objects', invocations: 0, itemsIn: 0, failedInvocations: 0, leftOut: none, lambda: { memorySize: 256, timeout: 60, architecture: 'arm64' } },
  ],
};

const million = () => 1_000_000;

describe('run durations', () => {
  it('bills each invocation rounded up to the millisecond, at least 1 ms, and keeps nearest-rank percentiles', () => {
    expect(summarizeDurations([2.0001, 0.2, 1, 1.5])).toEqual({ total: 4.7, billed: 1 + 1 + 2 + 3, min: 0.2, p50: 1, p90: 2, p99: 2, max: 2 });
    expect(summarizeDurations([])).toBeUndefined();
  });

  it('records a run that invoked something, and keeps the previous record over one that invoked nothing', async () => {
    const data = await mkdtemp(join(tmpdir(), 'sluice-last-run-'));
    expect(writeLastRun(data, run)).toBe(true);
    expect(readLastRun(data)).toEqual(run);
    const idle = { ...run, command: 'dev' as const, pipelines: run.pipelines.map(({ priced: _priced, ...pipeline }) => ({ ...pipeline, invocations: 0, itemsIn: 0 })) };
    expect(writeLastRun(data, idle)).toBe(false);
    expect(readLastRun(data)).toEqual(run);
  });

  it('keeps, for a pipeline a run did no work for, the measurement of the last run that did, saying which', async () => {
    const data = await mkdtemp(join(tmpdir(), 'sluice-last-run-'));
    writeLastRun(data, run);
    // Every image skipped as already processed, one quarantined; the table pipeline not invoked; the idle one still nothing.
    const again: LastRun = {
      ...run,
      finishedAt: '2026-11-29T11:00:00.000Z',
      pipelines: [
        { ...run.pipelines[0]!, invocations: 5, itemsIn: 5, leftOut: { skipped: 4, quarantined: 1, removed: 0 }, priced: undefined },
        { ...run.pipelines[1]!, invocations: 0, itemsIn: 0, priced: undefined },
        run.pipelines[2]!,
      ].map(({ priced, ...pipeline }) => (priced ? { ...pipeline, priced } : pipeline)),
    };
    expect(writeLastRun(data, again)).toBe(true);
    const kept = readLastRun(data);
    const from = { command: 'run', finishedAt: '2026-11-29T10:00:02.500Z' };
    expect(kept.pipelines.map((pipeline) => [pipeline.invocations, pipeline.priced])).toEqual([
      [5, { ...run.pipelines[0]!.priced, from }],
      [0, { ...run.pipelines[1]!.priced, from }],
      [0, undefined],
    ]);
    // A third run keeps saying where the measurement came from, not the run in between.
    writeLastRun(data, { ...again, finishedAt: '2026-11-29T12:00:00.000Z' });
    expect(readLastRun(data).pipelines[0]!.priced?.from).toEqual(from);
  });

  it('explains a missing or unreadable run record', async () => {
    const data = await mkdtemp(join(tmpdir(), 'sluice-last-run-'));
    expect(() => readLastRun(data, 'x/runs/last.json')).toThrow('no measured run in x/runs/last.json: run `sluice run` (or `sluice dev`) first, with the same --data, then `sluice cost`');
    await mkdir(join(data, 'runs'));
    await writeFile(join(data, 'runs', 'last.json'), '{"version": 0}');
    expect(() => readLastRun(data, 'x/runs/last.json')).toThrow('x/runs/last.json is not a run record this version of Sluice can read: run `sluice run` again to measure anew');
  });
});

describe('estimateCost', () => {
  it('scales the run to the events of a month: requests, billed GB-seconds at the architecture\'s price', () => {
    const estimate = estimateCost(run, { events: million }, DEFAULT_PRICES);
    expect(estimate.unpriced).toEqual([{ pipeline: 'idle', message: 'not invoked in the last run, and no earlier run measured one: nothing to estimate from (upload new objects it takes, then run again)' }]);
    expect(estimate.notes).toEqual([]);
    const [images, totals] = estimate.pipelines;
    // 1,000,000 objects, one an invocation, 100 ms at 1 GB: 100,000 GB-s on arm64.
    expect(images).toMatchObject({ invocations: 1_000_000, billedMs: 100, gbSeconds: 100_000 });
    expect(images!.durationCost).toBeCloseTo(100_000 * 0.0000133334, 10);
    expect(images!.requestCost).toBeCloseTo(0.2, 10);
    // 1,000,000 records in batches of 25: 40,000 invocations of 20.5 ms at 0.5 GB, on x86_64.
    expect(totals).toMatchObject({ eventsPerInvocation: 25, invocations: 40_000, billedMs: 20.5, gbSeconds: 410 });
    expect(totals!.durationCost).toBeCloseTo(410 * 0.0000166667, 10);
    expect(totals!.requestCost).toBeCloseTo(0.008, 10);
  });

  it('takes the free tier off once, from the sum of all pipelines', () => {
    // Both pipelines together fit in the free GB-seconds; only 40,000 requests are over the free million.
    const within = estimateCost(run, { events: million }, DEFAULT_PRICES);
    expect(within.freeTier).toMatchObject({ requests: 1_000_000, gbSeconds: 100_410 });
    expect(within.cost).toBeCloseTo(0.008, 10);
    // 10,000,000 images: 1,000,000 GB-s and 10,000,000 requests, less 400,000 GB-s and 1,000,000 requests.
    const over = estimateCost({ ...run, pipelines: [run.pipelines[0]!] }, { events: () => 10_000_000 }, DEFAULT_PRICES);
    expect(over.cost).toBeCloseTo((1_000_000 - 400_000) * 0.0000133334 + 9 * 0.2, 10);
    // Without a free tier, the sum.
    const none = estimateCost(run, { events: million }, { ...DEFAULT_PRICES, freeTier: { requests: 0, gbSeconds: 0 } });
    expect(none.cost).toBeCloseTo(0.2 + 100_000 * 0.0000133334 + 0.008 + 410 * 0.0000166667, 10);
  });

  it('prices x86_64 higher than arm64 for the same duration and memory', () => {
    const arm = estimateCost(run, { events: million, lambda: () => ({ memorySize: 1024, architecture: 'arm64' }) }, DEFAULT_PRICES);
    const x86 = estimateCost(run, { events: million, lambda: () => ({ memorySize: 1024, architecture: 'x86_64' }) }, DEFAULT_PRICES);
    expect(x86.total.durationCost / arm.total.durationCost).toBeCloseTo(0.0000166667 / 0.0000133334, 10);
  });

  it('prints a table with the prices used and what the figures rest on', () => {
    expect(formatCostTable(estimateCost(run, { events: million }, DEFAULT_PRICES), run, DEFAULT_PRICES)).toBe(
      [
        'Estimated AWS Lambda cost per month, from the durations measured by `sluice run` at 2026-11-29T10:00:02Z',
        'pipeline       events/month  per invocation  invocations  billed ms   memory    arch  GB-seconds  requests  duration    total',
        'images            1,000,000        1 object    1,000,000      100.0  1024 MB   arm64     100,000     $0.20     $1.33    $1.53',
        'totals            1,000,000      25 records       40,000       20.5   512 MB  x86_64         410   $0.0080   $0.0068    $0.01',
        'all pipelines                                  1,040,000                                 100,410     $0.21     $1.34    $1.55',
        'free tier                                     -1,000,000                                -100,410    -$0.20    -$1.34   -$1.54',
        'per month                                                                                                             $0.0080',
        'idle: not invoked in the last run, and no earlier run measured one: nothing to estimate from (upload new objects it takes, then run again)',
        'events: objects for a bucket trigger, stream records for a table trigger, whose batches are taken as full as when measured (--events N, or PIPELINE=N, to change).',
        'billed ms: the mean duration of an invocation that did work (an object processed, a stream batch handled; those that skipped a version already processed, handled a removal or were quarantined are left out), each rounded up to the millisecond as Lambda bills it; GB-seconds: billed time x memory.',
        'free tier: 1,000,000 requests and 400,000 GB-seconds a month, once per account: taken off the sum of the pipelines, not off each.',
        'prices (us-east-1): $0.0000133334 per GB-second on arm64, $0.0000166667 on x86_64, $0.2 per million requests; --prices FILE to change them.',
        'Durations were measured on this machine: Lambda gives a function CPU in proportion to its memory (a whole vCPU at 1,769 MB), so they only approximate its own; cold starts, whose initialization is billed too, are left out.',
      ].join('\n'),
    );
  });
});

describe('prices', () => {
  it('default to us-east-1, and a file may change any of them', () => {
    expect(DEFAULT_PRICES).toEqual({ region: 'us-east-1', requestsPerMillion: 0.2, gbSecond: { arm64: 0.0000133334, x86_64: 0.0000166667 }, freeTier: { requests: 1_000_000, gbSeconds: 400_000 } });
    expect(parsePrices('{"region": "eu-central-1", "gbSecond": {"x86_64": 0.0000166667}}', 'p.json')).toEqual({ ...DEFAULT_PRICES, region: 'eu-central-1' });
    expect(parsePrices('freeTier: { requests: 0, gbSeconds: 0 }\n', 'p.yml').freeTier).toEqual({ requests: 0, gbSeconds: 0 });
  });

  it('report every problem of a prices file as file:line:column', () => {
    const problems = (text: string) => {
      try {
        parsePrices(text, 'prices.yml');
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.map(formatConfigIssue);
        throw error;
      }
      return [];
    };
    expect(problems('gbSecond: { arm64: -1, x86: 0.00002 }\nrequestsPerMilion: 0.3\nfreeTier: { requests: 1.5 }\n')).toEqual([
      'prices.yml:1:20: gbSecond.arm64: expected a number >= 0, found -1 (number)',
      'prices.yml:1:24: gbSecond.x86: unknown key "x86" (did you mean "x86_64"?); expected one of arm64, x86_64',
      'prices.yml:2:1: requestsPerMilion: unknown key "requestsPerMilion" (did you mean "requestsPerMillion"?); expected one of region, requestsPerMillion, gbSecond, freeTier',
      'prices.yml:3:23: freeTier.requests: expected an integer, found 1.5 (number)',
    ]);
    expect(problems('gbSecond: [1\n')[0]).toMatch(/^prices\.yml:\d+:\d+: invalid YAML: /);
  });
});

describe('sluice cost', () => {
  it('asks for a run first, then estimates from what `sluice run` measured', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-cost-'));
    const before = await runSluice(['cost'], cwd);
    expect(before.code).toBe(1);
    expect(before.stderr).toBe('sluice: no measured run in .sluice/runs/last.json: run `sluice run` (or `sluice dev`) first, with the same --data, then `sluice cost`\n');

    await copyFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', 'logo-badge.png'), join(cwd, 'logo.png'));
    const ran = await runSluice(['run', '--pipelines', join(repoRoot, 'pipelines'), '--put', 'uploads/images/=logo.png'], cwd);
    expect(ran.code).toBe(0);
    const record = lastRunSpec.parse(JSON.parse(await readFile(join(cwd, '.sluice', 'runs', 'last.json'), 'utf8')));
    const thumbnails = record.pipelines.find((pipeline) => pipeline.pipeline === 'thumbnails')!;
    expect(thumbnails).toMatchObject({ trigger: 'bucket', unit: 'objects', invocations: 1, itemsIn: 1, lambda: { memorySize: 2176, timeout: 60, architecture: 'arm64' } });
    expect(thumbnails.priced!.durationMs.billed).toBe(Math.ceil(thumbnails.priced!.durationMs.total));

    const cost = await runSluice(['cost', '--events', '2000', '--events', 'thumbnails=2_000_000'], cwd);
    expect(cost.stderr).toBe('');
    expect(cost.code).toBe(0);
    const row = cost.stdout.split('\n').find((line) => line.startsWith('thumbnails '))!.trim().split(/\s{2,}/);
    expect(row.slice(0, 4)).toEqual(['thumbnails', '2,000,000', '1 object', '2,000,000']);
    expect(row.slice(5, 7)).toEqual(['2176 MB', 'arm64']);
    expect(cost.stdout).toContain('\nrevenue: not invoked in the last run, and no earlier run measured one: nothing to estimate from (upload new changes it takes, then run again)\n');
    expect(cost.stdout).toContain('\nprices (us-east-1): $0.0000133334 per GB-second on arm64, $0.0000166667 on x86_64, $0.2 per million requests;');

    await writeFile(join(cwd, 'prices.yml'), 'gbSecond: { arm: 1 }\n');
    const badPrices = await runSluice(['cost', '--prices', 'prices.yml'], cwd);
    expect(badPrices.code).toBe(1);
    expect(badPrices.stderr).toBe('prices.yml:1:13: gbSecond.arm: unknown key "arm" (did you mean "arm64"?); expected one of arm64, x86_64\n1 problem(s) found\n');
    const unknown = await runSluice(['cost', '--events', 'thumbnail=5'], cwd);
    expect(unknown.stderr).toBe('sluice: --events: no pipeline named "thumbnail" in the last run (did you mean "thumbnails"?); pipelines of the last run: orders-ingest, revenue, thumbnails\n');
  }, 60_000);

  it('after a second run that skipped every object, says so and prices from the run that did the work; with no such run, refuses with the reason', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-cost-'));
    for (const name of ['logo-badge.png', 'broken-upload.jpg']) await copyFile(join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', name), join(cwd, name));
    const put = ['run', '--pipelines', join(repoRoot, 'pipelines'), '--put', 'uploads/images/=logo-badge.png', '--put', 'uploads/images/=broken-upload.jpg'];
    expect((await runSluice(put, cwd)).code).toBe(0);
    const first = lastRunSpec.parse(JSON.parse(await readFile(join(cwd, '.sluice', 'runs', 'last.json'), 'utf8')));
    const measured = first.pipelines.find((pipeline) => pipeline.pipeline === 'thumbnails')!;
    // The broken image was quarantined: left out of the price, which rests on the one image processed.
    expect(measured).toMatchObject({ invocations: 2, leftOut: { skipped: 0, quarantined: 1, removed: 0 }, priced: { invocations: 1, itemsIn: 1 } });
    const billed = formatCount(measured.priced!.durationMs.billed, 1);
    const once = await runSluice(['cost'], cwd);
    expect(once.stdout).toContain('\nthumbnails: priced from the 1 invocation that processed an object; left out: 1 quarantined\n');

    // The same files again: the logo is skipped as already processed, the broken image quarantined again.
    expect((await runSluice(put, cwd)).code).toBe(0);
    const cost = await runSluice(['cost'], cwd);
    expect(cost.code).toBe(0);
    const row = cost.stdout.split('\n').find((line) => line.startsWith('thumbnails '))!.trim().split(/\s{2,}/);
    expect(row[4]).toBe(billed);
    const at = first.finishedAt.replace(/\.\d+Z$/, 'Z');
    expect(cost.stdout).toContain(
      `\nthumbnails: its 2 invocations in the last run did no work to price (1 skipped as already processed, 1 quarantined): priced from the 1 invocation that processed an object in the \`sluice run\` that finished at ${at}\n`,
    );
    expect(cost.stdout.split('\n')[0]).toMatch(/, and by earlier runs for the pipelines it did no work for \(below\)$/);

    // Without the first run's record, nothing did work: refused, with the reason per pipeline.
    await writeFile(join(cwd, '.sluice', 'runs', 'last.json'), '');
    expect((await runSluice(put, cwd)).code).toBe(0);
    const refused = await runSluice(['cost'], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      'sluice: nothing to estimate from in .sluice/runs/last.json: orders-ingest: not invoked in the last run, and no earlier run measured one: nothing to estimate from (upload new objects it takes, then run again); ',
    );
    expect(refused.stderr).toContain('thumbnails: its 2 invocations in the last run did no work to price (1 skipped as already processed, 1 quarantined), and no earlier run measured one');
  }, 90_000);
});