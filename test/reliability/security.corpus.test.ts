import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSluice, sluiceBin } from '../support/cli.ts';
import type { CliResult } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';
import { SALT, env, pipelinesDir, writeWorkload } from './workload.ts';

/** The TCP sockets a process listens on, as `address:port` (from /proc, whatever the process is). */
async function listeningSockets(pid: number): Promise<string[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]!);
  }
  const sockets: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const lines = (await readFile(`/proc/${pid}/net/${table}`, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (state !== '0A' || !inodes.has(inode!)) continue; // 0A: LISTEN
      const [hex, port] = local!.split(':');
      const address = table === 'tcp' ? hex!.match(/../g)!.reverse().map((byte) => parseInt(byte, 16)).join('.') : hex === '00000000000000000000000001000000' ? '::1' : hex === '00000000000000000000000000000000' ? '::' : `ipv6:${hex}`;
      sockets.push(`${address}:${parseInt(port!, 16)}`);
    }
  }
  return sockets.sort();
}

describe('the embedded servers listen on 127.0.0.1 only', () => {
  it('sluice dev: every listening socket of the process is on the loopback address', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-listen-'));
    const child = spawn(process.execPath, [sluiceBin, 'dev', '--s3-port', '0', '--dynamodb-port', '0', '--ui-port', '0', '--data', join(dir, 'data'), '--pipelines', pipelinesDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((ready, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (/DynamoDB/i.test(stdout) && /S3/.test(stdout)) ready();
        });
        child.on('exit', (code) => fail(new Error(`sluice dev exited (${code}): ${stdout}${stderr}`)));
      });
      const sockets = await listeningSockets(child.pid!);
      // S3, the DynamoDB front server and dynalite behind it.
      expect(sockets.length).toBeGreaterThanOrEqual(3);
      for (const socket of sockets) expect(socket).toMatch(/^127\.0\.0\.1:\d+$/);
    } finally {
      child.kill('SIGINT');
      await new Promise((done) => child.once('close', done));
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('no raw PII value and no secret in what a run prints or records', () => {
  let dir: string;
  let run: CliResult;
  let recorded: string;
  let input: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-pii-'));
    const putArgs = await writeWorkload(join(dir, 'work'), 99);
    const ordersOnly = putArgs.filter((arg, index) => arg.startsWith('uploads/orders=') || (arg === '--put' && putArgs[index + 1]!.startsWith('uploads/orders=')));
    // The most verbose logging there is: every object, batch and step at trace level.
    run = await runSluice(['run', '-v', '--data', join(dir, 'data'), '--pipelines', pipelinesDir, ...ordersOnly], dir, { ...env, SLUICE_LOG_LEVEL: 'trace' });
    recorded = await readFile(join(dir, 'data', 'runs', 'last.json'), 'utf8');
    const csvs = [...(await readdir(join(dir, 'work', 'orders'))).map((name) => join(dir, 'work', 'orders', name)), join(repoRoot, 'pipelines', 'samples', 'uploads', 'orders', 'orders-2026-11-29.csv')];
    input = (await Promise.all(csvs.map((file) => readFile(file, 'utf8')))).join('\n');
  }, 120_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  /** Every e-mail address, phone number (as written in the phone column) and card number in the input. */
  function rawValues(): string[] {
    const emails = input.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? [];
    const phones = input.split('\n').slice(1).map((line) => line.split(',')[2] ?? '').filter((phone) => /\d{4}/.test(phone));
    const cards = (input.match(/\b(?:\d[ -]?){13,19}\b/g) ?? []).flatMap((card) => [card.trim(), card.replace(/\D/g, '')]);
    return [...new Set([...emails, ...emails.map((email) => email.trim().toLowerCase()), ...phones.map((phone) => phone.trim()), ...cards])].filter((value) => value.length >= 7);
  }

  it('the run logged at trace level and processed the PII columns', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    expect(run.stdout).toMatch(/orders-ingest\s+5 objects\s+5/);
    expect(rawValues().length).toBeGreaterThan(150);
  });

  it('no e-mail, phone or card number from the input appears in stdout, stderr or the recorded run', () => {
    const printed = `${run.stdout}\n${run.stderr}\n${recorded}`;
    const leaked = rawValues().filter((value) => printed.includes(value));
    expect(leaked).toEqual([]);
  });

  it('the hashing salt, from the environment, is never printed', () => {
    expect(`${run.stdout}\n${run.stderr}\n${recorded}`).not.toContain(SALT);
  });

  it('a salt too short is refused naming the variable, not its value', async () => {
    const weak = 'short-salt';
    const result = await runSluice(['run', '--data', join(dir, 'weak'), '--pipelines', pipelinesDir, '--put', `uploads/orders=${join(repoRoot, 'pipelines', 'samples', 'uploads', 'orders', 'orders-2026-11-29.csv')}`], dir, { SLUICE_PII_SALT: weak });
    expect(result.stdout).toContain('the environment variable SLUICE_PII_SALT holds fewer than 16 characters');
    expect(`${result.stdout}\n${result.stderr}`).not.toContain(weak);
  });
});
