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
 * is killed with SIGKILL after a random delay within the length of an uninterrupted run, and
 * started again on the same data folder, as often as it takes to finish. The final buckets and
 * tables must equal an uninterrupted run's: nothing lost, nothing counted twice, every quarantine
 * there. A restart uploads again only if the killed run had not said it finished uploading.
 * Seeded: `CRASH_SEED=<n>` replays a sequence of kills.
 */

const SEED = Number(process.env.CRASH_SEED ?? 20261129);
const KILLS = 24;
const MAX_KILLS_PER_EPISODE = 8;

interface Outcome {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** Runs `sluice run`, killing it with SIGKILL after `killAfterMs` if it is still running. */
function runOnce(args: string[], killAfterMs: number | undefined): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sluiceBin, 'run', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = child.exitCode === null && child.kill('SIGKILL');
          }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

describe('sluice run killed at random points and started again', () => {
  let work: string;
  let putArgs: string[];
  let reference: Awaited<ReturnType<typeof captureState>>;
  let uninterruptedMs: number;
  const folders: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'sluice-crash-work-'));
    putArgs = await writeWorkload(work, SEED);
    const dataDir = join(work, 'reference');
    const started = performance.now();
    const run = await runOnce(['--data', dataDir, '--pipelines', pipelinesDir, ...putArgs], undefined);
    uninterruptedMs = performance.now() - started;
    expect(run.code, run.stderr).toBe(0);
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
    const killedAt: number[] = [];
    while (kills < KILLS) {
      // Each episode starts from an empty data folder, so kills land in every phase of the work.
      const dataDir = await mkdtemp(join(tmpdir(), 'sluice-crash-'));
      folders.push(dataDir);
      episodes++;
      let uploaded = false;
      let finished: Outcome | undefined;
      for (let attempt = 0; !finished; attempt++) {
        const args = ['--data', dataDir, '--pipelines', pipelinesDir, ...(uploaded ? [] : putArgs)];
        const delay = attempt < MAX_KILLS_PER_EPISODE ? Math.round(random() * uninterruptedMs) : undefined;
        const outcome = await runOnce(args, delay);
        if (/^uploaded \d+ object\(s\)$/m.test(outcome.stdout)) uploaded = true;
        if (outcome.killed) {
          kills++;
          killedAt.push(delay!);
        } else finished = outcome;
      }
      expect(finished.code, `episode ${episodes} (seed ${SEED}), last run:\n${finished.stdout}\n${finished.stderr}`).toBe(0);
      const state = await captureState(dataDir);
      expect(state, `episode ${episodes} (seed ${SEED}), kills after ${killedAt.join(', ')} ms`).toEqual(reference);
    }
    expect(kills).toBeGreaterThanOrEqual(KILLS);
  }, 240_000);
});
