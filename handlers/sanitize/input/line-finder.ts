const LF = 0x0a;

function countLineFeeds(bytes: Buffer, end: number): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1 && at < end; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * The line of a byte offset in a text read chunk by chunk, for error messages. It keeps the last
 * two chunks (references, not copies) and the count of lines before them: a parser reports a
 * position in the chunk it is reading, or at worst in the one before.
 */
export class LineFinder {
  private previous: { bytes: Buffer; offset: number; linesBefore: number } | undefined;
  private current: { bytes: Buffer; offset: number; linesBefore: number } | undefined;
  private end = 0;
  private lines = 0;

  add(bytes: Buffer): void {
    if (this.current) this.lines += countLineFeeds(this.current.bytes, this.current.bytes.length);
    this.previous = this.current;
    this.current = { bytes, offset: this.end, linesBefore: this.lines };
    this.end += bytes.length;
  }

  /** The 1-based line of `offset`, or undefined when it is further back than the chunks kept. */
  lineAt(offset: number): number | undefined {
    for (const chunk of [this.current, this.previous]) {
      if (chunk && offset >= chunk.offset) return chunk.linesBefore + countLineFeeds(chunk.bytes, offset - chunk.offset) + 1;
    }
    return undefined;
  }

  /** Where `offset` is, for a message: `line 3 (byte 57)`. */
  describe(offset: number): string {
    const line = this.lineAt(offset);
    return line === undefined ? `byte ${offset}` : `line ${line} (byte ${offset})`;
  }
}
