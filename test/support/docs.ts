import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

/** Every page of user documentation: the README, docs/ and each handler's README (relative to the project). */
export async function documentationFiles(): Promise<string[]> {
  const docs = (await readdir(join(repoRoot, 'docs'))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  const handlers = (await readdir(join(repoRoot, 'handlers'))).map((name) => `handlers/${name}/README.md`);
  return ['README.md', ...docs.sort(), ...handlers.sort()];
}

/**
 * The fenced blocks of one language in a page. A block that names a file (```yaml
 * pipelines/watermarked.yml) is a file a walk-through has you write, checked by the test that
 * follows the walk-through; only the others are returned.
 */
export async function codeBlocks(file: string, language: string): Promise<string[]> {
  const text = await readFile(join(repoRoot, file), 'utf8');
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((match) => match[1]!);
}
