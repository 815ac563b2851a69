import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder, and the steering folder's public test corpora beside it. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const corporaDir = resolve(repoRoot, '../shared/corpora');
export const corpus = (...parts: string[]) => resolve(corporaDir, ...parts);
