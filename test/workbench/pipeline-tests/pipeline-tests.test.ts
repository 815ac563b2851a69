import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, formatConfigIssue } from '../../../shared/contract/errors.ts';
import { runPipelineTests } from '../../../shared/workbench/pipeline-tests/run-pipeline-tests.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

const pipelinesDir = join(repoRoot, 'pipelines');
const harbour = join(pipelinesDir, 'samples', 'uploads', 'images', 'harbour-dawn.jpg');

describe('the shipped pipeline tests', () => {
  it('all pass', async () => {
    const salt = process.env.SLUICE_PII_SALT;
    const result = await runPipelineTests(pipelinesDir);
    const failed = result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.failures.join('; ')}`);
    expect(failed).toEqual([]);
    // Every shipped pipeline has its tests.
    expect([...new Set(result.cases.map((c) => c.pipeline))].sort()).toEqual(['orders-ingest', 'revenue', 'thumbnails']);
    expect(result.passed).toBeGreaterThanOrEqual(9);
    // The salt a test file sets is set for its cases only.
    expect(process.env.SLUICE_PII_SALT).toBe(salt);
  }, 60_000);
});

describe('the pipeline test runner', () => {
  let dir: string;

  // A project of its own: the shipped pipeline and resources, and the test file each test writes.
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-pipeline-tests-'));
    await copyFile(join(pipelinesDir, 'thumbnails.yml'), join(dir, 'thumbnails.yml'));
    await copyFile(join(pipelinesDir, 'resources.yml'), join(dir, 'resources.yml'));
  });

  const failingCase = () => `pipeline: thumbnails
cases:
  - name: right
    put: [{ bucket: uploads, key: images/harbour.jpg, file: ${JSON.stringify(harbour)} }]
    expect:
      objects: [{ bucket: media, key: images/harbour/thumb.webp, image: { format: webp, width: 200, height: 200 } }]
  - name: wrong
    put: [{ bucket: uploads, key: images/harbour.jpg, file: ${JSON.stringify(harbour)} }]
    expect:
      objects:
        - { bucket: media, key: images/harbour/thumb.webp, contentType: image/png, image: { width: 150 } }
        - { bucket: media, key: images/harbour/tiny.webp }
      quarantined: [{ bucket: uploads, key: images/harbour.jpg, code: IMAGE_CORRUPT }]
      onlyThese: true
`;

  it('reports exactly what differed in a failing case, and passes the others', async () => {
    await writeFile(join(dir, 'thumbnails.test.yml'), failingCase());
    const result = await runPipelineTests(dir);
    expect(result).toMatchObject({ passed: 1, failed: 1 });
    expect(result.cases.map((c) => [c.name, c.passed])).toEqual([['right', true], ['wrong', false]]);
    expect(result.cases[1]!.failures).toEqual([
      'media/images/harbour/thumb.webp: expected content type image/png, found image/webp',
      'media/images/harbour/thumb.webp: expected width 150, found 200',
      'media/images/harbour/tiny.webp: expected to exist, not found',
      'quarantine/thumbnails/uploads/images/harbour.jpg: expected the quarantined copy of uploads/images/harbour.jpg, not found',
      'quarantine/thumbnails/uploads/images/harbour.jpg.error.json: expected the reason uploads/images/harbour.jpg was quarantined, not found',
      'media/images/harbour/large.jpg: written, but not listed (onlyThese)',
      'media/images/harbour/medium.jpg: written, but not listed (onlyThese)',
    ]);
  }, 60_000);

  it('fails an unexpected quarantine', async () => {
    const broken = join(pipelinesDir, 'samples', 'uploads', 'images', 'broken-upload.jpg');
    await writeFile(join(dir, 'thumbnails.test.yml'), `pipeline: thumbnails\ncases:\n  - name: broken\n    put: [{ bucket: uploads, key: images/b.jpg, file: ${JSON.stringify(broken)} }]\n    expect: {}\n`);
    const [only] = (await runPipelineTests(dir)).cases;
    expect(only!.failures).toEqual([expect.stringMatching(/^uploads\/images\/b\.jpg: quarantined by thumbnails, not expected \(IMAGE_CORRUPT: /)]);
  }, 60_000);

  it('refuses a malformed test file with file:line:column problems', async () => {
    await writeFile(
      join(dir, 'thumbnails.test.yml'),
      `pipeline: thumbnail
cases:
  - name: typo
    put: [{ bucket: uploads, key: images/a.jpg, file: missing.jpg }]
    expect: { onlyThese: true }
`,
    );
    const error = await runPipelineTests(dir, { displayRoot: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map(formatConfigIssue)).toEqual([
      'thumbnails.test.yml:1:11: pipeline: no pipeline named "thumbnail" in this folder (did you mean "thumbnails"?); pipelines: thumbnails',
      `thumbnails.test.yml:4:55: cases[0].put[0].file: no such file "missing.jpg" (looked for ${join(dir, 'missing.jpg')})`,
    ]);

    await writeFile(join(dir, 'thumbnails.test.yml'), 'pipeline: thumbnails\ncases:\n  - name: x\n    put: [{ bucket: uploads, key: a.jpg }]\n    expect: { objcts: [] }\n');
    const unknown = await runPipelineTests(dir, { displayRoot: dir }).catch((e: unknown) => e);
    expect((unknown as ConfigError).issues.map(formatConfigIssue)).toEqual([
      'thumbnails.test.yml:4:11: cases[0].put[0].file: missing; expected a string',
      'thumbnails.test.yml:5:15: cases[0].expect.objcts: unknown key "objcts" (did you mean "objects"?); expected one of objects, quarantined, items, rejected, onlyThese',
    ]);
  });

  it('`sluice test` prints PASS/FAIL per case and a summary, exit 1 on a failure or a malformed file', async () => {
    await writeFile(join(dir, 'thumbnails.test.yml'), failingCase());
    const run = await runSluice(['test', '.'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^PASS thumbnails\.test\.yml: right \(/m);
    expect(run.stdout).toMatch(/^FAIL thumbnails\.test\.yml: wrong \(/m);
    expect(run.stdout).toContain('\n  media/images/harbour/thumb.webp: expected width 150, found 200\n');
    expect(run.stdout.trim().split('\n').at(-1)).toBe('1 passed, 1 failed');

    await writeFile(join(dir, 'thumbnails.test.yml'), 'pipeline: thumbnails\ncases: []\nextra: 1\n');
    const bad = await runSluice(['test', '.'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('thumbnails.test.yml:3:1: extra: unknown key "extra"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);

    const nowhere = await runSluice(['test', 'no-such-folder'], dir);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^no-such-folder:1:1: cannot read the pipelines folder: /);
  }, 60_000);
});
