import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { UsageError } from '../../contract/errors.ts';
import { loadProjectHandlers } from '../project/project-handlers.ts';
import { HANDLERS_DIR, handlerEntry } from '../project/project-modules.ts';
import type { HandlerName } from './handler-name.ts';
import { handlerName, parseHandlerName } from './handler-name.ts';
import { declaredIdentifiers, identifierRenames, renameInText } from './rename-handler.ts';

/** Where Sluice's own handlers are, for a built-in handler the project has no folder of. */
export const SLUICE_ROOT = join(import.meta.dirname, '..', '..', '..');

/** A handler is one folder: its spec, core, entry, README and, in `test/`, its tests. */
export const handlerFolder = (name: string) => `${HANDLERS_DIR}/${name}`;
export const testsFolder = (name: string) => `${handlerFolder(name)}/test`;

const TEXT_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs', '.md', '.yml', '.yaml', '.json', '.txt', '.csv', '.ndjson']);

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Refuses a name the project already uses: a handler (built-in or its own), or a folder in the way. */
export async function checkNewHandlerName(projectRoot: string, name: HandlerName, known: Iterable<string>): Promise<void> {
  if ([...known].includes(name.kebab)) throw new UsageError(`there is already a handler named "${name.kebab}": choose another name`);
  const folder = handlerFolder(name.kebab);
  if (existsSync(join(projectRoot, folder))) throw new UsageError(`${folder} already exists: choose another name, or remove the folder first`);
}

export interface ForkResult {
  /** Every file written, relative to the project root. */
  files: string[];
  /** The identifiers renamed in the copy. */
  renames: Map<string, string>;
}

/**
 * `sluice fork HANDLER --as NAME`: copies the handler's folder (its tests with it) into the
 * project under the new name, renamed as rename-handler.ts describes. The copy is registered by being
 * there (see loadProjectHandlers): nothing else is edited.
 */
export async function forkHandler(projectRoot: string, source: string, target: string): Promise<ForkResult> {
  const to = parseHandlerName(target);
  const { registry } = await loadProjectHandlers(projectRoot);
  const known = [...registry.keys()];
  if (!registry.has(source)) {
    throw new UsageError(`unknown handler "${source}"${known.length ? ` (did you mean "${closest(source, known)}"?)` : ''}; known handlers: ${known.join(', ')}`);
  }
  await checkNewHandlerName(projectRoot, to, known);
  const from = handlerName(source);
  // The project's copy when it has one (a clone of Sluice, or a handler forked before), else Sluice's own.
  const sourceRoot = existsSync(join(projectRoot, handlerEntry(source))) ? projectRoot : SLUICE_ROOT;
  if (!existsSync(join(sourceRoot, handlerEntry(source)))) throw new UsageError(`handler "${source}" has no folder to copy (${handlerEntry(source)} not found)`);

  const folder = { from: handlerFolder(source), to: handlerFolder(to.kebab) };
  const copies: { source: string; target: string; text?: string }[] = [];
  for (const file of await filesUnder(join(sourceRoot, folder.from))) {
    const copy = { source: join(sourceRoot, folder.from, file), target: join(folder.to, file) };
    copies.push(TEXT_EXTENSIONS.has(extname(file)) ? { ...copy, text: await readFile(copy.source, 'utf8') } : copy);
  }
  const identifiers = copies.filter((copy) => copy.text !== undefined && /\.m?ts$/.test(copy.source)).flatMap((copy) => declaredIdentifiers(copy.text!));
  const renames = identifierRenames([...new Set(identifiers)], from, to);

  for (const copy of copies) {
    const target = join(projectRoot, copy.target);
    await mkdir(dirname(target), { recursive: true });
    if (copy.text === undefined) {
      await copyFile(copy.source, target);
      continue;
    }
    let text = renameInText(copy.text, from, to, renames);
    if (copy.target === join(handlerFolder(to.kebab), 'README.md')) {
      text = text.replace(/^(# .*\n)/, `$1\nForked from Sluice's \`${source}\` handler with \`sluice fork ${source} --as ${to.kebab}\`.\n`);
    }
    await writeFile(target, text, { flag: 'wx' });
  }
  return { files: copies.map((copy) => copy.target), renames };
}
