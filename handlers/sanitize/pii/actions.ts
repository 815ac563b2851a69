import { createHmac } from 'node:crypto';
import type { PiiRule } from '../rules/column-spec.ts';
import { DEFAULT_KEEP_LAST } from '../rules/column-options.ts';
import { memoize } from '../rules/memo.ts';

/**
 * What a PII rule makes of a value. The same functions serve clean rows and the records that go to
 * quarantine, so neither ever holds the raw value of a PII column.
 */

export const REDACTED = '[REDACTED]';

/** Makes the `hash` action: HMAC-SHA-256 keyed by the salt, hex. */
export type Hasher = (text: string) => string;

export function createHasher(salt: string): Hasher {
  // HMAC rather than sha256(salt + value): the key cannot run into the value, and it is the
  // construction built to keep the key secret from those who see the digests.
  return memoize((text) => createHmac('sha256', salt).update(text, 'utf8').digest('hex'));
}

/**
 * All but the last `keepLast` characters (code points) replaced by `char`; never more than half of
 * the value shown, so a short value is not given away whole.
 */
export function maskText(text: string, keepLast: number, char: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) {
    const shown = Math.min(keepLast, Math.floor(text.length / 2));
    return char.repeat(text.length - shown) + text.slice(text.length - shown);
  }
  const points = [...text];
  const shown = Math.min(keepLast, Math.floor(points.length / 2));
  return char.repeat(points.length - shown) + points.slice(points.length - shown).join('');
}

export type PiiAction = { kind: 'hash' } | { kind: 'mask'; keepLast: number; char: string } | { kind: 'redact' } | { kind: 'drop' };

export function piiAction(rule: PiiRule): PiiAction {
  if (typeof rule === 'object') return { kind: 'mask', keepLast: rule.mask.keepLast, char: rule.mask.char };
  if (rule === 'mask') return { kind: 'mask', keepLast: DEFAULT_KEEP_LAST, char: '*' };
  return { kind: rule };
}

/**
 * The value a PII column shows, from the value's text (null stays null: there is nothing to hide).
 * `drop` is the caller's to honour by leaving the column out; it gives null here.
 */
export function applyPii(text: string | null, action: PiiAction, hasher: Hasher | undefined): string | null {
  if (text === null || action.kind === 'drop') return null;
  switch (action.kind) {
    case 'redact':
      return REDACTED;
    case 'mask':
      return maskText(text, action.keepLast, action.char);
    case 'hash':
      if (!hasher) throw new Error('pii: hash needs a salt; the spec requires one, so this is a bug');
      return hasher(text);
  }
}
