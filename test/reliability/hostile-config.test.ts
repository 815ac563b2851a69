import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** A stack trace's frames, which a user must never see for bad input. */
const STACK_FRAME = /\n\s+at /;

/** "Billion laughs": nine aliases of nine aliases ... expand to 9^9 strings from a few hundred bytes. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let previous = 'a';
  for (const name of 'bcdefghi') {
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  return `name: laughs\n${lines.join('\n')}\n`;
}

/** A valid-looking pipeline grown past 10 MB. */
function hugePipeline(): string {
  const variants = Array.from({ length: 200_000 }, (_, i) => `        - { name: v${i}, width: ${1 + (i % 2000)}, format: webp }\n`).join('');
  return `name: huge\non: { bucket: uploads, prefix: images/ }\nsteps:\n  - resize:\n      variants:\n${variants}to: { bucket: media }\nonError: { quarantine: { bucket: quarantine } }\n`;
}

function binaryGarbage(seed: number): Buffer {
  const random = seededRandom(seed);
  return Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(random() * 256)));
}

const CASES: [string, string | Buffer, RegExp][] = [
  ['an alias bomb', aliasBomb(), /^laughs\.yml:3:8: invalid YAML: its aliases expand to more than 100 copies \(an alias bomb\?\)$/m],
  ['a 10 MB pipeline', hugePipeline(), /^huge\.yml:1:1: the file is 1\d\.\d MB; a configuration file may be at most 1 MB$/m],
  ['flow collections nested 100,000 deep', `name: deep\nsteps: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /^deep\.yml:2:\d+: invalid YAML: nested too deeply$/m],
  ['binary garbage', binaryGarbage(7), /^garbage\.yml:\d+:\d+: not UTF-8 text: (bytes that are not UTF-8|a NUL character) \(a binary file\?\)$/m],
  ['an unclosed flow mapping', 'name: open\non: { bucket: uploads, prefix: images/\nsteps: []\n', /^open\.yml:\d+:\d+: invalid YAML: /m],
  ['a document that is a bare string', '"just a string"\n', /^string\.yml:1:1: expected a pipeline mapping/m],
];
const FILES = ['laughs.yml', 'huge.yml', 'deep.yml', 'garbage.yml', 'open.yml', 'string.yml'];

describe('malformed and huge configurations', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sluice-hostile-config-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  /** A project folder with the shipped resources and one bad pipeline file. */
  async function project(file: string, content: string | Buffer): Promise<string> {
    const dir = await mkdtemp(join(root, 'project-'));
    await copyFile(join(repoRoot, 'pipelines', 'resources.yml'), join(dir, 'resources.yml'));
    await writeFile(join(dir, file), content);
    return dir;
  }

  it.each(CASES.map(([name, content, expected], index) => [name, FILES[index]!, content, expected] as const))('validate reports %s as one clear problem, never a stack trace', async (_name, file, content, expected) => {
    const dir = await project(file, content);
    const result = await runSluice(['validate', '.'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).toMatch(/\d+ problem\(s\) found\n$/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr.length).toBeLessThan(4000);
  });

  it('run refuses the same before starting anything, and an alias bomb in resources.yml too', async () => {
    const dir = await project('huge.yml', hugePipeline());
    const run = await runSluice(['run', '--pipelines', '.', '--data', join(dir, 'data')], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^huge\.yml:1:1: the file is/m);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const resources = await mkdtemp(join(root, 'resources-'));
    await writeFile(join(resources, 'resources.yml'), aliasBomb().replace('name: laughs\n', 'buckets: { uploads: {} }\n'));
    const validate = await runSluice(['validate', '.'], resources);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/^resources\.yml:3:8: invalid YAML: its aliases expand to more than 100 copies/m);
    expect(validate.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('sluice invoke with malformed events', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-hostile-events-'));
    await mkdir(join(dir, 'events'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const invoke = async (pipeline: string, name: string, content: string | Buffer) => {
    const file = join(dir, 'events', name);
    await writeFile(file, content);
    return runSluice(['invoke', pipeline, '--event', file, '--pipelines', join(repoRoot, 'pipelines'), '--data', join(dir, 'data')], dir, { SLUICE_PII_SALT: 'a-test-salt-of-some-length' });
  };

  it.each([
    ['not JSON', 'broken.json', '{"Records": [', /^sluice: --event: .*broken\.json is not valid JSON: /],
    ['binary', 'binary.json', binaryGarbage(3), /^sluice: --event: .*binary\.json is not valid JSON: /],
    ['an empty object', 'empty.json', '{}', /^sluice: Invalid S3 event: not an S3 event: expected "Records"/],
    ['a list', 'list.json', '[1, 2, 3]', /^sluice: Invalid S3 event: expected an S3 event \(a mapping\), found a list of 3 items/],
    ['a record missing its fields', 'partial.json', '{"Records": [{"eventSource": "aws:s3", "s3": {}}]}', /^sluice: Invalid S3 event \(\d+ problems\):\n {2}Records\[0\]\.eventVersion: missing; expected a string/],
    ['a stream record sent to a bucket pipeline', 'stream.json', '{"Records": [{"eventSource": "aws:dynamodb", "eventName": "INSERT", "dynamodb": {}}]}', /^sluice: Invalid S3 event: Records\[0\]\.eventSource: "aws:dynamodb" records are not an S3 event notification/],
  ])('a bucket pipeline answers %s with a clear error and exit 1', async (_name, file, content, expected) => {
    const result = await invoke('thumbnails', file, content);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(expected);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('a table pipeline quarantines a malformed batch with every problem, as its function would, rather than retrying it forever', async () => {
    const event = { Records: [{ eventSource: 'aws:dynamodb', eventName: 'INSERT', dynamodb: { Keys: { order_id: { S: 'o-1' } }, NewImage: { order_id: { Q: 'o-1' } }, SequenceNumber: '7' } }] };
    const result = await invoke('revenue', 'bad-stream.json', JSON.stringify(event));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.slice(0, result.stdout.indexOf('}\n') + 1))).toEqual({ batchItemFailures: [] });
    expect(result.stdout).toContain('quarantined revenue/orders/7-7.failed.json: Invalid DynamoDB stream event (2 problems)');
    expect(result.stdout).toContain('Records[0].dynamodb.NewImage.order_id.Q: unknown attribute type "Q"');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});
