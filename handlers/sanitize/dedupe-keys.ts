import { hash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { SortedDigestRun, compareDigests } from './digest-run.ts';
import type { Digest } from './digest-run.ts';

const WORDS = 4;
const INITIAL_SLOTS = 1024;
/** Digests held in memory before they go to disk: 2^20 slots of 16 bytes, 16 MB at most. */
export const DEFAULT_MEMORY_SLOTS = 1 << 20;

export interface DedupeKeysOptions {
  /** Slots of the in-memory table (a power of two, at least 1024): it spills at three quarters full. */
  memorySlots?: number;
  /** Where spilled digests go: Lambda's /tmp, the system's temporary folder locally. */
  directory?: string;
}

/**
 * The dedupe keys seen in one file, as the first 128 bits of each key's SHA-256 digest: no key is
 * kept, only its digest. Two different keys share 128 bits of digest with a probability of about
 * n² / 2^129 (below 10^-24 for ten million keys), so a row is never dropped as a duplicate it is
 * not, in practice.
 *
 * Memory is bounded whatever the file's size: the newest digests sit in an open-addressing table
 * of at most `memorySlots` slots (16 MB by default); when it is three quarters full its digests are
 * written, sorted, to a temporary file, and only a Bloom filter (10 bits a digest) and a sparse index
 * of that run stay in memory. A key is looked up in the table, then in each run whose filter may
 * hold it, by one read of one 4 KB block. A file of ten million distinct keys keeps about 30 MB
 * in memory and 160 MB on disk; `close()` removes the files.
 */
export class DedupeKeys {
  private readonly maxSlots: number;
  private readonly directory: string;
  private slots: Uint32Array;
  private capacity: number;
  /** `slot = a >>> shift`: the table is ordered by its digests' first word, nearly sorted as it stands. */
  private shift: number;
  private count = 0;
  private spilled = 0;
  private readonly runs: SortedDigestRun[] = [];
  private readonly probe: Digest = new Uint32Array(WORDS);

  constructor(options: DedupeKeysOptions = {}) {
    this.maxSlots = options.memorySlots ?? DEFAULT_MEMORY_SLOTS;
    if (this.maxSlots < INITIAL_SLOTS || (this.maxSlots & (this.maxSlots - 1)) !== 0) throw new Error(`memorySlots must be a power of two of at least ${INITIAL_SLOTS}`);
    this.directory = options.directory ?? tmpdir();
    this.capacity = INITIAL_SLOTS;
    this.shift = 32 - Math.log2(INITIAL_SLOTS);
    this.slots = new Uint32Array(INITIAL_SLOTS * WORDS);
  }

  /** True the first time a key is added, false for a duplicate. */
  add(key: string): boolean {
    // The one-shot hash (Node 20.12+) is about four times faster than createHash for short keys;
    // 'binary' gives one character per byte, read into words without parsing text.
    const digest = hash('sha256', key, 'binary');
    const probe = this.probe;
    for (let word = 0; word < WORDS; word++) {
      const at = word * 4;
      probe[word] = ((digest.charCodeAt(at) << 24) | (digest.charCodeAt(at + 1) << 16) | (digest.charCodeAt(at + 2) << 8) | digest.charCodeAt(at + 3)) >>> 0;
    }
    // A slot whose last word is 0 is empty, so no digest may end in 0 there.
    probe[3] = (probe[3]! | 1) >>> 0;
    if (this.inTable(probe)) return false;
    for (const run of this.runs) if (run.has(probe)) return false;
    this.insert(this.slots, this.capacity, this.shift, probe[0]!, probe[1]!, probe[2]!, probe[3]!);
    this.count++;
    if (this.count * 4 > this.capacity * 3) {
      if (this.capacity < this.maxSlots) this.grow();
      else this.spill();
    }
    return true;
  }

  /** Distinct keys added. */
  get size(): number {
    return this.count + this.spilled;
  }

  /** Runs written to disk so far. */
  get runCount(): number {
    return this.runs.length;
  }

  /** Removes the spilled runs' files. The set must not be used after. */
  close(): void {
    for (const run of this.runs.splice(0)) run.close();
  }

  private inTable(digest: Digest): boolean {
    const { slots, capacity } = this;
    const a = digest[0]!;
    const b = digest[1]!;
    const c = digest[2]!;
    const d = digest[3]!;
    let slot = a >>> this.shift;
    for (;;) {
      const at = slot * WORDS;
      if (slots[at + 3] === 0) return false;
      if (slots[at] === a && slots[at + 1] === b && slots[at + 2] === c && slots[at + 3] === d) return true;
      slot = (slot + 1) & (capacity - 1);
    }
  }

  /** Puts a digest known to be absent in its slot (linear probing). */
  private insert(slots: Uint32Array, capacity: number, shift: number, a: number, b: number, c: number, d: number): void {
    let slot = a >>> shift;
    while (slots[slot * WORDS + 3] !== 0) slot = (slot + 1) & (capacity - 1);
    const at = slot * WORDS;
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = c;
    slots[at + 3] = d;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = this.capacity * 2;
    const shift = this.shift - 1;
    const slots = new Uint32Array(capacity * WORDS);
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at + 3] !== 0) this.insert(slots, capacity, shift, old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!);
    }
    this.slots = slots;
    this.capacity = capacity;
    this.shift = shift;
  }

  /** Sorts the table's digests in place, writes them as a run, and empties the table. */
  private spill(): void {
    const { slots } = this;
    let filled = 0;
    for (let at = 0; at < slots.length; at += WORDS) {
      if (slots[at + 3] === 0) continue;
      const to = filled * WORDS;
      if (to !== at) slots.copyWithin(to, at, at + WORDS);
      filled++;
    }
    const sorted = slots.subarray(0, filled * WORDS);
    insertionSort(sorted);
    this.runs.push(SortedDigestRun.write(sorted, this.directory));
    slots.fill(0);
    this.spilled += filled;
    this.count = 0;
  }
}

/**
 * Sorts digests in place. The table is ordered by each digest's home slot but for the short runs
 * linear probing displaces and the few that wrap past its end, so insertion sort does close to
 * one comparison a digest.
 */
function insertionSort(words: Uint32Array): void {
  const held = new Uint32Array(WORDS);
  for (let i = WORDS; i < words.length; i += WORDS) {
    if (compareDigests(words, i - WORDS, words, i) <= 0) continue;
    held.set(words.subarray(i, i + WORDS));
    let j = i - WORDS;
    while (j >= 0 && compareDigests(words, j, held) > 0) j -= WORDS;
    words.copyWithin(j + 2 * WORDS, j + WORDS, i);
    words.set(held, j + WORDS);
  }
}
