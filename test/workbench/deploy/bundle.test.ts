import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction, functionEntrySource } from '../../../shared/workbench/deploy/bundle.ts';
import { loadProject } from '../../../shared/workbench/project/load-project.ts';
import { repoRoot } from '../../support/paths.ts';

const project = await loadProject(join(repoRoot, 'pipelines'), undefined, repoRoot);
const outDir = await mkdtemp(join(tmpdir(), 'sluice-bundle-'));

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('a function bundle', () => {
  it.each(project.pipelines.map((pipeline) => [pipeline.name, pipeline] as const))('of %s holds the engine and the handlers its pipeline uses, nothing of the workbench', async (name, pipeline) => {
    const bundle = await bundleFunction({ projectRoot: repoRoot, outDir: join(outDir, name), pipeline });
    const inputs = Object.keys(bundle.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
    expect(inputs).toContain('shared/engine/lambda/entry.ts');
    expect(inputs.filter((input) => input.startsWith('shared/workbench/'))).toEqual([]);
    const handlers = new Set(inputs.filter((input) => input.startsWith('handlers/')).map((input) => input.split('/')[1]));
    expect([...handlers].sort()).toEqual([...new Set(pipeline.steps.map((step) => step.handler))].sort());
    // Only where a step needs it does a function carry sharp.
    expect(bundle.nativePackages).toEqual(pipeline.steps.some((step) => step.handler === 'resize') ? ['sharp'] : []);
  });

  it('starts from an entry module that imports exactly those handlers', () => {
    const revenue = project.pipelines.find((pipeline) => pipeline.name === 'revenue')!;
    const entry = functionEntrySource(repoRoot, revenue);
    expect(entry.match(/^import \* as \w+ from "(.+)";$/gm)).toEqual([`import * as h0 from ${JSON.stringify(join(repoRoot, 'handlers/aggregate/index.ts'))};`]);
    expect(entry).toContain('export const handler = await startFunction({');
  });
});
