import { describe, expect, it } from 'vitest';
import { DedupeKeys } from '../../../handlers/sanitize/dedupe-keys.ts';

describe('dedupe keys', () => {
  it('tell a new key from one seen before, across table growth', () => {
    const keys = new DedupeKeys();
    for (let i = 0; i < 50_000; i++) expect(keys.add(`key-${i}`)).toBe(true);
    for (let i = 0; i < 50_000; i += 7) expect(keys.add(`key-${i}`)).toBe(false);
    expect(keys.add('')).toBe(true);
    expect(keys.add('')).toBe(false);
    expect(keys.size).toBe(50_001);
  });

  it('keep a digest of each key, not the key: about 43 bytes a key at most', () => {
    const keys = new DedupeKeys();
    for (let i = 0; i < 100_000; i++) keys.add(`order-${i}-${'x'.repeat(200)}`);
    const slots = (keys as unknown as { slots: Uint32Array }).slots;
    expect(slots.byteLength / keys.size).toBeLessThanOrEqual(43);
  });
});
