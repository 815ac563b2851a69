import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SCHEMA_FILE } from '../../../shared/workbench/docs/generated-docs.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

describe('sluice schema', () => {
  it('prints the pipeline JSON Schema, the same as the committed one', async () => {
    const { code, stdout } = await runSluice(['schema'], repoRoot);
    expect(code).toBe(0);
    expect(stdout).toBe(await readFile(join(repoRoot, PIPELINE_SCHEMA_FILE), 'utf8'));
  });

  it('writes it to a file with --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-schema-'));
    const { code, stdout } = await runSluice(['schema', '--out', 'pipeline.schema.json'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('wrote pipeline.schema.json');
    expect(JSON.parse(await readFile(join(dir, 'pipeline.schema.json'), 'utf8'))).toMatchObject({ $id: 'urn:sluice:pipeline', title: 'Sluice pipeline' });
  });
});
