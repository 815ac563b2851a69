import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { loadProject } from '../../../shared/workbench/project/load-project.ts';
import { formatPreflightIssue, preflightIssues } from '../../../shared/workbench/checks/preflight.ts';
import { resizeHandler } from '../../../handlers/resize/index.ts';
import type { ResizeConfig } from '../../../handlers/resize/index.ts';
import { effectivePixelLimit, neededMb, resizeMemory } from '../../../handlers/resize/memory.ts';
import type { Pipeline } from '../../../shared/engine/pipeline/schema.ts';
import { repoRoot } from '../../support/paths.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

function pipelineOf(text: string): Pipeline {
  const { pipeline, issues } = parsePipeline(text, 'p.yml', builtInHandlers);
  expect(issues).toEqual([]);
  return pipeline!;
}

const preflight = (text: string) => preflightIssues({ pipelines: [pipelineOf(text)] }).map(formatPreflightIssue);

/** A thumbnail and a width-only webp, with `extra` under the step and `tail` at the end of the file. */
const resizePipeline = (extra: string, tail = '') => `name: shots
on: { bucket: uploads, prefix: in/ }
steps:
  - resize:
      variants:
        - { name: thumb, width: 200, height: 200, format: webp }
        - { name: big, width: 1600, format: webp }
${extra}to: { bucket: media, key: "{stem}/{variant}.{ext}" }
onError: { quarantine: { bucket: quarantine } }
${tail}`;

const tablePipeline = (trigger: string) => `name: totals
on:
${trigger}steps:
  - aggregate: { groupBy: [currency], metrics: [{ op: count, as: orders }] }
to: { table: totals }
onError: { quarantine: { bucket: quarantine } }
`;

describe('resize memory estimate', () => {
  it('counts the runtime, the source bytes, the decoded pixels and each variant by its format and bounds', () => {
    const memory = resizeMemory({
      maxInputBytes: 1024 * 1024,
      variants: [
        { name: 'thumb', width: 100, height: 100, fit: 'cover', format: 'jpeg' },
        { name: 'strip', width: 100, height: 100, fit: 'outside', format: 'png' },
        { name: 'wide', width: 800, fit: 'cover', format: 'source' },
      ] as Parameters<typeof resizeMemory>[0]['variants'],
    });
    // 128 MB runtime + 1 MB source + 100 x 100 pixels x 5 bytes (jpeg); per pixel: 4 decoded + 3 (png, unbounded) + 32 (source: up to avif).
    expect(memory.fixedBytes).toBe(129 * 1024 * 1024 + 100 * 100 * 5);
    expect(memory.bytesPerPixel).toBe(4 + 3 + 32);
    expect(memory.variants.map((variant) => variant.bounded)).toEqual([true, false, false]);
    expect(neededMb(memory, 1024 * 1024)).toBeCloseTo(129 + (100 * 100 * 5) / 1024 / 1024 + 39, 6);
  });
});

