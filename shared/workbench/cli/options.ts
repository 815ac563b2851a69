import { resolve } from 'node:path';
import { pino } from 'pino';
import { InvalidArgumentError } from 'commander';
import type { Logger } from '../../contract/logger.ts';

export const DEFAULT_DATA_DIR = '.sluice';
export const DEFAULT_PIPELINES_DIR = 'pipelines';

/** Flags every command that touches local state shares. */
export interface CommonOptions {
  data: string;
  pipelines: string;
  verbose?: boolean;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`expected a port number 0-65535, found "${value}"`);
  return port;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, found "${value}"`);
  return n;
}

export const resolveDataDir = (options: { data: string }) => resolve(options.data);

/**
 * Logs go to stderr as JSON lines, so stdout keeps the report. By default only errors: the report
 * already lists every quarantined object with its reason. `--verbose` logs each object.
 */
export function cliLogger(options: { verbose?: boolean }): Logger {
  const level = process.env.SLUICE_LOG_LEVEL ?? (options.verbose ? 'info' : 'error');
  return pino({ level, base: { name: 'sluice' } }, pino.destination(2));
}

/** What the commands that start the embedded stores (`run`, `dev`, `invoke`) pass to the local runtime from their flags. */
export function runtimeOptions(options: CommonOptions & { concurrency?: number; s3Port?: number; dynamodbPort?: number }) {
  return {
    dataDir: resolveDataDir(options),
    pipelinesDir: resolve(options.pipelines),
    logger: cliLogger(options),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.s3Port !== undefined ? { s3Port: options.s3Port } : {}),
    ...(options.dynamodbPort !== undefined ? { dynamodbPort: options.dynamodbPort } : {}),
  };
}
