import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where each stream-triggered pipeline has got to in each shard: the sequence number of the last
 * record it acknowledged. Written (atomically, by rename) after every batch, so a restart resumes
 * after the last acknowledged record and delivers again only what was not.
 */
export class CheckpointStore {
  private readonly positions: Record<string, string>;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
    this.positions = CheckpointStore.read(file);
  }

  private static read(file: string): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return {};
    }
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: expected a mapping of checkpoints`);
    return parsed as Record<string, string>;
  }

  static key(pipeline: string, streamArn: string, shardId: string): string {
    return `${pipeline} ${streamArn} ${shardId}`;
  }

  /** The last acknowledged sequence number; `undefined` for a new mapping, `''` when it starts before the first record. */
  get(key: string): string | undefined {
    return this.positions[key];
  }

  set(key: string, sequenceNumber: string): void {
    if (this.positions[key] === sequenceNumber) return;
    this.positions[key] = sequenceNumber;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.positions, null, 2)}\n`);
    renameSync(temporary, this.file);
  }
}
