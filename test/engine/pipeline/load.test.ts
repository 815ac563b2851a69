import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigIssue } from '../../../shared/contract/errors.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { loadPipelineFile, loadProject } from '../../../shared/workbench/project/load-project.ts';
import { repoRoot } from '../../support/paths.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

const valid = `name: thumbs
on: { bucket: uploads, prefix: images/, suffix: .jpg }
steps:
  - resize:
      variants:
        - { name: thumb, width: 200, height: 200, format: webp }
to: { bucket: media, key: "{dir}/{stem}/{variant}.{ext}" }
onError: { quarantine: { bucket: quarantine } }
`;

const RESOURCES = 'buckets: { uploads: {}, media: {}, quarantine: {} }\n';

function problems(text: string): string[] {
  return parsePipeline(text, 'p.yml', builtInHandlers).issues.map(formatConfigIssue);
}

describe('pipeline definitions', () => {
  it('loads the shipped pipelines with defaults applied', async () => {
    const { pipelines, resources } = await loadProject(join(repoRoot, 'pipelines'));
    expect(Object.keys(resources.buckets)).toEqual(['uploads', 'media', 'quarantine']);
    const thumbnails = pipelines.find((p) => p.name === 'thumbnails');
    expect(thumbnails).toBeDefined();
    expect(thumbnails!.on).toMatchObject({ bucket: 'uploads', events: ['created'], prefix: 'images/' });
    expect(thumbnails!.on).toHaveProperty('suffix', expect.arrayContaining(['.jpg']));
    expect(thumbnails!.steps.map((s) => s.handler)).toEqual(['resize']);
    expect(thumbnails!.onError).toEqual({ retries: 2, quarantine: { bucket: 'quarantine', prefix: '' } });
  });

  it('applies defaults and normalizes a single suffix to a list', () => {
    const { pipeline, issues } = parsePipeline(valid, 'p.yml', builtInHandlers);
    expect(issues).toEqual([]);
    expect(pipeline!.on).toEqual({ bucket: 'uploads', events: ['created'], prefix: 'images/', suffix: ['.jpg'] });
    // Not written: the runtime uses DEFAULT_OBJECT_RETRIES (2), as Lambda's asynchronous retries.
    expect(pipeline!.onError.retries).toBeUndefined();
    const config = pipeline!.steps[0]!.config as { variants: { fit: string }[] };
    expect(config.variants[0]!.fit).toBe('cover');
  });

  it('reports an unknown key at its position, with a suggestion', () => {
    expect(problems(valid.replace('prefix: images/', 'prefx: images/'))).toEqual([
      'p.yml:2:24: on.prefx: unknown key "prefx" (did you mean "prefix"?); expected one of bucket, events, prefix, suffix',
    ]);
  });

  it('reports a handler config error with file:line:column, the field path, what was expected and what was found', () => {
    expect(problems(valid.replace('width: 200', 'width: big'))).toEqual([
      'p.yml:6:33: steps[0].resize.variants[0].width: expected a number, found "big" (string)',
    ]);
  });

  it('reports an unknown handler with a suggestion', () => {
    const [problem] = problems(valid.replace('- resize:', '- resise:'));
    expect(problem).toMatch(/^p\.yml:4:5: steps\[0\]\.resise: unknown handler "resise" \(did you mean "resize"\?\)/);
  });

  it('lists every problem, not just the first', () => {
    const text = valid.replace('prefix: images/', 'prefix: 5').replace('bucket: media', 'bucket: Media_Bucket').replace('quality', 'q').replace('format: webp', 'format: bmp');
    const found = problems(text);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^p\.yml:2:32: on\.prefix: expected a string, found 5 \(number\)$/);
    expect(found.join('\n')).toContain('to.bucket: expected a bucket name');
    expect(found.join('\n')).toContain('steps[0].resize.variants[0].format: expected one of');
  });

  it('reports a missing required key at its parent', () => {
    expect(problems(valid.replace(/^to: .*\n/m, ''))).toEqual(['p.yml:1:1: to: missing; expected a mapping']);
  });

  it('rejects an unknown key-template placeholder', () => {
    const [problem] = problems(valid.replace('{variant}', '{size}'));
    expect(problem).toContain('to.key: unknown placeholder {size} in key template');
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(problems('name: a\nname: b\n')[0]).toMatch(/^p\.yml:2:1: invalid YAML: Map keys must be unique/);
    expect(problems('name: [a\n')[0]).toMatch(/^p\.yml:\d+:\d+: invalid YAML: /);
    expect(problems('- a\n- b\n')).toEqual(['p.yml:1:1: expected a pipeline mapping (name, on, steps, to, onError)']);
  });

  it('throws one ConfigError listing every problem in every file of a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pipelines-'));
    await writeFile(join(dir, 'a.yml'), valid.replace('width: 200', 'width: -3'));
    await writeFile(join(dir, 'b.yaml'), valid.replace('name: thumbs', 'name: thumbs\nnmae: x'));
    await writeFile(join(dir, 'notes.txt'), 'not a pipeline');
    await writeFile(join(dir, 'resources.yml'), RESOURCES);
    const error = await loadProject(dir, undefined, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const messages = (error as ConfigError).issues.map(formatConfigIssue);
    expect(messages).toEqual([
      'a.yml:6:33: steps[0].resize.variants[0].width: expected a number >= 1, found -3 (number)',
      'b.yaml:2:1: nmae: unknown key "nmae" (did you mean "name"?); expected one of name, description, on, steps, to, onError, lambda',
    ]);
    await expect(loadPipelineFile(join(dir, 'a.yml'), undefined, dir)).rejects.toThrow(/a\.yml:6:33/);
  });

  it('refuses buckets not declared in resources.yml, at the field that names them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pipelines-'));
    await writeFile(join(dir, 'a.yml'), valid.replace('bucket: media', 'bucket: medai'));
    await writeFile(join(dir, 'resources.yml'), RESOURCES);
    const error = await loadProject(dir, undefined, dir).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map(formatConfigIssue)).toEqual([
      'a.yml:7:15: to.bucket: bucket "medai" is not declared in resources.yml (did you mean "media"?); declared: uploads, media, quarantine',
    ]);
  });

  it('refuses a table that is not declared, and a table trigger on a table without a stream', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pipelines-'));
    const revenue = (table: string, output: string) =>
      `name: revenue-${table}\non: { table: ${table}, startingPosition: LATEST }\nsteps:\n  - aggregate: { groupBy: [currency], metrics: [{ op: count }] }\nto: { table: ${output} }\nonError: { quarantine: { bucket: quarantine } }\n`;
    await writeFile(join(dir, 'a.yml'), revenue('orders', 'revenu'));
    await writeFile(join(dir, 'b.yml'), revenue('ledger', 'revenue'));
    await writeFile(join(dir, 'resources.yml'), `${RESOURCES}tables:\n  orders: { partitionKey: { name: id, type: S }, stream: NEW_AND_OLD_IMAGES }\n  ledger: { partitionKey: { name: id, type: S } }\n  revenue: { partitionKey: { name: currency, type: S } }\n`);
    const error = await loadProject(dir, undefined, dir).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map(formatConfigIssue)).toEqual([
      'a.yml:5:14: to.table: table "revenu" is not declared in resources.yml (did you mean "revenue"?); declared: orders, ledger, revenue',
      'b.yml:2:14: on.table: table "ledger" has no stream, so it cannot trigger a pipeline; declare one in resources.yml, e.g. "stream: NEW_AND_OLD_IMAGES"',
    ]);
  });

  it('asks for resources.yml when a project has none, and checks it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pipelines-'));
    await writeFile(join(dir, 'a.yml'), valid);
    await expect(loadProject(dir, undefined, dir)).rejects.toThrow(/resources\.yml:1:1: no resources\.yml: declare the buckets/);
    await writeFile(join(dir, 'resources.yml'), 'buckets:\n  uploads: {}\n  Media: {}\ntables:\n  orders: { partitionKey: { name: id, type: X } }\n');
    const error = await loadProject(dir, undefined, dir).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map(formatConfigIssue)).toEqual([
      'resources.yml:3:3: buckets.Media: expected a bucket name: 3-63 lowercase letters, digits, dots or hyphens, found "Media" (string)',
      'resources.yml:5:45: tables.orders.partitionKey.type: expected one of "S", "N", "B", found "X" (string)',
    ]);
  });

  it('refuses two pipelines with the same name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-pipelines-'));
    await writeFile(join(dir, 'a.yml'), valid);
    await writeFile(join(dir, 'b.yml'), valid);
    await writeFile(join(dir, 'resources.yml'), RESOURCES);
    const error = await loadProject(dir, undefined, dir).catch((e: unknown) => e);
    // At the name in the second file, not at its first line.
    expect((error as ConfigError).issues.map(formatConfigIssue)).toEqual(['b.yml:1:7: name: pipeline name "thumbs" is already used by a.yml']);
  });
});
