import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSluice } from '../../support/cli.ts';

const resources = `buckets: { uploads: {}, media: {}, quarantine: {} }
tables:
  orders: { partitionKey: { name: id, type: S }, stream: NEW_AND_OLD_IMAGES }
  totals: { partitionKey: { name: currency, type: S } }
`;

const totals = `name: totals
on: { table: orders, startingPosition: LATEST }
steps:
  - aggregate: { groupBy: [currency], metrics: [{ op: count, as: orders }] }
to: { table: totals }
onError: { quarantine: { bucket: quarantine } }
`;

const shots = `name: shots
on: { bucket: uploads }
steps:
  - resize:
      variants: [{ name: big, width: 1600, format: webp }]
      limitInputPixels: 120000000
to: { bucket: media, key: "{stem}/{variant}.{ext}" }
onError: { quarantine: { bucket: quarantine } }
`;

describe('sluice validate: pre-flight checks', () => {
  it('prints warnings as file:line:column: warning: and exits 0 when there are only warnings, 1 with an error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-preflight-'));
    await writeFile(join(dir, 'resources.yml'), resources);
    await writeFile(join(dir, 'totals.yml'), totals);
    const warned = await runSluice(['validate', '.'], dir);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toBe('1 pipeline(s) valid: totals; 3 bucket(s) and 2 table(s) declared; 2 warning(s)\n');
    const warnings = warned.stderr.trimEnd().split('\n');
    expect(warnings.map((line) => line.split(': ').slice(0, 3).join(': '))).toEqual(['totals.yml:2:5: warning: on.batchSize', 'totals.yml:2:5: warning: on.retries']);

    await writeFile(join(dir, 'shots.yml'), shots);
    const failed = await runSluice(['validate', '.'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    const lines = failed.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^shots\.yml:6:25: steps\[0\]\.resize\.limitInputPixels: an image within the step's limits \(limitInputPixels 120000000, maxInputBytes 52428800\) can need about \d+ MB to resize, more than the function's 1536 MB: /);
    expect(lines[3]).toBe('1 problem(s) found, 2 warning(s)');
  });
});
