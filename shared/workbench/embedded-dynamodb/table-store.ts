import { closeSync, existsSync, fsyncSync, openSync, readSync, readdirSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SluiceError } from '../../contract/errors.ts';

/**
 * Where dynalite keeps the tables, in place of LevelDB: an ordered store in memory (memory-level,
 * dynalite's own in-memory engine) made durable by an append-only log on disk,
 * `<dataDir>/dynamodb/tables.ndjson`. Each write dynalite makes (a put, a delete, a batch) is
 * appended as one line before dynalite answers, so an acknowledged write survives the process
 * being killed; a start replays the log, and rewrites it whole when most of it is overwritten.
 *
 * Why not LevelDB: the LevelDB that dynalite's `level` runs on (classic-level's bundled 1.20)
 * has a compaction bug (fixed upstream in 1.21) that, while snapshots are held, can move the
 * newest versions of a key one level down and leave older ones above them, so that a read
 * answers an older version of an item than the last one written. Every scan or query page holds
 * a snapshot. dynalite's conditional writes and updates check and build on what that read
 * answers, so concurrent readers made acknowledged writes disappear.
 */

/** What the store needs of an abstract-level database with JSON values (dynalite's). */
export interface LevelDatabase {
  open(): Promise<void>;
  batch(operations: { type: 'put' | 'del'; key: string; value?: unknown }[]): Promise<void> | undefined;
  iterator(options: { keyEncoding: 'utf8'; valueEncoding: 'utf8' }): LevelIterator<[string, string]>;
  on(event: 'write', listener: (operations: readonly WriteOperation[]) => void): void;
}

export interface LevelIterator<T> {
  next(): Promise<T | undefined>;
  close(): Promise<void>;
}

/** One operation of abstract-level's `write` event. */
export interface WriteOperation {
  type: 'put' | 'del';
  key: unknown;
  value?: unknown;
  encodedValue?: unknown;
}

export const TABLE_LOG = 'tables.ndjson';
/** By default the log is rewritten once it is both this big and `REWRITE_RATIO` times what it holds. */
const REWRITE_MIN_BYTES = 64 * 1024 * 1024;
const REWRITE_RATIO = 4;

export interface TableStoreOptions {
  /** The size under which the log is never rewritten. Default 64 MiB. */
  rewriteMinBytes?: number;
}
/** Entries per line when the log is rewritten. */
const ENTRIES_PER_LINE = 500;
const READ_CHUNK = 8 * 1024 * 1024;
/** The files of a LevelDB database, as an earlier Sluice kept the tables. */
const LEVELDB_FILE = /^(CURRENT|LOCK|LOG|LOG\.old|MANIFEST-\d+|\d+\.(ldb|log|sst))$/;

function writeAll(fd: number, text: string): number {
  const data = Buffer.from(text);
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written);
  return data.length;
}

/**
 * The complete lines of `file`, read in chunks (a log can be larger than a string may be). A last
 * line without its newline was cut short by a killed process and never acknowledged: once the
 * lines are read, it is cut off. `end.size` is then the file's size.
 */
