import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../handlers/resize/core.ts';
import { resizeSpec } from '../../handlers/resize/spec.ts';
import { startEmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { runAsUser, runProgram } from '../support/cli.ts';
import { corpus, repoRoot } from '../support/paths.ts';
import { readObject } from '../support/s3-read.ts';
import type { TempProject } from '../support/temp-project.ts';
import { createTempProject } from '../support/temp-project.ts';

/**
 * docs/fork.md, followed as written in a temporary copy of the project: the commands it
 * shows, the files and the patch it gives, the output it says the fork prints.
 */

const section = await readFile(join(repoRoot, 'docs/fork.md'), 'utf8');

function block(pattern: RegExp, what: string): string {
  const match = pattern.exec(section);
  if (!match) throw new Error(`docs/fork.md has no ${what}`);
  return match[1]!;
}

const photo = corpus('images-jpeg-exif-orientation', 'Landscape_1.jpg');

/** Raw RGB pixels of an image, and a region's pixels as [r, g, b] triples. */
async function pixels(image: Buffer) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const region = (left: number, top: number, width: number, height: number) => {
    const out: [number, number, number][] = [];
    for (let y = top; y < top + height; y++) {
      for (let x = left; x < left + width; x++) {
        const at = (y * info.width + x) * 3;
        out.push([data[at]!, data[at + 1]!, data[at + 2]!]);
      }
    }
    return out;
  };
  return { width: info.width, height: info.height, region };
}

