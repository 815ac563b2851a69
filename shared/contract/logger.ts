import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs (pino). Level from `SLUICE_LOG_LEVEL` or `LOG_LEVEL`, default `info`;
 * the CLI lowers it to `warn` unless asked, so reports stay readable.
 */
export function createLogger(options: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.SLUICE_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info';
  const base = { name: options.name ?? 'sluice' };
  return options.destination ? pino({ level, base }, options.destination) : pino({ level, base });
}

/** A logger that drops everything, for tests and library use. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
