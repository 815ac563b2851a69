import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sluiceBin } from '../support/cli.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { captureState, env, pipelinesDir, writeWorkload } from './workload.ts';

/**
 * The crash test: the shipped pipelines' workload (images to resize and to quarantine, CSVs with
 * bad rows, the revenue aggregation fed by the orders table's stream) is run by `sluice run`, which
 * is killed with SIGKILL after a random delay within the length of an uninterrupted run (from its
 * start, or from the end of its uploads, when their events are waiting to be processed), and
 * started again on the same data folder, as often as it takes to finish. The final buckets and
 * tables must equal an uninterrupted run's: nothing lost, nothing counted twice, every quarantine
 * there. A restart uploads again only if the killed run had not said it finished uploading.
 * Seeded: `CRASH_SEED=<n>` replays a sequence of kills.
 */

const SEED = Number(process.env.CRASH_SEED ?? 20261129);
const KILLS = 22;
const MAX_KILLS_PER_EPISODE = 8;

const UPLOADED = /^uploaded \d+ object\(s\)$/m;

interface Outcome {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
  /** Milliseconds from the start to the line saying the uploads are done, if it came. */
  uploadedAtMs?: number;
}

/** When to kill: `afterMs` from the start, or `afterUploadMs` after the run says its uploads are done (the moment events are pending). */
type KillPoint = { afterMs: number } | { afterUploadMs: number };

/** Runs `sluice run`, killing it with SIGKILL at `kill` if it is still running then. */
function runOnce(args: string[], kill: KillPoint | undefined): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [sluiceBin, 'run', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let uploadedAtMs: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const killIn = (ms: number) => {
      timer = setTimeout(() => {
        killed = child.exitCode === null && child.kill('SIGKILL');
      }, ms);
    };
    if (kill && 'afterMs' in kill) killIn(kill.afterMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (uploadedAtMs !== undefined || !UPLOADED.test(stdout)) return;
      uploadedAtMs = performance.now() - started;
      if (kill && 'afterUploadMs' in kill) killIn(kill.afterUploadMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr, ...(uploadedAtMs !== undefined ? { uploadedAtMs } : {}) });
    });
  });
}

describe('sluice run killed at random points and started again', () => {
  let work: string;
  let putArgs: string[];
  let reference: Awaited<ReturnType<typeof captureState>>;
  let uninterruptedMs: number;
  /** How long the uninterrupted run took from the end of its uploads to its exit: the window in which events are pending. */
  let processingMs: number;
  const folders: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'sluice-crash-work-'));
    putArgs = await writeWorkload(work, SEED);
    const dataDir = join(work, 'reference');
    const started = performance.now();
    const run = await runOnce(['--data', dataDir, '--pipelines', pipelinesDir, ...putArgs], undefined);
    uninterruptedMs = performance.now() - started;
    expect(run.code, run.stderr).toBe(0);
    processingMs = uninterruptedMs - run.uploadedAtMs!;
    reference = await captureState(dataDir);
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('the reference run processed, rejected and quarantined some of everything', () => {
    const keys = Object.keys(reference.objects);
    expect(keys.filter((key) => key.startsWith('media/')).length).toBeGreaterThanOrEqual(15);
    expect(keys.filter((key) => key.endsWith('.error.json')).length).toBeGreaterThanOrEqual(3);
    expect(keys.filter((key) => key.endsWith('.rejected.ndjson')).length).toBe(5);
    expect(reference.tables.orders!.length).toBeGreaterThan(100);
    expect(reference.tables.revenue!.length).toBeGreaterThan(10);
  });

  it(`after ${KILLS} kills, the buckets and tables equal those of the uninterrupted run`, async () => {
    const random = seededRandom(SEED);
    let kills = 0;
    let episodes = 0;
    while (kills < KILLS) {
      // Each episode starts from an empty data folder, so kills land in every phase of the work.
      const dataDir = await mkdtemp(join(tmpdir(), 'sluice-crash-'));
      folders.push(dataDir);
      episodes++;
      let uploaded = false;
      const killedAt: string[] = [];
      let finished: Outcome | undefined;
      for (let attempt = 0; !finished; attempt++) {
        const args = ['--data', dataDir, '--pipelines', pipelinesDir, ...(uploaded ? [] : putArgs)];
        // Half the kills of a run that uploads land after its uploads, while their events are pending.
        const afterUpload = !uploaded && random() < 0.5;
        const delay = Math.round(random() * (afterUpload ? processingMs : uninterruptedMs));
        const point: KillPoint | undefined = attempt >= MAX_KILLS_PER_EPISODE ? undefined : afterUpload ? { afterUploadMs: delay } : { afterMs: delay };
        const outcome = await runOnce(args, point);
        if (outcome.uploadedAtMs !== undefined) uploaded = true;
        if (outcome.killed) {
          kills++;
          killedAt.push(afterUpload ? `upload+${delay}` : String(delay));
        } else finished = outcome;
      }
      expect(finished.code, `episode ${episodes} (seed ${SEED}), last run:\n${finished.stdout}\n${finished.stderr}`).toBe(0);
      const state = await captureState(dataDir);
      expect(state, `episode ${episodes} (seed ${SEED}), kills at ${killedAt.join(', ')} ms`).toEqual(reference);
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
  }, 240_000);
});
