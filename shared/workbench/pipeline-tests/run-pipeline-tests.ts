import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import mime from 'mime';
import { ConfigError } from '../../contract/errors.ts';
import type { ConfigIssue } from '../../contract/errors.ts';
import type { HandlerRegistry } from '../../engine/registry.ts';
import type { Logger } from '../../contract/logger.ts';
import { createSilentLogger } from '../../contract/logger.ts';
import { TEST_FILE_SUFFIX, loadProject } from '../project/load-project.ts';
import { startLocalRuntime } from '../local/local-runtime.ts';
import { putObject } from '../../engine/runtime/object-io.ts';
import { applyWrites } from './apply-writes.ts';
import type { CaseOutcome } from './check-expectations.ts';
import { checkExpectations } from './check-expectations.ts';
import type { LoadedTestFile } from './load-test-file.ts';
import { parseTestFile } from './load-test-file.ts';

export interface CaseResult {
  file: string;
  pipeline: string;
  name: string;
  passed: boolean;
  /** What differed, one message each; empty when the case passed. */
  failures: string[];
  durationMs: number;
}

export interface PipelineTestsResult {
  cases: CaseResult[];
  passed: number;
  failed: number;
}

export interface RunPipelineTestsOptions {
  logger?: Logger;
  registry?: HandlerRegistry;
  /** Paths in messages are shown relative to it. */
  displayRoot?: string;
  /** Called as each case finishes, so a command can print as it goes. */
  onCase?(result: CaseResult): void;
}

/** Reads and validates every `*.test.yml` in `dir`; all problems of all files in one ConfigError. */
async function loadTestFiles(dir: string, registry: HandlerRegistry | undefined, displayRoot: string): Promise<LoadedTestFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(TEST_FILE_SUFFIX)).sort();
  } catch (error) {
    throw new ConfigError([{ file: relative(displayRoot, dir) || dir, line: 1, column: 1, path: '', message: `cannot read the pipelines folder: ${(error as Error).message}` }]);
  }
  if (!names.length) return [];
  const project = await loadProject(dir, registry, displayRoot);
  const loaded: LoadedTestFile[] = [];
  const issues: ConfigIssue[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const parsed = await parseTestFile(await readFile(path, 'utf8'), relative(displayRoot, path) || path, path, project);
    issues.push(...parsed.issues);
    if (parsed.testFile) loaded.push(parsed.testFile);
  }
  if (issues.length) throw new ConfigError(issues);
  return loaded;
}

/** One case on a fresh, empty store, so that cases cannot see each other's objects, items or stream records. */
async function runCase(dir: string, testFile: LoadedTestFile, index: number, options: Required<Pick<RunPipelineTestsOptions, 'logger'>> & Pick<RunPipelineTestsOptions, 'registry'>): Promise<string[]> {
  const testCase = testFile.cases[index]!;
  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-test-'));
  const outcome: CaseOutcome = { results: [], failures: [], batches: [] };
  try {
    const runtime = await startLocalRuntime({
      dataDir,
      pipelinesDir: dir,
      logger: options.logger,
      ...(options.registry ? { registry: options.registry } : {}),
      onResult: (result) => outcome.results.push(result),
      onBatch: (batch) => outcome.batches.push(batch),
      onFailure: (failure) => outcome.failures.push(failure),
    });
    try {
      for (const [p, put] of testCase.put.entries()) {
        const file = testFile.uploads[index]![p]!;
        await putObject(runtime.s3.client, { bucket: put.bucket, key: put.key, body: createReadStream(file), contentType: mime.getType(file) ?? 'application/octet-stream' });
      }
      const refused = await applyWrites(runtime.dynamodb.client, testCase.write);
      await runtime.idle();
      // What follows a refused write was never applied: comparing would only list its consequences.
      if (refused) return [refused];
      const stores = { s3: runtime.s3.client, dynamodb: runtime.dynamodb.client, pipelines: runtime.pipelines, resources: runtime.resources };
      return await checkExpectations(stores, testFile.pipeline, testCase, outcome);
    } finally {
      await runtime.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Runs the pipeline tests in `dir` (every `<name>.test.yml` beside the pipelines): each case
 * uploads its objects and applies its table writes on the local runtime, waits until every
 * triggered pipeline (through buckets and table streams) is done, and compares what was written
 * and quarantined with what it expects.
 */
export async function runPipelineTests(dir: string, options: RunPipelineTestsOptions = {}): Promise<PipelineTestsResult> {
  const registry = options.registry;
  const logger = options.logger ?? createSilentLogger();
  const testFiles = await loadTestFiles(dir, registry, options.displayRoot ?? process.cwd());
  const cases: CaseResult[] = [];
  for (const testFile of testFiles) {
    const saved = Object.fromEntries(Object.keys(testFile.env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, testFile.env);
    try {
      for (const [index, testCase] of testFile.cases.entries()) {
        const started = performance.now();
        const failures = await runCase(dir, testFile, index, { logger, ...(registry ? { registry } : {}) });
        const result = { file: testFile.file, pipeline: testFile.pipeline.name, name: testCase.name, passed: failures.length === 0, failures, durationMs: performance.now() - started };
        cases.push(result);
        options.onCase?.(result);
      }
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }
  const passed = cases.filter((c) => c.passed).length;
  return { cases, passed, failed: cases.length - passed };
}
