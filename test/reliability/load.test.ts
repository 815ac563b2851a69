import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry } from '../../shared/engine/registry.ts';
import { builtInHandlers } from '../../shared/workbench/project/built-in-handlers.ts';
import type { HandlerDefinition, ObjectItem, Step } from '../../shared/contract/handler.ts';
import type { LocalRuntime } from '../../shared/workbench/local/local-runtime.ts';
import { startLocalRuntime } from '../../shared/workbench/local/local-runtime.ts';
import { createSilentLogger } from '../../shared/contract/logger.ts';
import { listKeys } from '../support/s3-read.ts';

/**
 * Load, kept small enough for the suite (the 1,000-image run and its peak memory are in
 * `npm run bench`, bench/load.bench.ts): objects uploaded all at once through the embedded S3
 * endpoint are every one processed, and no more invocations run at once than the limit allows.
 */

const OBJECTS = 300;
const LIMIT = 3;

/** A step that counts how many invocations are inside it at once, and copies its object through. */
function probeHandler(gauge: { running: number; peak: number }): HandlerDefinition {
  const createStep = (): Step<ObjectItem, ObjectItem> =>
    async function* probe(items) {
      gauge.running++;
      gauge.peak = Math.max(gauge.peak, gauge.running);
      try {
        for await (const item of items) {
          await sleep(2); // long enough for invocations to overlap when the limit lets them
          yield { kind: 'object', body: item.body, contentType: 'text/plain' };
        }
      } finally {
        gauge.running--;
      }
    };
  return { name: 'probe', description: 'counts concurrent invocations', spec: z.object({}).strict(), accepts: ['object'], emits: 'object', createStep } as unknown as HandlerDefinition;
}

describe(`${OBJECTS} objects uploaded at once`, () => {
  let dir: string;
  let runtime: LocalRuntime;
  const gauge = { running: 0, peak: 0 };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-load-'));
    await writeFile(join(dir, 'resources.yml'), 'buckets: { uploads: {}, copies: {}, quarantine: {} }\n');
    await writeFile(join(dir, 'probe.yml'), 'name: probe\non: { bucket: uploads, prefix: load/ }\nsteps: [{ probe: {} }]\nto: { bucket: copies }\nonError: { quarantine: { bucket: quarantine } }\n');
    const registry = createRegistry([...builtInHandlers.values(), probeHandler(gauge)]);
    runtime = await startLocalRuntime({ dataDir: join(dir, 'data'), pipelinesDir: dir, logger: createSilentLogger(), registry, concurrency: LIMIT });
  });
  afterEach(async () => {
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`are all processed, with at most ${LIMIT} invocations running at once (the --concurrency limit)`, async () => {
    const keys = Array.from({ length: OBJECTS }, (_, i) => `load/${String(i).padStart(4, '0')}.txt`);
    await Promise.all(keys.map((key) => runtime.s3.client.send(new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: key }))));
    await runtime.idle();
    const stats = runtime.stats.all().find((entry) => entry.pipeline === 'probe')!;
    expect(stats.processed).toBe(OBJECTS);
    expect(stats.quarantined).toBe(0);
    expect(await listKeys(runtime.s3.client, 'copies')).toEqual(keys);
    expect(gauge.peak).toBeLessThanOrEqual(LIMIT);
    expect(gauge.peak).toBe(LIMIT); // the burst did fill every slot: the limit, not a lack of work, held it
    expect(gauge.running).toBe(0);
  });
});
