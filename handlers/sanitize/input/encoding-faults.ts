/**
 * Bytes that are not valid text in the declared encoding. The decoder replaces each with U+FFFD so
 * the parsers can go on, and records it here; the reader then rejects the record it falls in,
 * naming the byte, rather than passing the replacement character on as if it had been written.
 */
export interface EncodingFault {
  /** Where the replacement character is in the UTF-8 text the parsers read. */
  offset: number;
  /** Where the bad bytes are in the object, counted from its first byte (a byte-order mark included). */
  sourceOffset: number;
  encoding: 'UTF-8' | 'UTF-16';
  /** What is wrong there: `byte 0xE9`, `unpaired surrogate 0xD800`. */
  detail: string;
}

/** `0xE9`, `0xD800`: how bytes and code units are named in messages. */
export const hex = (unit: number, digits: number) => `0x${unit.toString(16).toUpperCase().padStart(digits, '0')}`;

/** The faults found so far, in text order, until a reader takes them for the record they are in. */
export class EncodingFaults {
  private readonly queue: EncodingFault[] = [];
  private head = 0;

  add(fault: EncodingFault): void {
    this.queue.push(fault);
  }

  /** Whether any fault is waiting: false for almost every file, so readers check this first. */
  get pending(): boolean {
    return this.head < this.queue.length;
  }

  /**
   * The problem for the faults before `end` (a text offset: where the record ends), which are
   * taken off the queue; undefined when there are none. One problem per record, naming the first
   * bad byte: a Latin-1 row read as UTF-8 has one per accented letter.
   */
  takeBefore(end: number): string | undefined {
    const start = this.head;
    while (this.head < this.queue.length && this.queue[this.head]!.offset < end) this.head++;
    const taken = this.head - start;
    if (taken === 0) return undefined;
    const first = this.queue[start]!;
    // Drop what was taken, so a file with a fault in every row keeps a short queue.
    if (this.head === this.queue.length || this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    const more = taken > 1 ? ` (and ${taken - 1} more)` : '';
    const hint = first.encoding === 'UTF-8' ? '; if the file is Latin-1 or Windows-1252, set encoding: latin1' : '';
    return `not valid ${first.encoding}: ${first.detail} at offset ${first.sourceOffset}${more}${hint}`;
  }
}
