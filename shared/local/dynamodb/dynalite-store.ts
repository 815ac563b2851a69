import type { Server } from 'node:http';
import dynalite from 'dynalite';
import dynaliteDb from 'dynalite/db/index.js';
import type { LevelDatabase } from './table-store.ts';

/**
 * Makes a dynalite server (not yet listening) on a database of dynalite's in-memory engine
 * rather than LevelDB, and returns that database with it, for the caller to fill and make
 * durable before the server listens. dynalite makes its database in the `create` of its `db`
 * module, by `path`: the server is made without one, and `create` is wrapped only for the length
 * of this synchronous call.
 */
export function createDynalite(options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }): { server: Server; db: LevelDatabase } {
  const create = dynaliteDb.create;
  let made: LevelDatabase | undefined;
  dynaliteDb.create = (createOptions) => {
    const store = create({ ...createOptions, path: undefined });
    made = store.db as LevelDatabase;
    return store;
  };
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    dynaliteDb.create = create;
  }
  if (!made) throw new Error('dynalite did not create its database through db.create: this version of dynalite is not one Sluice knows');
  return { server, db: made };
}
