import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export const sluiceBin = join(repoRoot, 'bin', 'sluice.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program as a child process in `cwd` with exactly `env`, collecting its output. */
export function runProgram(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a Node.js script as a child process in `cwd`, with `env` over this process's environment, collecting its output. */
export function runNodeScript(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProgram(process.execPath, [script, ...args], cwd, { ...process.env, ...env });
}

/**
 * Runs `node ARGS` in a user's project as the user would: without this test runner's own
 * environment (a vitest run inside it would take itself for a worker) and without colours.
 */
export function runAsUser(args: string[], cwd: string): Promise<CliResult> {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && !['NODE_ENV', 'TEST', 'FORCE_COLOR'].includes(name));
  return runProgram(process.execPath, args, cwd, { ...Object.fromEntries(inherited), NO_COLOR: '1' });
}

/** Runs the `sluice` command as a user would, in `cwd`. */
export function runSluice(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNodeScript(sluiceBin, args, cwd, env);
}
