import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { costView } from '../../../shared/workbench/dashboard/cost-view.ts';
import type { LastRun } from '../../../shared/workbench/local/last-run.ts';
import { writeLastRun } from '../../../shared/workbench/local/last-run.ts';

const lambda = { memorySize: 2176, timeout: 60, architecture: 'arm64' as const };
const durationMs = { total: 2800, billed: 2800, min: 300, p50: 500, p90: 700, p99: 700, max: 700 };

const recorded: LastRun = {
  version: 2,
  command: 'run',
  startedAt: '2026-11-29T10:00:00.000Z',
  finishedAt: '2026-11-29T10:00:05.000Z',
  pipelines: [{ pipeline: 'thumbnails', trigger: 'bucket', unit: 'objects', invocations: 5, itemsIn: 5, failedInvocations: 0, leftOut: { skipped: 0, quarantined: 0, removed: 0 }, priced: { invocations: 5, itemsIn: 5, durationMs }, lambda }],
};

describe('the dashboard cost estimate', () => {
  it('prices a pipeline this session only skipped from the last recorded run that did work, and says so', async () => {
    const data = await mkdtemp(join(tmpdir(), 'sluice-cost-view-'));
    writeLastRun(data, recorded);
    // The session: the same five images uploaded again, each skipped as already processed in a few milliseconds.
    const session: LastRun = {
      ...recorded,
      command: 'dev',
      finishedAt: '2026-11-29T11:00:00.000Z',
      pipelines: [{ ...recorded.pipelines[0]!, leftOut: { skipped: 5, quarantined: 0, removed: 0 }, priced: undefined }].map(({ priced: _priced, ...pipeline }) => pipeline),
    };
    const view = costView(session, data, 1_000_000);
    expect(view.measured).toEqual({ command: 'dev', finishedAt: '2026-11-29T11:00:00.000Z', session: true });
    expect(view.pipelines.map((row) => [row.pipeline, row.billedMs])).toEqual([['thumbnails', 560]]);
    expect(view.notes).toEqual([
      { pipeline: 'thumbnails', message: 'its 5 invocations in the last run did no work to price (5 skipped as already processed): priced from the 5 invocations that processed an object in the `sluice run` that finished at 2026-11-29T10:00:05Z' },
    ]);
    expect(view.unpriced).toEqual([]);
  });
});
