import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The conformance tests (`*.corpus.test.ts`) read the public corpora kept beside the project
// (`../shared/corpora`). A clone without them runs every other test and says so; CI, which always
// has them, fails instead of skipping.
const corpora = resolve(import.meta.dirname, '../shared/corpora');
const skipCorpus = !existsSync(corpora) && !process.env.CI;
if (skipCorpus) console.warn(`note: ${corpora} not found: the *.corpus.test.ts conformance tests are skipped`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'handlers/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(skipCorpus ? ['**/*.corpus.test.ts'] : [])],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
