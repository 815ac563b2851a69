import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigIssue } from '../../../shared/contract/errors.ts';
import { checkProject } from '../../../shared/workbench/checks/check-project.ts';
import { elementaryCycles, triggerCycleIssues } from '../../../shared/workbench/checks/cycles.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { loadProject } from '../../../shared/workbench/project/load-project.ts';
import type { Pipeline } from '../../../shared/engine/pipeline/schema.ts';
import { createRegistry } from '../../../shared/engine/registry.ts';
import type { HandlerDefinition } from '../../../shared/contract/handler.ts';
import { z } from 'zod';
import { repoRoot } from '../../support/paths.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

const fixtures = join(repoRoot, 'test', 'fixtures', 'pipelines');

/** Every problem `loadProject` reports for a fixture folder, as users see them. */
async function problems(folder: string): Promise<string[]> {
  try {
    await loadProject(join(fixtures, folder), undefined, fixtures);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map(formatConfigIssue);
  }
}

/** A pipeline from its trigger, output and quarantine, written as YAML flow mappings. */
function pipeline(name: string, on: string, to: string, quarantine = '{ bucket: quarantine }'): Pipeline {
  const text = `name: ${name}\non: ${on}\nsteps:\n  - resize: { variants: [{ name: thumb, width: 200, format: webp }] }\nto: ${to}\nonError: { quarantine: ${quarantine} }\n`;
  const { pipeline: parsed, issues } = parsePipeline(text, `${name}.yml`, builtInHandlers);
  if (!parsed) throw new Error(issues.map(formatConfigIssue).join('\n'));
  return parsed;
}

const cycleMessages = (...pipelines: Pipeline[]) => triggerCycleIssues(pipelines).map((issue) => issue.message);

