// `npm run bench`: every benchmark, one after another, then their figures to docs/bench.md. Kept out of `npm test`.
import { join } from 'node:path';
import { writeFigures } from './figures.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import('./resize-pipeline.bench.ts');
await import('./aggregate.bench.ts');
await import('./sanitize.bench.ts');
await import('./bundle.bench.ts');
await import('./load.bench.ts');
console.log(`\nfigures written to ${await writeFigures(join(import.meta.dirname, '..'))}`);
