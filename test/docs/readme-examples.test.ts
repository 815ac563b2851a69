import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatConfigIssue } from '../../shared/contract/errors.ts';
import { loadProjectRegistry } from '../../shared/workbench/project/project-handlers.ts';
import { parsePipeline } from '../../shared/engine/pipeline/load.ts';
import { parseResources } from '../../shared/engine/pipeline/resources.ts';
import { testFileSpec } from '../../shared/workbench/pipeline-tests/test-file-spec.ts';
import { repoRoot } from '../support/paths.ts';

/** Every README that shows pipelines: the project's and each handler's. */
async function readmes(): Promise<string[]> {
  const handlers = await readdir(join(repoRoot, 'handlers'));
  return ['README.md', ...handlers.map((name) => join('handlers', name, 'README.md'))];
}

describe('pipeline and resources examples in the READMEs', () => {
  it('are valid, exactly as written', async () => {
    // With the project's own handlers too: a forked handler's README shows its own name.
    const registry = await loadProjectRegistry(repoRoot);
    let checked = 0;
    for (const readme of await readmes()) {
      const text = await readFile(join(repoRoot, readme), 'utf8');
      for (const [, yaml] of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
        if (/^buckets:/m.test(yaml!)) {
          expect(parseResources(yaml!, readme).issues.map(formatConfigIssue), readme).toEqual([]);
          checked++;
          continue;
        }
        if (/^pipeline:/m.test(yaml!)) {
          // A pipeline test file: its shape only, since its files are relative to a folder the README has not.
          const parsed = testFileSpec.safeParse(parseYaml(yaml!));
          expect(parsed.error?.issues ?? [], readme).toEqual([]);
          checked++;
          continue;
        }
        if (!/^name:/m.test(yaml!) || !/^steps:/m.test(yaml!)) continue;
        const { issues } = parsePipeline(yaml!, readme, registry);
        expect(issues.map(formatConfigIssue), readme).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
