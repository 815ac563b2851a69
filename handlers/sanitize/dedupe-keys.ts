import { hash } from 'node:crypto';

const WORDS = 4;
const INITIAL_SLOTS = 1024;

/**
 * The dedupe keys seen in one file, as the first 128 bits of each key's SHA-256 digest in an
 * open-addressing table of 32-bit words: 16 bytes a slot, 21 to 43 bytes a key as the table fills
 * and doubles (a Set of digest strings took 85). Memory grows with the distinct keys of one file,
 * not with their length, and no key is kept: only its digest. Two different keys share 128 bits of
 * digest with a probability of about n² / 2^129 (below 10^-24 for ten million keys), so a row is
 * never dropped as a duplicate it is not, in practice.
 */
export class DedupeKeys {
  private slots = new Uint32Array(INITIAL_SLOTS * WORDS);
  private capacity = INITIAL_SLOTS;
  private count = 0;

  /** True the first time a key is added, false for a duplicate. */
  add(key: string): boolean {
    // The one-shot hash (Node 20.12+) is about four times faster than createHash for short keys;
    // 'binary' gives one character per byte, read into words without parsing text.
    const digest = hash('sha256', key, 'binary');
    const word = (at: number) => ((digest.charCodeAt(at) << 24) | (digest.charCodeAt(at + 1) << 16) | (digest.charCodeAt(at + 2) << 8) | digest.charCodeAt(at + 3)) >>> 0;
    const a = word(0);
    const b = word(4);
    const c = word(8);
    // A slot whose last word is 0 is empty, so no digest may end in 0 there.
    const d = (word(12) | 1) >>> 0;
    if (!this.insert(this.slots, this.capacity, a, b, c, d)) return false;
    this.count++;
    if (this.count * 4 > this.capacity * 3) this.grow();
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** Puts the digest in its slot (linear probing); false when it is already there. */
  private insert(slots: Uint32Array, capacity: number, a: number, b: number, c: number, d: number): boolean {
    let slot = a & (capacity - 1);
    for (;;) {
      const at = slot * WORDS;
      if (slots[at + 3] === 0) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = c;
        slots[at + 3] = d;
        return true;
      }
      if (slots[at] === a && slots[at + 1] === b && slots[at + 2] === c && slots[at + 3] === d) return false;
      slot = (slot + 1) & (capacity - 1);
    }
  }

  private grow(): void {
    const old = this.slots;
    const capacity = this.capacity * 2;
    const slots = new Uint32Array(capacity * WORDS);
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at + 3] !== 0) this.insert(slots, capacity, old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!);
    }
    this.slots = slots;
    this.capacity = capacity;
  }
}
