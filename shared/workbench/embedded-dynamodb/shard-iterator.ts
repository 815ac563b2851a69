/** DynamoDB Streams' shard iterators expire after 15 minutes. */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

/** Where an iterator points: after `after` (the first retained record when undefined). */
export interface ShardPosition {
  streamArn: string;
  shardId: string;
  after: string | undefined;
  issuedAt: number;
}

interface Encoded {
  s: string;
  a: string | null;
  t: number;
}

/** Opaque to clients; shaped like AWS's (`<stream ARN>|1|<token>`). */
export function encodeShardIterator(position: ShardPosition): string {
  const token: Encoded = { s: position.shardId, a: position.after ?? null, t: position.issuedAt };
  return `${position.streamArn}|1|${Buffer.from(JSON.stringify(token)).toString('base64url')}`;
}

/** The position an iterator points at, undefined when it is not one this server issued. */
export function decodeShardIterator(iterator: unknown): ShardPosition | undefined {
  if (typeof iterator !== 'string') return undefined;
  const parts = iterator.split('|');
  if (parts.length !== 3 || parts[1] !== '1') return undefined;
  try {
    const token = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString('utf8')) as Partial<Encoded>;
    const validAfter = token.a === null || (typeof token.a === 'string' && /^\d+$/.test(token.a));
    if (typeof token.s !== 'string' || !validAfter || typeof token.t !== 'number') return undefined;
    return { streamArn: parts[0]!, shardId: token.s, after: token.a ?? undefined, issuedAt: token.t };
  } catch {
    return undefined;
  }
}
