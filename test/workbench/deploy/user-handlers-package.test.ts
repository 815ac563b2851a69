import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { buildS3Event, buildS3EventRecord } from '../../../events/s3/generate.ts';
import { runAsUser, runNodeScript } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';
import { readObject } from '../../support/s3-read.ts';
import type { TempProject } from '../../support/temp-project.ts';
import { createTempProject } from '../../support/temp-project.ts';
import { invokeLocal, runServerless } from './run-serverless.ts';

const run = promisify(execFile);

/** docs/fork.md "A step from a module", as written there. */
const readme = await readFile(join(repoRoot, 'docs/fork.md'), 'utf8');
const moduleStep = /```ts\n\/\/ pipelines\/steps\/stamp-rows\.ts\n([\s\S]*?)```/.exec(readme)![1]!;

const PIPELINES = {
  'resources.yml': 'buckets: { uploads: {}, media: {}, quarantine: {} }\n',
  'labelled.yml': `name: labelled
on: { bucket: uploads, prefix: notes/ }
steps:
  - add-label: { label: checked }
to: { bucket: media, key: "notes/{name}" }
onError: { quarantine: { bucket: quarantine } }
`,
  'stamped.yml': `name: stamped
on: { bucket: uploads, prefix: orders/ }
steps:
  - sanitize: { columns: { order_id: { type: string, required: true } } }
  - ./steps/stamp-rows.ts: { field: channel, value: web-shop }
to: { bucket: media, key: "orders/{stem}.csv" }
onError: { quarantine: { bucket: quarantine } }
`,
};

/**
 * A project with handlers of its own (one made by `sluice new handler`, one forked from it) and a
 * module step, packaged with `serverless package` as it is, with no change to Sluice's files: each
 * function carries the user's code its pipeline uses and no other, and runs it.
 */
describe('serverless package of a project with its own handlers', () => {
  let project: TempProject;
  let out: string;
  let s3: EmbeddedS3;
  const sluice = (...args: string[]) => runNodeScript(join(project.root, 'bin', 'sluice.js'), args, project.root);
  const list = async (zip: string) => (await run('unzip', ['-Z1', join(out, 'sluice', zip)])).stdout.trim().split('\n').sort();
  const bundleOf = async (zip: string) => (await run('unzip', ['-p', join(out, 'sluice', zip), 'index.mjs'], { maxBuffer: 64 * 1024 * 1024 })).stdout;

  beforeAll(async () => {
    project = await createTempProject();
    out = await mkdtemp(join(tmpdir(), 'sluice-package-own-'));
  }, 60_000);
  afterAll(async () => {
    await s3?.close();
    await project?.remove();
    await rm(out, { recursive: true, force: true });
  });

  it('scaffolds a handler and forks it: both type-check and their tests pass', async () => {
    const created = await sluice('new', 'handler', 'add-label');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.split('\n').slice(0, 6)).toEqual([
      'created handler add-label:',
      '  handlers/add-label/spec.ts',
      '  handlers/add-label/core.ts',
      '  handlers/add-label/index.ts',
      '  handlers/add-label/README.md',
      '  handlers/add-label/test/index.test.ts',
    ]);
    expect(created.stdout).toContain('  updated pipelines/pipeline.schema.json');
    // Its README's options table, generated from its spec.
    expect(await readFile(join(project.root, 'handlers/add-label/README.md'), 'utf8')).toContain('| `label` |');

    const forked = await sluice('fork', 'add-label', '--as', 'add-tag');
    expect(forked.code, forked.stderr).toBe(0);
    expect(forked.stdout).toContain('renamed: AddLabelOutput → AddTagOutput, addLabelObject → addTagObject, createAddLabelStep → createAddTagStep, addLabelStep → addTagStep, addLabelHandler → addTagHandler, addLabelSpec → addTagSpec, AddLabelConfig → AddTagConfig, AddLabelConfigInput → AddTagConfigInput');

    await writeFile(join(project.root, 'tsconfig.own.json'), JSON.stringify({ extends: './tsconfig.json', include: ['handlers/add-label', 'handlers/add-tag'] }));
    const tsc = await runAsUser(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.own.json'], project.root);
    expect(tsc.code, tsc.stdout).toBe(0);
    const tests = await runAsUser(['node_modules/vitest/vitest.mjs', 'run', 'handlers/add-label', 'handlers/add-tag'], project.root);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/Tests\s+8 passed \(8\)/);
  }, 120_000);

  it('bundles into each function the user code its pipeline uses, and no other', async () => {
    await rm(join(project.root, 'pipelines'), { recursive: true });
    await mkdir(join(project.root, 'pipelines', 'steps'), { recursive: true });
    for (const [file, content] of Object.entries(PIPELINES)) await writeFile(join(project.root, 'pipelines', file), content);
    await writeFile(join(project.root, 'pipelines', 'steps', 'stamp-rows.ts'), moduleStep);

    const result = await runServerless(['package', '--stage', 'test', '--region', 'eu-west-1', '--package', out], project.root);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await list('labelled.zip')).toEqual(['index.mjs', 'pipelines/labelled.yml']);
    expect(await list('stamped.zip')).toEqual(['index.mjs', 'pipelines/stamped.yml']);

    const labelled = await bundleOf('labelled.zip');
    const stamped = await bundleOf('stamped.zip');
    const addLabel = 'Passes each object on with a label in its metadata.';
    const stampRows = 'Sets one field of every row to a fixed value.';
    expect(labelled).toContain(addLabel);
    expect(labelled).toContain('"add-label"');
    expect(labelled).not.toContain(stampRows);
    expect(stamped).toContain(stampRows);
    expect(stamped).toContain('"pipelines/steps/stamp-rows.ts"');
    expect(stamped).not.toContain(addLabel);
    // The fork nobody uses is in no function.
    expect(labelled + stamped).not.toContain('add-tag');
  }, 240_000);

  it('runs the user handler from the function bundle (serverless invoke local)', async () => {
    s3 = await startEmbeddedS3({ dataDir: await mkdtemp(join(tmpdir(), 'sluice-invoke-own-')), buckets: ['sluice-local-uploads', 'sluice-local-media', 'sluice-local-quarantine'] });
    const key = 'notes/hello.txt';
    const put = await s3.client.send(new PutObjectCommand({ Bucket: 'sluice-local-uploads', Key: key, Body: 'hello', ContentType: 'text/plain' }));
    const eventFile = join(out, 'event.json');
    await writeFile(eventFile, JSON.stringify(buildS3Event([buildS3EventRecord({ bucket: 'sluice-local-uploads', key, size: 5, eTag: put.ETag!.replaceAll('"', '') })])));
    const { result, answer } = await invokeLocal('labelled', project.root, eventFile, s3.endpoint);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(answer).toMatchObject({ pipeline: 'labelled', processed: 1, quarantined: 0, outputs: 1 });
    const output = await readObject(s3.client, 'sluice-local-media', 'notes/hello.txt');
    expect(output.body.toString()).toBe('hello');
    expect(output.metadata).toMatchObject({ label: 'checked' });
  }, 180_000);
});
