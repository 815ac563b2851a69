import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * While `sluice run` or `sluice dev` holds the stores, other commands (`sluice scan`) must go
 * through its endpoints: the table store on disk can be opened by one process at a time.
 */
export interface RunningEndpoints {
  pid: number;
  s3: string;
  dynamodb: string;
}

const fileIn = (dataDir: string) => join(dataDir, 'endpoints.json');

export function writeEndpoints(dataDir: string, endpoints: Omit<RunningEndpoints, 'pid'>): void {
  writeFileSync(fileIn(dataDir), `${JSON.stringify({ pid: process.pid, ...endpoints }, null, 2)}\n`);
}

export function removeEndpoints(dataDir: string): void {
  rmSync(fileIn(dataDir), { force: true });
}

/** The endpoints of a live process holding `dataDir`, or undefined (none, or it died without cleaning up). */
export function readRunningEndpoints(dataDir: string): RunningEndpoints | undefined {
  let endpoints: RunningEndpoints;
  try {
    endpoints = JSON.parse(readFileSync(fileIn(dataDir), 'utf8')) as RunningEndpoints;
  } catch {
    return undefined;
  }
  try {
    process.kill(endpoints.pid, 0);
    return endpoints;
  } catch {
    return undefined;
  }
}
