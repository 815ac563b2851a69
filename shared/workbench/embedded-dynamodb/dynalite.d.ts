// dynalite ships no types; this declares the part Sluice uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** Where LevelDB keeps the tables; in memory when omitted. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}

// dynalite's database module: `create` makes the database a server runs on.
declare module 'dynalite/db/index.js' {
  interface DynaliteStore {
    /** The abstract-level database holding every table. */
    db: unknown;
  }

  const db: { create(options: Record<string, unknown>): DynaliteStore };
  export default db;
}