describe('preflightIssues', () => {
  it('accepts a resize step whose largest image fits in the function', () => {
    expect(preflight(resizePipeline('      limitInputPixels: 100000000\n'))).toEqual([]);
  });

  it('refuses a pixel limit whose images could not be resized in the memory, and says what to set', () => {
    expect(preflight(resizePipeline('      limitInputPixels: 120000000\n'))).toEqual([
      "p.yml:8:25: steps[0].resize.limitInputPixels: an image within the step's limits (limitInputPixels 120000000, maxInputBytes 52428800) can need about 1552 MB to resize, more than the function's 1536 MB: it would run out of memory and be retried, never quarantined (runtime 128 MB, source 50 MB, decoded pixels 458 MB, variants: thumb under 1 MB, big 916 MB; big keeps the source's shape (a side left out, or fit: outside), so can be as large as the source); set limitInputPixels to at most 118000000, or lambda.memorySize to at least 1600",
    ]);
    // The fixes it names pass.
    expect(preflight(resizePipeline('      limitInputPixels: 118000000\n'))).toEqual([]);
    expect(preflight(resizePipeline('      limitInputPixels: 120000000\n', 'lambda: { memorySize: 1600 }\n'))).toEqual([]);
  });

  it("lets the smallest resize pipeline through: without limitInputPixels, the limit is what the function's memory can resize", () => {
    const smallest = 'name: shots\non: { bucket: uploads }\nsteps:\n  - resize: { variants: [{ name: thumb, width: 200 }] }\nto: { bucket: media }\nonError: { quarantine: { bucket: quarantine } }\n';
    expect(preflight(smallest)).toEqual([]);
    // The limit it gets: format source counts as avif at worst, 36 bytes a pixel with the decoded source, in 1536 MB less 178 MB.
    const config = pipelineOf(smallest).steps[0]!.config as ResizeConfig;
    expect(effectivePixelLimit(config, 1536)).toBe(Math.floor(((1536 - 128) * 1024 * 1024 - 52428800) / 36));
    // The spec's description quotes the limit of one 1600-pixel-wide webp variant in the default memory.
    expect(resizeHandler.spec.shape.limitInputPixels.description).toContain(`${Math.floor(effectivePixelLimit({ variants: [{ width: 1600, format: 'webp' }] as ResizeConfig['variants'], maxInputBytes: 52428800 }, 1536) / 1e6)} million pixels`);
  });

  it('warns when the memory leaves a default limit under a phone photo, and says what memory takes one', () => {
    const small = 'name: shots\non: { bucket: uploads }\nsteps:\n  - resize: { variants: [{ name: thumb, width: 200 }] }\nto: { bucket: media }\nonError: { quarantine: { bucket: quarantine } }\nlambda: { memorySize: 512 }\n';
    expect(preflight(small)).toEqual([
      "p.yml:4:13: warning: steps[0].resize.limitInputPixels: not set, so images of up to 9728455 pixels, the most the function's 512 MB can resize with these variants: photos from common phones (12 megapixels) would be quarantined as too large; set lambda.memorySize to at least 640 to take them, or limitInputPixels to make the limit explicit",
    ]);
    // Below what even the source's bytes need, it is an error at maxInputBytes.
    expect(preflight(small.replace('memorySize: 512', 'memorySize: 128'))).toEqual([
      expect.stringMatching(/^p\.yml:4:13: steps\[0\]\.resize\.maxInputBytes: an image within the step's limits \(limitInputPixels not set, maxInputBytes 52428800\) can need about 179 MB to resize, more than the function's 128 MB/),
    ]);
  });

  it('bounds a variant with both sides, so only the decoded source grows with the pixel limit', () => {
    const text = resizePipeline('      limitInputPixels: 300000000\n').replace('{ name: big, width: 1600, format: webp }', '{ name: big, width: 1600, height: 1600, fit: inside, format: webp }');
    expect(preflight(text)).toEqual([]);
  });

  it('points at maxInputBytes when the source alone leaves no room', () => {
    expect(preflight(resizePipeline('      limitInputPixels: 1000000\n      maxInputBytes: 2000000000\n'))).toEqual([
      "p.yml:9:22: steps[0].resize.maxInputBytes: an image within the step's limits (limitInputPixels 1000000, maxInputBytes 2000000000) can need about 2048 MB to resize, more than the function's 1536 MB: it would run out of memory and be retried, never quarantined (runtime 128 MB, source 1907 MB, decoded pixels 4 MB, variants: thumb under 1 MB, big 8 MB; big keeps the source's shape (a side left out, or fit: outside), so can be as large as the source); set maxInputBytes to at most 1460000000, or lambda.memorySize to at least 2048",
    ]);
  });

  it('says when no memory size is enough', () => {
    const [issue] = preflight(resizePipeline('      limitInputPixels: 900000000\n'));
    expect(issue).toMatch(/; set limitInputPixels to at most 118000000$/);
  });

  it('refuses a per-image timeout that leaves the function no time to quarantine the image', () => {
    expect(preflight(resizePipeline('      limitInputPixels: 1000000\n      timeoutSeconds: 55\n'))).toEqual([
      "p.yml:9:23: steps[0].resize.timeoutSeconds: an image may take 55 s (timeoutSeconds) in a function that stops at 60 s (its timeout), which leaves less than the 10 s needed to read the source and write the variants or the quarantine: Lambda would stop a slow image's invocation before it is quarantined, and retry it; set lambda.timeout to at least 65, or timeoutSeconds to at most 50",
    ]);
    expect(preflight(resizePipeline('      limitInputPixels: 1000000\n      timeoutSeconds: 55\n', 'lambda: { timeout: 65 }\n'))).toEqual([]);
    expect(preflight(resizePipeline('      limitInputPixels: 1000000\n', 'lambda: { timeout: 15 }\n'))).toEqual([
      "p.yml:5:7: steps[0].resize.timeoutSeconds: an image may take 30 s (timeoutSeconds) in a function that stops at 15 s (its timeout), which leaves less than the 10 s needed to read the source and write the variants or the quarantine: Lambda would stop a slow image's invocation before it is quarantined, and retry it; set lambda.timeout to at least 40, or timeoutSeconds to at most 5",
    ]);
  });

  it('warns about stream settings left to defaults that differ between tools or hold a shard back', () => {
    expect(preflight(tablePipeline('  table: orders\n  startingPosition: LATEST\n'))).toEqual([
      "p.yml:3:3: warning: on.batchSize: not set, so batches of up to 100 records, Lambda's default, which Sluice deploys; Serverless Framework v3 and osls default to 10: write batchSize: 100 to make it explicit",
      "p.yml:3:3: warning: on.retries: not set, nor maxRecordAge: a batch that keeps failing is retried until its records leave the stream (24 hours), holding back every later change to orders meanwhile (Lambda's default, -1); write retries: -1 to keep that, or the number of retries after which a batch goes to the quarantine",
    ]);
    expect(preflight(tablePipeline('  table: orders\n  startingPosition: LATEST\n  batchSize: 100\n  maxRecordAge: 3600\n'))).toEqual([]);
    expect(preflight(tablePipeline('  table: orders\n  startingPosition: LATEST\n  batchSize: 10\n  retries: -1\n'))).toEqual([]);
  });

  it('finds no error in the shipped pipelines', async () => {
    const project = await loadProject(join(repoRoot, 'pipelines'));
    expect(preflightIssues(project).filter((issue) => issue.severity === 'error').map(formatPreflightIssue)).toEqual([]);
  });
});
