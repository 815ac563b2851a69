import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corporaDir, repoRoot } from './paths.ts';

/** What a user's project (a clone of Sluice) holds that a command or a test in it reads. */
const PROJECT_FILES = ['package.json', 'tsconfig.json', 'vitest.config.ts', 'serverless.yml', 'bin', 'shared', 'handlers', 'events', 'pipelines', 'test/support'];

export interface TempProject {
  /** The project folder. */
  root: string;
  remove(): Promise<void>;
}

/**
 * A copy of this project in a temporary folder, as a user's clone would be: Sluice's files (the
 * handlers with their tests), node_modules linked rather than copied,
 * and the corpora linked beside it where test/support/paths.ts looks for them.
 */
export async function createTempProject(): Promise<TempProject> {
  const base = await mkdtemp(join(tmpdir(), 'sluice-project-'));
  const root = join(base, 'project');
  await mkdir(root);
  for (const entry of PROJECT_FILES) {
    await cp(join(repoRoot, entry), join(root, entry), { recursive: true, filter: (source) => !/[\\/](node_modules|\.sluice|\.serverless)([\\/]|$)/.test(source) });
  }
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  await mkdir(join(base, 'shared'));
  await symlink(corporaDir, join(base, 'shared', 'corpora'), 'dir');
  return { root, remove: () => rm(base, { recursive: true, force: true }) };
}
