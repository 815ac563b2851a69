/**
 * One writer at a time per table with a stream: a write's old image is read, the write made and
 * its new image read with nothing else in between, so the records say exactly what it changed,
 * in the order the changes were made.
 */
export class TableLocks {
  private readonly tails = new Map<string, Promise<void>>();

  private async acquire(table: string): Promise<() => void> {
    const previous = this.tails.get(table) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.tails.set(table, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(table) === tail) this.tails.delete(table);
    };
  }

  /** Runs `work` holding the locks of `tables`, taken in name order so that two multi-table writes cannot wait on each other. */
  async withTables<T>(tables: Iterable<string>, work: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const table of [...new Set(tables)].sort()) releases.push(await this.acquire(table));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }
}
