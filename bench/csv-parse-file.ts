/**
 * Bare csv-parse over one local file (columns from the header, rows counted): what parsing alone
 * costs. Run by the sanitize bench in its own process beside `sanitize-file.ts`, bundled the same
 * way, and printed as one JSON line.
 */
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse';

const file = process.argv[2];
if (file) {
  const started = performance.now();
  let rows = 0;
  for await (const _ of createReadStream(file).pipe(parse({ columns: true }))) rows++;
  console.log(JSON.stringify({ rows, ms: performance.now() - started }));
}
