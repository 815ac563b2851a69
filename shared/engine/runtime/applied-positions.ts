import { SluiceError } from '../../contract/errors.ts';
import type { Contribution } from '../../contract/handler.ts';

/**
 * The bookkeeping that makes group updates exactly-once in effect: each output item remembers, per
 * source (a stream shard, an object version), the last position folded into it. A contribution at
 * or before that position was applied already, by an earlier delivery of the same records.
 */

/** The hidden map attribute that holds it, beside the attributes users read. */
export const BOOKKEEPING_ATTRIBUTE = '_sluice';

/**
 * How long a source's entry is kept after its last write. Streams keep records 24 hours, so
 * nothing older can be delivered again; twice that leaves room for clock skew and slow retries.
 */
export const APPLIED_RETENTION_MS = 48 * 60 * 60 * 1000;

export interface AppliedPosition {
  /** The last position applied, a decimal string (compare as BigInt: sequence numbers exceed 2^53). */
  position: string;
  /** When it was applied, epoch milliseconds. */
  at: number;
}

export interface Bookkeeping {
  /** Incremented by every write; the conditional write checks it. 0 for an item not written yet. */
  version: number;
  /** The fold state, as JSON; undefined for a new item. */
  state?: string;
  applied: Record<string, AppliedPosition>;
}

const DECIMAL = /^\d+$/;

function position(contribution: Contribution): bigint {
  const { source, position: text } = contribution.origin;
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw new SluiceError('ORIGIN_POSITION_INVALID', `the position of a contribution from ${source} is ${JSON.stringify(text)}; expected a decimal string (a sequence or row number)`, { permanent: true });
  }
  return BigInt(text);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bookkeeping of an item as read back (unmarshalled), checked; a new one when the item has none. */
export function readBookkeeping(raw: unknown, where: string): Bookkeeping {
  if (raw === undefined) return { version: 0, applied: {} };
  const applied = isRecord(raw) ? raw.applied : undefined;
  const valid =
    isRecord(raw) &&
    Number.isSafeInteger(raw.version) &&
    (raw.state === undefined || typeof raw.state === 'string') &&
    isRecord(applied) &&
    Object.values(applied).every((entry) => isRecord(entry) && typeof entry.position === 'string' && DECIMAL.test(entry.position) && typeof entry.at === 'number');
  if (!valid) throw new SluiceError('BOOKKEEPING_INVALID', `the ${BOOKKEEPING_ATTRIBUTE} attribute of ${where} is not Sluice's bookkeeping; was the item written by something else?`, { permanent: true });
  return raw as unknown as Bookkeeping;
}

/**
 * The contributions not applied before, in order. Within one source positions only grow, as a
 * stream delivers them, so one that does not pass the highest seen so far is a repeat.
 */
export function freshContributions(contributions: readonly Contribution[], applied: Readonly<Record<string, AppliedPosition>>): Contribution[] {
  const highest = new Map<string, bigint>();
  for (const [source, entry] of Object.entries(applied)) highest.set(source, BigInt(entry.position));
  const fresh: Contribution[] = [];
  for (const contribution of contributions) {
    const at = position(contribution);
    const seen = highest.get(contribution.origin.source);
    if (seen !== undefined && at <= seen) continue;
    highest.set(contribution.origin.source, at);
    fresh.push(contribution);
  }
  return fresh;
}

/** The applied positions after folding `fresh` at `now`, without sources idle past the retention. */
export function recordApplied(applied: Readonly<Record<string, AppliedPosition>>, fresh: readonly Contribution[], now: number): Record<string, AppliedPosition> {
  const next: Record<string, AppliedPosition> = {};
  for (const [source, entry] of Object.entries(applied)) {
    if (now - entry.at <= APPLIED_RETENTION_MS) next[source] = entry;
  }
  // `fresh` grows within each source (freshContributions), so the last of a source is its highest.
  for (const contribution of fresh) next[contribution.origin.source] = { position: contribution.origin.position, at: now };
  return next;
}
