import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The conformance tests (`*.corpus.test.ts`) read the public corpora kept beside the project
// (`../shared/corpora`). A clone without them runs every other test and says so; CI, which always
// has them, fails instead of skipping.
const corpora = resolve(import.meta.dirname, '../shared/corpora');
const skipCorpus = !existsSync(corpora) && !process.env.CI;
if (skipCorpus) console.warn(`note: ${corpora} not found: the *.corpus.test.ts conformance tests are skipped`);

const ALL = ['test/**/*.test.ts', 'handlers/**/*.test.ts'];
const EXCLUDED = ['**/node_modules/**', ...(skipCorpus ? ['**/*.corpus.test.ts'] : [])];

/**
 * The slow tier: what runs whole commands in child processes (the CLI, `serverless`, a browser,
 * crash and load tests), and the long concurrency test of the embedded DynamoDB. `npm test` runs both tiers; `npm run test:fast` the fast one alone (unit,
 * conformance and pipeline tests), for the inner loop.
 */
const SLOW = ['test/e2e/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/workbench/deploy/**/*.test.ts', 'test/workbench/cli/**/*.test.ts', 'test/events/*/cli.test.ts', 'test/workbench/embedded-dynamodb/concurrent-reads.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'fast', include: ALL, exclude: [...EXCLUDED, ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW, exclude: EXCLUDED } },
    ],
  },
});
