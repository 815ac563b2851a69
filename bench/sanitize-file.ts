/**
 * The sanitize step of the shipped orders-ingest pipeline over one local file, rows counted and
 * dropped. Run by the sanitize bench as a script in its own process, for a clean time and
 * peak-memory reading printed as one JSON line: `node --import tsx bench/sanitize-file.ts FILE`
 * (as `sluice run` runs it), or bundled with esbuild as a deployed function is. It imports the
 * sanitize handler alone, as orders-ingest's bundle does: no sharp, no pipeline loader.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { sanitizeHandler, sanitizeSpec } from '../handlers/sanitize/index.ts';
import type { ObjectItem } from '../shared/contract/handler.ts';
import { createSilentLogger } from '../shared/contract/logger.ts';
import { peakRssKiB } from './peak-memory.ts';

export interface SanitizeFileResult {
  rows: number;
  rejected: number;
  ms: number;
  maxRssMb: number;
}

async function ordersIngestConfig(pipelineFile: string) {
  const pipeline = parse(await readFile(pipelineFile, 'utf8')) as { steps: [{ sanitize: unknown }] };
  return sanitizeSpec.parse(pipeline.steps[0].sanitize);
}

export async function runSanitizeFile(path: string, pipelineFile: string): Promise<SanitizeFileResult> {
  const run = sanitizeHandler.createStep(await ordersIngestConfig(pipelineFile), sanitizeHandler.lambda!);
  process.env.SLUICE_PII_SALT ??= 'bench-salt-of-sixteen-chars-or-more';
  async function* source(): AsyncIterable<ObjectItem> {
    yield { kind: 'object', body: createReadStream(path), contentType: 'text/csv' };
  }
  let rows = 0;
  let rejected = 0;
  const started = performance.now();
  const context = { pipeline: 'orders-ingest', source: { bucket: 'uploads', key: 'orders/bench.csv', eTag: 'bench' }, logger: createSilentLogger() };
  for await (const item of run(source(), context)) {
    if (item.kind === 'rejected') rejected++;
    else rows++;
  }
  const ms = performance.now() - started;
  return { rows, rejected, ms, maxRssMb: (await peakRssKiB()) / 1024 };
}

// argv: FILE [PIPELINE_FILE]; the pipeline defaults to the shipped orders-ingest.yml.
const [, script, file, pipelineFile] = process.argv;
if (script && file && /sanitize-file\.(ts|mjs)$/.test(script)) {
  const pipeline = pipelineFile ?? join(import.meta.dirname, '..', 'pipelines', 'orders-ingest.yml');
  console.log(JSON.stringify(await runSanitizeFile(file, pipeline)));
}
