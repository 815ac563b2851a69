/** Sequence numbers are at least this many digits long, as DynamoDB's are. */
const MIN_DIGITS = 21;
/** Room for this many sequence numbers per millisecond before they run ahead of the clock. */
const PER_MILLISECOND = 100_000_000n;

/**
 * The next sequence number of a shard: above the previous one, and at least the clock's
 * (milliseconds times 10^8, 21 digits today), so numbers keep rising across restarts even when a
 * log was trimmed empty. Decimal strings, compared as BigInt: they do not fit a JS number. The
 * generator and the embedded stream both number records with it.
 */
export function nextSequenceNumber(previous: string | undefined, nowMs: number): string {
  const fromClock = BigInt(Math.floor(nowMs)) * PER_MILLISECOND;
  const next = previous === undefined ? fromClock : BigInt(previous) + 1n;
  return (next > fromClock ? next : fromClock).toString().padStart(MIN_DIGITS, '0');
}

export const isSequenceNumber = (value: unknown): value is string => typeof value === 'string' && /^\d{1,40}$/.test(value);
