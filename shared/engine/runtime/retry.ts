import { setTimeout as sleep } from 'node:timers/promises';
import { SluiceError } from '../../contract/errors.ts';

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/**
 * Whether trying again could succeed. Bad input and bugs fail the same way every time, so they
 * go straight to quarantine; throttling, 5xx answers and dropped connections are retried.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof SluiceError) return !error.permanent;
  const candidate = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: string; name?: string };
  if (candidate?.$retryable) return true;
  const status = candidate?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || status === 408;
  return typeof candidate?.code === 'string' && TRANSIENT_NETWORK_CODES.has(candidate.code);
}

export interface RetryOptions {
  retries: number;
  /** First delay; doubles each time, with jitter. */
  baseDelayMs?: number;
}

/** Runs `attempt` until it succeeds, fails permanently, or `retries` retries are used up. */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? 200;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n > options.retries || !isTransient(error)) throw error;
      await sleep(base * 2 ** (n - 1) * (0.5 + Math.random()));
    }
  }
}
