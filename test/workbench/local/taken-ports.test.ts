import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

/** Something else holding a port on 127.0.0.1, as another program would. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('a port that is already taken', () => {
  let sandbox: string;
  let held: { port: number; server: Server };

  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'sluice-ports-'));
    held = await holdPort();
  });
  afterAll(async () => {
    await new Promise((resolve) => held.server.close(resolve));
    await rm(sandbox, { recursive: true, force: true });
  });

  it('is refused by the embedded S3 server with a message naming it, not an unhandled error', async () => {
    const failure = await startEmbeddedS3({ dataDir: join(sandbox, 'in-process'), port: held.port }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'PORT_IN_USE', message: `port ${held.port} on 127.0.0.1 is in use: choose another for the S3 endpoint (--s3-port N)` });
  });

  it.each([
    ['S3', ['run', '--s3-port'], 'the S3 endpoint (--s3-port N)'],
    ['DynamoDB', ['run', '--dynamodb-port'], 'the DynamoDB endpoint (--dynamodb-port N)'],
    // The other servers of `dev` on any free port: the defaults may be taken on this machine.
    ['dashboard', ['dev', '--s3-port', '0', '--dynamodb-port', '0', '--ui-port'], 'the dashboard (--ui-port N)'],
  ])('gets the same one-line message for the %s port, and the command exits 1', async (_name, args, what) => {
    const cwd = await mkdtemp(join(sandbox, 'cli-'));
    const result = await runSluice([...args, String(held.port), '--pipelines', join(repoRoot, 'pipelines'), '--data', join(cwd, '.sluice')], cwd);
    expect(result.stderr).toBe(`sluice: port ${held.port} on 127.0.0.1 is in use: choose another for ${what}\n`);
    expect(result.code).toBe(1);
  });
});
