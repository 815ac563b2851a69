/**
 * The sanitize step of the shipped orders-ingest pipeline over one local file, rows counted and
 * dropped: run in-process by the sanitize bench, and as a script (`node --import tsx
 * bench/sanitize-file.ts FILE`) for a clean peak-memory reading, printed as one JSON line.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { builtInHandlers } from '../shared/handlers/registry.ts';
import type { Item } from '../shared/handlers/types.ts';
import { createSilentLogger } from '../shared/log/logger.ts';
import { loadPipelineFile } from '../shared/pipeline/load.ts';
import { peakRssKiB } from './peak-memory.ts';

const root = join(import.meta.dirname, '..');

export async function runSanitizeFile(path: string): Promise<{ rows: number; rejected: number }> {
  const pipeline = await loadPipelineFile(join(root, 'pipelines', 'orders-ingest.yml'));
  const step = pipeline.steps[0]!;
  const run = builtInHandlers.get(step.handler)!.createStep(step.config);
  process.env.SLUICE_PII_SALT ??= 'bench-salt-of-sixteen-chars-or-more';
  async function* source(): AsyncIterable<Item> {
    yield { kind: 'object', body: createReadStream(path), contentType: 'text/csv' };
  }
  let rows = 0;
  let rejected = 0;
  for await (const item of run(source(), { pipeline: pipeline.name, source: { bucket: 'uploads', key: 'orders/bench.csv', eTag: 'bench' }, logger: createSilentLogger() })) {
    if (item.kind === 'rejected') rejected++;
    else rows++;
  }
  return { rows, rejected };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const counts = await runSanitizeFile(process.argv[2]!);
  console.log(JSON.stringify({ ...counts, maxRssMb: (await peakRssKiB()) / 1024 }));
}