function* logLines(file: string, end: { size: number }): Generator<string> {
  const fd = openSync(file, 'r');
  let rest = Buffer.alloc(0);
  let offset = 0;
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    for (let read = readSync(fd, chunk, 0, READ_CHUNK, offset); read > 0; read = readSync(fd, chunk, 0, READ_CHUNK, offset)) {
      offset += read;
      const data = rest.length ? Buffer.concat([rest, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let start = 0;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
        yield data.toString('utf8', start, newline);
        start = newline + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
  if (rest.length) truncateSync(file, offset - rest.length);
  end.size = offset - rest.length;
}

const valueText = (operation: WriteOperation): string => {
  const encoded = operation.encodedValue;
  if (Buffer.isBuffer(encoded) || encoded instanceof Uint8Array) return Buffer.from(encoded).toString('utf8');
  if (typeof encoded === 'string') return encoded;
  return JSON.stringify(operation.value);
};

/** The durable log of dynalite's database; `attach` it to the database before dynalite answers anything. */
export class TableStore {
  readonly file: string;
  private readonly directory: string;
  private fd: number | undefined;
  private logBytes = 0;
  /** Bytes each key and its value take in the log, to know when rewriting it is worth it. */
  private readonly sizes = new Map<string, number>();
  private liveBytes = 0;
  private db: LevelDatabase | undefined;
  /** While the log is being rewritten: the lines written meanwhile, to add to the new one. */
  private rewriting: string[] | undefined;
  private rewrite: Promise<void> | undefined;
  private readonly rewriteMinBytes: number;

  private constructor(directory: string, options: TableStoreOptions) {
    this.directory = directory;
    this.file = join(directory, TABLE_LOG);
    this.rewriteMinBytes = options.rewriteMinBytes ?? REWRITE_MIN_BYTES;
  }

  /** Opens the store kept in `directory`, taking over a LevelDB database an earlier Sluice left there. */
  static async open(directory: string, options: TableStoreOptions = {}): Promise<TableStore> {
    const store = new TableStore(directory, options);
    rmSync(`${store.file}.tmp`, { force: true });
    if (existsSync(join(directory, 'CURRENT'))) {
      if (!existsSync(store.file)) await store.importLevelDB();
      // Imported (now, or by a start that stopped before it could remove them).
      for (const name of readdirSync(directory)) if (LEVELDB_FILE.test(name)) rmSync(join(directory, name), { force: true });
    }
    return store;
  }

  /**
   * Reads the tables of a LevelDB database into a new log. Its
   * iterator merges every level by sequence number, so it reads the newest version of each item
   * even where the compaction bug would have made a single read answer an older one.
   */
  private async importLevelDB(): Promise<void> {
    const { ClassicLevel } = await import('classic-level');
    const level = new ClassicLevel<string, string>(this.directory, { keyEncoding: 'utf8', valueEncoding: 'utf8', createIfMissing: false });
    const temporary = `${this.file}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      let line: string[] = [];
      for await (const [key, value] of level.iterator()) {
        line.push(`[${JSON.stringify(key)},${value}]`);
        if (line.length >= ENTRIES_PER_LINE) {
          writeAll(fd, `[${line.join(',')}]\n`);
          line = [];
        }
      }
      if (line.length) writeAll(fd, `[${line.join(',')}]\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      await level.close();
    }
    renameSync(temporary, this.file);
  }

  /**
   * Loads the log into `db` (a new, empty database), then logs every write made to it from now
   * on. Resolves once the database holds what the log does.
   */
  async attach(db: LevelDatabase): Promise<void> {
    await db.open();
    if (existsSync(this.file)) {
      const end = { size: 0 };
      let operations: { type: 'put' | 'del'; key: string; value?: unknown }[] = [];
      let number = 0;
      for (const line of logLines(this.file, end)) {
        number++;
        let entries: [string, unknown?][];
        try {
          entries = JSON.parse(line) as [string, unknown?][];
        } catch (error) {
          throw new SluiceError('TABLE_STORE_CORRUPT', `${this.file}:${number}: not a table store entry (${(error as Error).message})`, { cause: error, permanent: true });
        }
        for (const entry of entries) {
          const [key] = entry;
          const deleted = entry.length < 2;
          operations.push(deleted ? { type: 'del', key } : { type: 'put', key, value: entry[1] });
          this.resize(key, deleted ? 0 : key.length + JSON.stringify(entry[1]).length);
        }
        // In order, a batch at a time: a later entry of a key replaces an earlier one.
        if (operations.length >= 10_000) {
          await db.batch(operations);
          operations = [];
        }
      }
      if (operations.length) await db.batch(operations);
      this.logBytes = end.size;
    }
    this.fd = openSync(this.file, 'a');
    this.db = db;
    db.on('write', (written) => this.append(written));
    if (this.worthRewriting()) await this.startRewrite();
  }

  private resize(key: string, bytes: number): void {
    this.liveBytes += bytes - (this.sizes.get(key) ?? 0);
    if (bytes) this.sizes.set(key, bytes);
    else this.sizes.delete(key);
  }

  private worthRewriting(): boolean {
    return this.logBytes > this.rewriteMinBytes && this.logBytes > REWRITE_RATIO * this.liveBytes;
  }

  /** Logs one write, before dynalite answers it (abstract-level emits `write` before its promise resolves). */
  private append(written: readonly WriteOperation[]): void {
    if (this.fd === undefined) throw new SluiceError('TABLE_STORE_CLOSED', `the table store ${this.file} is closed`);
    const parts = written.map((operation) => {
      const key = String(operation.key);
      if (operation.type === 'del') {
        this.resize(key, 0);
        return `[${JSON.stringify(key)}]`;
      }
      const value = valueText(operation);
      this.resize(key, key.length + value.length);
      return `[${JSON.stringify(key)},${value}]`;
    });
    const line = `[${parts.join(',')}]\n`;
    this.logBytes += writeAll(this.fd, line);
    this.rewriting?.push(line);
    if (!this.rewrite && this.worthRewriting()) void this.startRewrite();
  }

  /**
   * Rewrites the log as what the database holds: a snapshot of it written beside the log, the
   * lines logged meanwhile added, then renamed over the log. A crash leaves the old log whole.
   */
  private startRewrite(): Promise<void> {
    this.rewrite ??= (async () => {
      const db = this.db!;
      const temporary = `${this.file}.tmp`;
      // The iterator reads the database as it is now; writes from here on are kept aside.
      const iterator = db.iterator({ keyEncoding: 'utf8', valueEncoding: 'utf8' });
      this.rewriting = [];
      let fd: number | undefined = openSync(temporary, 'w');
      let bytes = 0;
      try {
        let line: string[] = [];
        for (let entry = await iterator.next(); entry !== undefined; entry = await iterator.next()) {
          line.push(`[${JSON.stringify(entry[0])},${entry[1]}]`);
          if (line.length >= ENTRIES_PER_LINE) {
            bytes += writeAll(fd, `[${line.join(',')}]\n`);
            line = [];
          }
        }
        if (line.length) bytes += writeAll(fd, `[${line.join(',')}]\n`);
        // From here to the rename, nothing else runs: no write can fall between the two logs.
        for (const written of this.rewriting) bytes += writeAll(fd, written);
        fsyncSync(fd);
        closeSync(fd);
        fd = undefined;
        renameSync(temporary, this.file);
        if (this.fd !== undefined) {
          closeSync(this.fd);
          this.fd = openSync(this.file, 'a');
        }
        this.logBytes = bytes;
      } catch {
        // The old log is still whole and still appended to: the rewrite is only put off.
        if (fd !== undefined) closeSync(fd);
        rmSync(temporary, { force: true });
      } finally {
        this.rewriting = undefined;
        await iterator.close();
      }
    })().finally(() => {
      this.rewrite = undefined;
    });
    return this.rewrite;
  }

  /** Closes the log, once any rewrite under way has finished; the database must no longer be written. */
  async close(): Promise<void> {
    await this.rewrite;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