describe('trigger cycles in the fixtures', () => {
  it('a pipeline writing its variants back under its own prefix', async () => {
    expect(await problems('cycles/self-output')).toEqual([
      'cycles/self-output/thumbnails.yml:14:8: to.key: trigger cycle: thumbnails writes uploads/images/{stem}/{variant}.{ext}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('{dir}/{stem}/{variant}.{ext} into the trigger bucket: {dir} keeps the prefix, {ext} can be any suffix', async () => {
    expect(await problems('cycles/same-folder')).toEqual([
      'cycles/same-folder/thumbnails.yml:14:8: to.key: trigger cycle: thumbnails writes uploads/{dir}/{stem}/{variant}.{ext}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg or .png); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('{key}.thumb.webp when the trigger takes .webp', async () => {
    expect(await problems('cycles/webp-of-webp')).toEqual([
      'cycles/webp-of-webp/thumbnails.yml:9:29: to.key: trigger cycle: thumbnails writes uploads/{key}.thumb.webp, which triggers thumbnails (uploads, prefix "images/", suffix .webp); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('the default key template into the source bucket, at the `to` mapping since `to.key` is not written', async () => {
    expect(await problems('cycles/default-key')).toEqual([
      'cycles/default-key/copy.yml:9:5: to.key: trigger cycle: copy writes uploads/{key}, which triggers copy (uploads, every key); write to another bucket, or give the trigger a prefix that excludes these keys',
    ]);
  });

  it('two pipelines, reported at the write back into the first (by file name)', async () => {
    expect(await problems('cycles/two-pipelines')).toEqual([
      'cycles/two-pipelines/publish.yml:8:29: to.key: trigger cycle: publish writes uploads/inbox/{name}, which triggers inbox (uploads, prefix "inbox/") → inbox writes staging/{key}, which triggers publish (staging, every key); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('three pipelines', async () => {
    expect(await problems('cycles/three-pipelines')).toEqual([
      'cycles/three-pipelines/c-archive.yml:8:29: to.key: trigger cycle: archive writes uploads/raw/archive/{stem}.{ext}, which triggers ingest (uploads, prefix "raw/", suffix .png) → ingest writes staging/{date}/{name}, which triggers enhance (staging, suffix .png) → enhance writes media/enhanced/{key}, which triggers archive (media, prefix "enhanced/"); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('a quarantine under the trigger prefix, keeping the source key and its suffix', async () => {
    expect(await problems('cycles/quarantine-self')).toEqual([
      'cycles/quarantine-self/thumbnails.yml:12:15: onError.quarantine: trigger cycle: thumbnails quarantines to uploads/images/failed/thumbnails/uploads/{key}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg); quarantine to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('a loop through a quarantine bucket and a pipeline re-submitting from it', async () => {
    expect(await problems('cycles/quarantine-chain')).toEqual([
      'cycles/quarantine-chain/b-retry.yml:9:29: to.key: trigger cycle: retry writes uploads/images/retried/{name}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg) → thumbnails quarantines to failed/thumbnails/uploads/{key}, which triggers retry (failed, suffix .jpg); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('lists every problem of a project: invalid files, duplicate names, each loop at each write that closes it', async () => {
    expect(await problems('cycles/many')).toEqual([
      'cycles/many/d-broken.yml:6:33: steps[0].resize.variants[0].width: expected a number >= 1, found -3 (number)',
      'cycles/many/f-twin.yml:1:7: name: pipeline name "fine" is already used by cycles/many/e-fine.yml',
      'cycles/many/a-loop.yml:8:29: to.key: trigger cycle: loop writes uploads/images/{variant}/{name}, which triggers loop (uploads, prefix "images/"); write to another bucket or outside the trigger\'s prefix',
      'cycles/many/a-loop.yml:9:24: onError.quarantine: trigger cycle: loop quarantines to uploads/images/failed/loop/uploads/{key}, which triggers loop (uploads, prefix "images/"); quarantine to another bucket or outside the trigger\'s prefix',
      'cycles/many/c-pong.yml:8:5: to.key: trigger cycle: pong writes left/{key}, which triggers ping (left, every key) → ping writes right/{key}, which triggers pong (right, every key); write to another bucket, or give the trigger a prefix that excludes these keys',
    ]);
  });

  it('an aggregate written into the table whose stream it reads', async () => {
    expect(await problems('cycles/table-self')).toEqual([
      'cycles/table-self/totals.yml:7:14: to.table: trigger cycle: totals writes table orders, which triggers totals (the stream of table orders); write to another table',
    ]);
  });

  it('two pipelines through two table streams; filters cannot be proven to exclude the writes', async () => {
    expect(await problems('cycles/table-two')).toEqual([
      'cycles/table-two/b-restate.yml:11:14: to.table: trigger cycle: restate writes table orders, which triggers revenue (the stream of table orders) → revenue writes table revenue, which triggers restate (the stream of table revenue, whose filters cannot be proven to exclude these writes); write to another table',
    ]);
  });

  it('covers every cycle fixture folder', async () => {
    expect((await readdir(join(fixtures, 'cycles'))).sort()).toEqual(['default-key', 'many', 'quarantine-chain', 'quarantine-self', 'same-folder', 'self-output', 'table-self', 'table-two', 'three-pipelines', 'two-pipelines', 'webp-of-webp']);
  });
});

describe('near misses, which are not cycles', () => {
  it.each(['chain', 'flat-names', 'other-bucket', 'other-prefix', 'other-suffix', 'table-chain', 'webp-beside-jpg'])('no-cycles/%s', async (folder) => {
    expect(await problems(`no-cycles/${folder}`)).toEqual([]);
  });

  it('covers every near-miss fixture folder', async () => {
    expect((await readdir(join(fixtures, 'no-cycles'))).sort()).toEqual(['chain', 'flat-names', 'other-bucket', 'other-prefix', 'other-suffix', 'table-chain', 'webp-beside-jpg']);
  });

  it('the shipped pipelines have none', async () => {
    const { pipelines, resources } = await loadProject(join(repoRoot, 'pipelines'));
    expect(pipelines.length).toBeGreaterThan(0);
    expect(checkProject(pipelines, { resources, file: 'pipelines/resources.yml' })).toEqual([]);
  });
});

describe('the template analysis', () => {
  const on = '{ bucket: uploads, prefix: images/, suffix: .jpg }';

  it('knows a fixed ending decides the suffix', () => {
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "{key}.thumb.webp" }'))).toEqual([]);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: images/, suffix: .webp }', '{ bucket: uploads, key: "{key}.thumb.webp" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: images/ }', '{ bucket: uploads, key: "{key}.thumb.webp" }'))).toHaveLength(1);
    // S3 suffixes are case-sensitive.
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "images/{stem}.JPG" }'))).toEqual([]);
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "images/{stem}.jpg" }'))).toHaveLength(1);
  });

  it('knows what {srcExt}, {stem}, {pipeline} and {bucket} are', () => {
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "images/{stem}.{srcExt}" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: images/, suffix: .png }', '{ bucket: uploads, key: "images/x.{srcExt}" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "images/x.{srcExt}.webp" }'))).toEqual([]);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: p/ }', '{ bucket: uploads, key: "{pipeline}/{variant}" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: q/ }', '{ bucket: uploads, key: "{pipeline}/{variant}" }'))).toEqual([]);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: uploads/ }', '{ bucket: uploads, key: "{bucket}/{name}" }'))).toHaveLength(1);
  });

  it('treats {ext}, {variant} and {date} as any text, since handlers decide them', () => {
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "images/{date}" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "{variant}" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', on, '{ bucket: uploads, key: "thumbs/{ext}" }'))).toEqual([]);
  });

  it('follows renderKey: an empty {dir} leaves no leading slash', () => {
    // `top.jpg` has no folder: `{dir}/images/{name}` renders `images/top.jpg`.
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, suffix: .jpg }', '{ bucket: uploads, key: "{dir}/images/{name}" }'))).toHaveLength(1);
    expect(cycleMessages(pipeline('p', '{ bucket: uploads, prefix: /images/, suffix: .jpg }', '{ bucket: uploads, key: "/images/{name}" }'))).toEqual([]);
  });

  it('reports a loop closed by both the output and the quarantine twice, once at each field', () => {
    const loop = pipeline('p', '{ bucket: uploads, prefix: in/ }', '{ bucket: uploads, key: "in/{name}" }', '{ bucket: uploads, prefix: in/failed/ }');
    expect(triggerCycleIssues([loop]).map((issue) => `${issue.line}:${issue.column} ${issue.path}`)).toEqual(['5:29 to.key', '6:24 onError.quarantine']);
  });

  it('finds a quarantine loop through `.error.json` alone', () => {
    const a = pipeline('a', '{ bucket: uploads, suffix: .jpg }', '{ bucket: media }', '{ bucket: failed }');
    const b = pipeline('b', '{ bucket: failed, suffix: .json }', '{ bucket: uploads, key: "{stem}.jpg" }');
    expect(cycleMessages(a, b)).toEqual([
      'trigger cycle: b writes uploads/{stem}.jpg, which triggers a (uploads, suffix .jpg) → a quarantines to failed/a/uploads/{key}.error.json, which triggers b (failed, suffix .json); write to another bucket, or give the trigger a prefix that excludes these keys',
    ]);
  });
});

describe('elementary cycles', () => {
  it('lists each cycle once, from its smallest node', () => {
    const complete = [
      [1, 2],
      [0, 2],
      [0, 1],
    ];
    expect(elementaryCycles(3, complete)).toEqual([
      [0, 1],
      [0, 1, 2],
      [0, 2],
      [0, 2, 1],
      [1, 2],
    ]);
    expect(elementaryCycles(3, [[0, 1], [2], [1]])).toEqual([[0], [1, 2]]);
    expect(elementaryCycles(3, [[1], [2], []])).toEqual([]);
  });

  it('stops at a limit on dense graphs, keeping every self-loop', () => {
    const dense = Array.from({ length: 9 }, (_, node) => Array.from({ length: 9 }, (__, next) => next).filter((next) => next !== node || node === 8));
    const cycles = elementaryCycles(9, dense, 10);
    expect(cycles).toHaveLength(11);
    expect(cycles.at(-1)).toEqual([8]);
  });
});

describe('loops between buckets and tables', () => {
  // Handlers that turn objects into rows and table changes into objects: the shapes sanitize and an
  // export step have, so that a loop can cross from a bucket to a table stream and back.
  const rowsOf: HandlerDefinition = { name: 'rows', description: 'rows of a file', spec: z.strictObject({}), accepts: ['object'], emits: 'row', createStep: () => async function* step() {} };
  const exportOf: HandlerDefinition = { name: 'export', description: 'changes as a file', spec: z.strictObject({}), accepts: ['change'], emits: 'object', createStep: () => async function* step() {} };
  const registry = createRegistry([rowsOf, exportOf]);
  const parse = (name: string, text: string): Pipeline => {
    const { pipeline: parsed, issues } = parsePipeline(text, `${name}.yml`, registry);
    if (!parsed) throw new Error(issues.map(formatConfigIssue).join('\n'));
    return parsed;
  };
  const ingest = parse('ingest', 'name: ingest\non: { bucket: uploads, prefix: csv/ }\nsteps: [{ rows: {} }]\nto: { table: orders }\nonError: { quarantine: { bucket: quarantine } }\n');

  it('a bucket pipeline filling a table whose stream writes back under the bucket trigger\'s prefix', () => {
    const backup = parse('backup', 'name: backup\non: { table: orders, startingPosition: LATEST }\nsteps: [{ export: {} }]\nto: { bucket: uploads, key: "csv/{pipeline}/{date}.csv" }\nonError: { quarantine: { bucket: quarantine } }\n');
    expect(cycleMessages(ingest, backup)).toEqual([
      'trigger cycle: backup writes uploads/csv/{pipeline}/{date}.csv, which triggers ingest (uploads, prefix "csv/") → ingest writes table orders, which triggers backup (the stream of table orders); write to another bucket or outside the trigger\'s prefix',
    ]);
  });

  it('is no loop when the export goes outside the prefix', () => {
    const backup = parse('backup', 'name: backup\non: { table: orders, startingPosition: LATEST }\nsteps: [{ export: {} }]\nto: { bucket: uploads, key: "exports/{date}.csv" }\nonError: { quarantine: { bucket: quarantine } }\n');
    expect(cycleMessages(ingest, backup)).toEqual([]);
  });

  it('refuses steps that do not fit together, naming what each gives and takes', () => {
    const { issues } = parsePipeline('name: odd\non: { bucket: uploads }\nsteps: [{ export: {} }]\nto: { table: orders }\nonError: { quarantine: { bucket: quarantine } }\n', 'odd.yml', registry);
    expect(issues.map(formatConfigIssue)).toEqual([
      'odd.yml:3:11: steps[0].export: export takes table changes, but a bucket trigger gives objects',
      'odd.yml:4:7: to.table: a table output writes rows or aggregate updates, but the last step (export) gives objects',
    ]);
  });
});
