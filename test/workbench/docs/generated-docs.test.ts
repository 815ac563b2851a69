import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDocs, PIPELINE_SCHEMA_FILE, RESOURCES_MODELINE, RESOURCES_SCHEMA_FILE, SCHEMA_MODELINE } from '../../../shared/workbench/docs/generated-docs.ts';
import { TEST_FILE_SUFFIX } from '../../../shared/workbench/project/load-project.ts';
import { RESOURCES_FILE } from '../../../shared/engine/pipeline/resources.ts';
import { loadProjectRegistry } from '../../../shared/workbench/project/project-handlers.ts';
import { repoRoot } from '../../support/paths.ts';

describe('the generated docs', () => {
  it('are committed as the config specs make them now', async () => {
    // The built-in handlers and the project's own (a fork's README and schema entry are generated too).
    const registry = await loadProjectRegistry(repoRoot);
    const docs = await generateDocs(repoRoot, registry);
    expect(docs.map((doc) => doc.file)).toEqual([PIPELINE_SCHEMA_FILE, RESOURCES_SCHEMA_FILE, ...[...registry.keys()].map((name) => `handlers/${name}/README.md`)]);
    for (const doc of docs) {
      const committed = await readFile(join(repoRoot, doc.file), 'utf8');
      // Compared as a boolean so the message, not a diff of the whole file, says what to do.
      expect(committed === doc.content, `${doc.file} is stale: run \`npm run docs\` and commit the result`).toBe(true);
    }
  });

  it('give every shipped pipeline the schema, through the modeline on its first line', async () => {
    const files = (await readdir(join(repoRoot, 'pipelines'))).filter((name) => /\.ya?ml$/.test(name) && !name.endsWith(TEST_FILE_SUFFIX));
    expect(files.length).toBeGreaterThan(1);
    for (const name of files) {
      const modeline = name === RESOURCES_FILE ? RESOURCES_MODELINE : SCHEMA_MODELINE;
      const firstLine = (await readFile(join(repoRoot, 'pipelines', name), 'utf8')).split('\n')[0];
      expect(firstLine, `pipelines/${name} should start with: ${modeline}`).toBe(modeline);
    }
  });
});