const luma = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe('docs/fork.md: fork resize to add a watermark', () => {
  let project: TempProject;
  const sluice = (...args: string[]) => runAsUser(['bin/sluice.js', ...args], project.root);

  beforeAll(async () => {
    project = await createTempProject();
  }, 60_000);
  afterAll(async () => {
    await project?.remove();
  });

  it('forks, changes, tests, runs: the web copy of a photo has the watermark in its corner', { timeout: 240_000 }, async () => {
    const root = project.root;

    // 1. Fork: what the page shows it prints.
    expect(section).toContain('```sh\nnpx sluice fork resize --as watermark\n```');
    const fork = await sluice('fork', 'resize', '--as', 'watermark');
    expect(fork.code, fork.stderr).toBe(0);
    expect(fork.stdout).toBe(block(/```sh\nnpx sluice fork resize --as watermark\n```\n\n```text\n([\s\S]*?)```/, 'fork output'));
    expect(await readFile(join(root, 'handlers/watermark/index.ts'), 'utf8')).toContain("export const watermarkHandler: HandlerDefinition<typeof watermarkSpec, 'object', 'object'> = {\n  name: 'watermark',");

    // 2. The changes: a new file, and the patch (applied with git apply, as the page says).
    await writeFile(join(root, 'handlers/watermark/stamp.ts'), block(/```ts handlers\/watermark\/stamp\.ts\n([\s\S]*?)```/, 'stamp.ts'));
    await writeFile(join(project.root, '..', 'watermark.patch'), block(/```diff\n([\s\S]*?)```/, 'patch'));
    const patched = await runProgram('git', ['apply', '--verbose', join(project.root, '..', 'watermark.patch')], root, process.env);
    expect(patched.code, patched.stderr).toBe(0);
    await writeFile(join(root, 'pipelines/watermarked.yml'), block(/```yaml pipelines\/watermarked\.yml\n([\s\S]*?)```/, 'pipeline'));
    await writeFile(join(root, 'pipelines/watermarked.test.yml'), block(/```yaml pipelines\/watermarked\.test\.yml\n([\s\S]*?)```/, 'pipeline test'));
    // The page's module step, type-checked with the fork below.
    await mkdir(join(root, 'pipelines/steps'), { recursive: true });
    await writeFile(join(root, 'pipelines/steps/stamp-rows.ts'), block(/```ts\n\/\/ pipelines\/steps\/stamp-rows\.ts\n([\s\S]*?)```/, 'module step'));

    // 3. npm run docs: the new option reaches the README table and the JSON Schema.
    const docs = await runAsUser(['--import', 'tsx', 'shared/workbench/docs/write-docs.ts'], root);
    expect(docs.code, docs.stderr).toBe(0);
    expect(docs.stdout).toContain('written     handlers/watermark/README.md');
    expect(docs.stdout).toContain('written     pipelines/pipeline.schema.json');
    expect(await readFile(join(root, 'handlers/watermark/README.md'), 'utf8')).toContain('Opacity of the band behind the text, 0-1.');
    const schema = JSON.parse(await readFile(join(root, 'pipelines/pipeline.schema.json'), 'utf8'));
    expect(schema.properties.steps.items.oneOf.map((branch: { title: string }) => branch.title)).toContain('watermark');

    const validate = await sluice('validate');
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('watermarked');

    // The fork keeps resize's pre-flight checks: a function too small for the images its step accepts is refused as with resize.
    const tooSmall = (step: string) =>
      `name: tiny-${step}\non: { bucket: uploads, prefix: tiny/ }\nsteps:\n  - ${step}:\n      variants: [{ name: web, width: 800 }]\n      limitInputPixels: 100000000\nto: { bucket: media, key: "tiny/{name}" }\nonError: { quarantine: { bucket: quarantine } }\nlambda: { memorySize: 512 }\n`;
    const refusals: string[] = [];
    for (const step of ['resize', 'watermark']) {
      await writeFile(join(root, 'pipelines/tiny.yml'), tooSmall(step));
      const refused = await sluice('validate');
      expect(refused.code, refused.stdout).toBe(1);
      refusals.push(refused.stderr.replace(step, 'STEP'));
    }
    await rm(join(root, 'pipelines/tiny.yml'));
    expect(refusals[0]).toMatch(/pipelines\/tiny\.yml:6:25: steps\[0\]\.STEP\.limitInputPixels: an image within the step's limits \(limitInputPixels 100000000, maxInputBytes 52428800\) can need about \d+ MB to resize, more than the function's 512 MB/);
    expect(refusals[1]).toBe(refusals[0]);
    const pipelineTests = await sluice('test');
    expect(pipelineTests.code, pipelineTests.stdout + pipelineTests.stderr).toBe(0);
    expect(pipelineTests.stdout).toContain('PASS pipelines/watermarked.test.yml: a photo gets a stamped web copy');

    // 4. The copy type-checks (with the change and the page's module step), and its tests pass unchanged.
    await writeFile(join(root, 'tsconfig.fork.json'), JSON.stringify({ extends: './tsconfig.json', include: ['handlers/watermark', 'pipelines/steps'] }));
    const tsc = await runAsUser(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.fork.json'], root);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    const tests = await runAsUser(['node_modules/vitest/vitest.mjs', 'run', 'handlers/watermark'], root);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/Test Files\s+\d+ passed \(\d+\)/);
    expect(tests.stdout).not.toContain('skipped');

    // 5. Run it on a real photo.
    const data = join(root, '.sluice');
    const run = await sluice('run', '--data', data, '--put', `uploads/photos=${photo}`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/watermarked +1 objects +1 +1 /);
    expect(run.stdout).toContain('watermarked steps: 1. watermark');

    const s3 = await startEmbeddedS3({ dataDir: data });
    let stamped: Awaited<ReturnType<typeof readObject>>;
    try {
      stamped = await readObject(s3.client, 'media', 'watermarked/Landscape_1/web.jpg');
    } finally {
      await s3.close();
    }
    expect(stamped.contentType).toBe('image/jpeg');
    expect(stamped.metadata).toMatchObject({ width: '800', height: '533', 'sluice-pipeline': 'watermarked' });

    // The same variant without a watermark, from the built-in resize: alike everywhere but the corner.
    const [plain] = await resizeImage(await readFile(photo), resizeSpec.parse({ variants: [{ name: 'web', width: 800, format: 'jpeg', quality: 85 }] }));
    const a = await pixels(stamped.body);
    const b = await pixels(plain!.data);
    expect([a.width, a.height]).toEqual([b.width, b.height]);
    const band = { width: Math.round(a.width * 0.4), height: Math.round(a.height * 0.1) };
    // Inside the band (a margin in from its edges, away from JPEG's blur of the edge).
    const inside = [a.width - band.width + 4, a.height - band.height + 4, band.width - 8, band.height - 8] as const;
    const stampedBand = a.region(...inside);
    const plainBand = b.region(...inside);
    // 60% black over the photo: most of the band keeps about 40% of its brightness (the text, where a font is installed, brightens a part of it).
    const ratios = stampedBand.map((pixel, index) => luma(pixel) / Math.max(1, luma(plainBand[index]!))).sort((x, y) => x - y);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(0.6);
    expect(stampedBand.filter((pixel, index) => luma(pixel) < luma(plainBand[index]!) - 2).length / stampedBand.length).toBeGreaterThan(0.6);
    // Away from the corner the two are the same picture (the stamped one encoded twice).
    const away = [0, 0, a.width - band.width - 16, a.height - band.height - 16] as const;
    const stampedRest = a.region(...away);
    const plainRest = b.region(...away);
    const meanDifference = stampedRest.reduce((sum, pixel, index) => sum + Math.abs(luma(pixel) - luma(plainRest[index]!)), 0) / stampedRest.length;
    expect(meanDifference).toBeLessThan(3);
  });
});

describe('sluice fork of the other built-in handlers', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = await createTempProject();
  }, 60_000);
  afterAll(async () => {
    await project?.remove();
  });

  it('gives copies that type-check and whose tests pass unchanged', { timeout: 240_000 }, async () => {
    for (const [from, to] of [
      ['sanitize', 'scrub'],
      ['aggregate', 'tally'],
    ] as const) {
      const fork = await runAsUser(['bin/sluice.js', 'fork', from, '--as', to], project.root);
      expect(fork.code, fork.stderr).toBe(0);
    }
    await writeFile(join(project.root, 'tsconfig.fork.json'), JSON.stringify({ extends: './tsconfig.json', include: ['handlers/scrub', 'handlers/tally'] }));
    const tsc = await runAsUser(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.fork.json'], project.root);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    const tests = await runAsUser(['node_modules/vitest/vitest.mjs', 'run', 'handlers/scrub', 'handlers/tally'], project.root);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/Test Files\s+\d+ passed \(\d+\)/);
    expect(tests.stdout).not.toContain('skipped');
  });
});
