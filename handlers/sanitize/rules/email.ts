import type { RuleFailure } from './failure.ts';
import { describeText, failure } from './failure.ts';

/**
 * Email addresses as people and forms write them: a dot-atom local part (RFC 5322 without quoted
 * strings or comments, which real sign-up forms never produce), `@`, and a domain of at least two
 * labels whose last is a top-level domain of letters (or `xn--` punycode). Letters may be any
 * script (RFC 6531). The domain is lower-cased: DNS ignores case, and equal addresses should hash
 * and deduplicate equal.
 */

const ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const TLD = '(?:\\p{L}{2,63}|xn--[a-z0-9-]{1,59})';
const ADDRESS = new RegExp(`^(${ATOM}(?:\\.${ATOM})*)@((?:${LABEL}\\.)+${TLD})$`, 'iu');

export const EXPECTED_EMAIL = 'an email address (name@example.com)';

export type EmailReading = { ok: true; text: string } | { ok: false; failure: RuleFailure };

export function readEmail(text: string): EmailReading {
  const match = ADDRESS.exec(text);
  if (!match) {
    const found = !text.includes('@') ? `${describeText(text)} without @` : describeText(text);
    return { ok: false, failure: failure('not an email', EXPECTED_EMAIL, found) };
  }
  const [, local = '', domain = ''] = match;
  // RFC 5321's limits on what a mail server must accept.
  if (local.length > 64 || text.length > 254) return { ok: false, failure: failure('not an email', `${EXPECTED_EMAIL} of at most 254 characters, 64 before the @`, describeText(text)) };
  return { ok: true, text: `${local}@${domain.toLowerCase()}` };
}
