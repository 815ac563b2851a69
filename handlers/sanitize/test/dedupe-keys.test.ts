import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DedupeKeys } from '../dedupe-keys.ts';
import { seededRandom } from '../../../test/support/seeded-random.ts';

describe('dedupe keys', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'sluice-dedupe-test-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('tell a new key from one seen before, across table growth', () => {
    const keys = new DedupeKeys({ directory });
    for (let i = 0; i < 50_000; i++) expect(keys.add(`key-${i}`)).toBe(true);
    for (let i = 0; i < 50_000; i += 7) expect(keys.add(`key-${i}`)).toBe(false);
    expect(keys.add('')).toBe(true);
    expect(keys.add('')).toBe(false);
    expect(keys.size).toBe(50_001);
    expect(keys.runCount).toBe(0);
    keys.close();
  });

  it('keep a digest of each key, not the key, in a table that stops growing at its bound', () => {
    const keys = new DedupeKeys({ directory, memorySlots: 1 << 14 });
    for (let i = 0; i < 100_000; i++) keys.add(`order-${i}-${'x'.repeat(200)}`);
    const slots = (keys as unknown as { slots: Uint32Array }).slots;
    expect(slots.byteLength).toBe((1 << 14) * 16);
    expect(keys.size).toBe(100_000);
    expect(keys.runCount).toBeGreaterThan(5);
    keys.close();
  });

  it('agree with an exact set when most keys have gone to disk: seeded keys, a third of them repeated at any distance', () => {
    const random = seededRandom(5);
    const keys = new DedupeKeys({ directory, memorySlots: 1024 });
    const seen = new Set<string>();
    const added: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const repeat = added.length > 0 && random() < 0.33;
      const key = repeat ? added[Math.floor(random() * added.length)]! : `k${Math.floor(random() * 1e12)}`;
      const fresh = !seen.has(key);
      seen.add(key);
      if (fresh) added.push(key);
      expect(keys.add(key), key).toBe(fresh);
    }
    expect(keys.size).toBe(seen.size);
    expect(keys.runCount).toBeGreaterThan(40);
    keys.close();
  });

  it('leave no file behind, once closed', async () => {
    const keys = new DedupeKeys({ directory, memorySlots: 1024 });
    for (let i = 0; i < 10_000; i++) keys.add(`key-${i}`);
    expect(keys.runCount).toBeGreaterThan(0);
    // Linux lets an open file go: a killed process leaves nothing either.
    if (process.platform === 'linux') expect(await readdir(directory)).toEqual([]);
    keys.close();
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuse a table size that is not a power of two', () => {
    expect(() => new DedupeKeys({ memorySlots: 3000 })).toThrow(/power of two/);
  });
});
