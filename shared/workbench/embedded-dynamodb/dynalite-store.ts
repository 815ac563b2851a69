import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import dynalite from 'dynalite';
import dynaliteDb from 'dynalite/db/index.js';
import type { LevelDatabase, LevelIterator } from './table-store.ts';

/** The part of dynalite's database that Sluice puts right (see `readStream`). */
interface DynaliteDatabase extends LevelDatabase {
  keys(options?: object): LevelIterator<string>;
  values(options?: object): LevelIterator<unknown>;
  createKeyStream(options?: object): Readable;
  createValueStream(options?: object): Readable;
}

/**
 * A stream of an iterator's entries that closes the iterator when it ends or is destroyed.
 * dynalite's own (4.0.0, written for abstract-level) closes it with `iterator.return()`, which
 * abstract-level iterators do not have: every Scan or Query page that stopped before the end of
 * its range (at 1 MB, or at its Limit) left its iterator open, holding its snapshot for as long
 * as the process ran.
 */
function readStream(iterator: LevelIterator<unknown>): Readable {
  return new Readable({
    objectMode: true,
    read() {
      iterator.next().then(
        (value) => this.push(value === undefined ? null : value),
        (error: unknown) => this.destroy(error as Error),
      );
    },
    destroy(error, callback) {
      iterator.close().then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}

/**
 * Makes a dynalite server (not yet listening) on a database of dynalite's in-memory engine
 * rather than LevelDB, and returns that database with it, for the caller to fill and make
 * durable before the server listens. dynalite makes its database in the `create` of its `db`
 * module, by `path`: the server is made without one, and `create` is wrapped only for the length
 * of this synchronous call.
 */
export function createDynalite(options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }): { server: Server; db: LevelDatabase } {
  const create = dynaliteDb.create;
  let made: DynaliteDatabase | undefined;
  dynaliteDb.create = (createOptions) => {
    const store = create({ ...createOptions, path: undefined });
    made = store.db as DynaliteDatabase;
    return store;
  };
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    dynaliteDb.create = create;
  }
  if (!made) throw new Error('dynalite did not create its database through db.create: this version of dynalite is not one Sluice knows');
  const db = made;
  db.createValueStream = (streamOptions) => readStream(db.values(streamOptions));
  db.createKeyStream = (streamOptions) => readStream(db.keys(streamOptions));
  return { server, db };
}
