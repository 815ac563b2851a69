import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsUser, runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';
import type { TempProject } from '../../support/temp-project.ts';
import { createTempProject } from '../../support/temp-project.ts';

/** Whatever the shell running the tests holds: the salt is not set. */
const unset = { SLUICE_PII_SALT: '' };

describe('a pipeline that reads a secret from the environment, when it is not set', () => {
  it('is a warning of sluice validate at the env: of the option, with how to set it', async () => {
    const result = await runSluice(['validate'], repoRoot, unset);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('3 pipeline(s) valid: orders-ingest, revenue, thumbnails; 3 bucket(s) and 2 table(s) declared; 1 warning(s)\n');
    expect(result.stderr).toBe(
      'pipelines/orders-ingest.yml:28:20: warning: steps[0].sanitize.salt.env: SLUICE_PII_SALT is not set in this environment: orders-ingest needs it, and quarantines what it processes without it; ' +
        'for a local run, npm start and npm run dev set it from pipelines/samples/demo.env; or export SLUICE_PII_SALT=... before starting, or put SLUICE_PII_SALT=... in a file and start with node --env-file=FILE bin/sluice.js dev; ' +
        "on Lambda, it comes from the function's environment (custom.sluice.environment in serverless.yml)\n",
    );
    const set = await runSluice(['validate'], repoRoot, { SLUICE_PII_SALT: 'a-salt-of-more-than-16-characters' });
    expect([set.code, set.stderr, set.stdout]).toEqual([0, '', '3 pipeline(s) valid: orders-ingest, revenue, thumbnails; 3 bucket(s) and 2 table(s) declared\n']);
  });

  it('is named when sluice run starts, and the object it quarantines for want of it says how to set it for a local run', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'sluice-secret-'));
    const csv = join(repoRoot, 'pipelines', 'samples', 'uploads', 'orders', 'orders-2026-11-29.csv');
    const result = await runSluice(['run', '--pipelines', join(repoRoot, 'pipelines'), '--put', `uploads/orders/=${csv}`], cwd, unset);
    expect(result.code).toBe(0);
    const demoEnv = relative(cwd, join(repoRoot, 'pipelines', 'samples', 'demo.env'));
    const script = relative(cwd, join(repoRoot, 'bin', 'sluice.js'));
    const local = `for a local run, npm start and npm run dev set it from ${demoEnv}; or export SLUICE_PII_SALT=... before starting, or put SLUICE_PII_SALT=... in a file and start with node --env-file=FILE ${script}`;
    expect(result.stderr).toBe(
      `warning: SLUICE_PII_SALT is not set: orders-ingest needs it (steps[0].sanitize.salt.env), and quarantines what it processes without it; ${local} run; on Lambda, it comes from the function's environment (custom.sluice.environment in serverless.yml)\n`,
    );
    expect(result.stdout).toContain(
      `  quarantined uploads/orders/orders-2026-11-29.csv: step 1 (sanitize): salt: the environment variable SLUICE_PII_SALT is not set; pii: hash needs it (a secret of at least 16 characters) (${local} dev)\n`,
    );
  });
});

describe('a fork of a handler with an { env: NAME } option', () => {
  let project: TempProject;

  beforeAll(async () => {
    project = await createTempProject();
  }, 60_000);
  afterAll(async () => {
    await project?.remove();
  });

  it('keeps the warning: the secret is found from the config, not from the handler\'s name', async () => {
    const forked = await runAsUser(['bin/sluice.js', 'fork', 'sanitize', '--as', 'scrub'], project.root);
    expect(forked.code, forked.stderr).toBe(0);
    await writeFile(
      join(project.root, 'pipelines', 'scrubbed.yml'),
      `name: scrubbed
on: { bucket: uploads, prefix: scrub/, suffix: [.csv] }
steps:
  - scrub:
      columns: { email: { type: email, pii: hash } }
      salt: { env: SCRUB_SALT }
to: { bucket: media, key: "scrub/{stem}.csv" }
onError: { quarantine: { bucket: quarantine } }
`,
    );
    const result = await runAsUser(['bin/sluice.js', 'validate'], project.root);
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stderr.trimEnd().split('\n');
    expect(warnings.map((line) => line.split(': ').slice(0, 4).join(': '))).toEqual([
      'pipelines/orders-ingest.yml:28:20: warning: steps[0].sanitize.salt.env: SLUICE_PII_SALT is not set in this environment',
      'pipelines/scrubbed.yml:6:20: warning: steps[0].scrub.salt.env: SCRUB_SALT is not set in this environment',
    ]);
    // No script of the project sets SCRUB_SALT: only the ways that always work.
    expect(warnings[1]).toContain(': scrubbed needs it, and quarantines what it processes without it; for a local run, export SCRUB_SALT=... before starting, or put SCRUB_SALT=... in a file and start with node --env-file=FILE bin/sluice.js dev;');
  }, 120_000);
});
