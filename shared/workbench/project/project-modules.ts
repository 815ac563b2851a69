import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The one place the workbench reaches into the user's project for code: the handler folders
 * under `handlers/` and the modules pipeline steps name by path. A deployed function does not:
 * its bundle imports the modules its pipeline uses by name (deploy/bundle.ts).
 */

/** Where a project's own handlers live: one folder per handler, named as the handler. */
export const HANDLERS_DIR = 'handlers';

/** The folder every handler is registered from, by the layout every handler follows. */
export const handlerEntry = (name: string) => `${HANDLERS_DIR}/${name}/index.ts`;

/** The folders under `handlers/` that hold an `index.ts`, sorted. */
export async function listHandlerFolders(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(root, HANDLERS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => existsSync(join(root, handlerEntry(name)))).sort();
}

/** Whether a project module exists, by its path relative to the project root (with `/`). */
export async function projectModuleExists(root: string, path: string): Promise<boolean> {
  return existsSync(join(root, path));
}

/** The exports of a project module, by its path relative to the project root (with `/`). */
export async function importProjectModule(root: string, path: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(root, path)).href)) as Record<string, unknown>;
}
