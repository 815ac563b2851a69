import type { CountryCode } from 'libphonenumber-js';
import { findPhoneNumbersInText } from 'libphonenumber-js';
import { REDACTED } from './actions.ts';
import { isLuhnValid } from './luhn.ts';

/**
 * Free text searched for personal data, each find replaced by `[REDACTED]`: card numbers first
 * (13-19 digits, single spaces or dashes between, Luhn-valid only: order numbers and the like are
 * left), then email addresses, then phone numbers as libphonenumber-js finds them in text (with the
 * scan's default country for numbers written without +). Redacting a little too much (a number
 * that only looks like a phone) is the side this errs on.
 */

export const FINDS = ['email', 'phone', 'card'] as const;
export type Find = (typeof FINDS)[number];

export interface ScanOptions {
  find: readonly Find[];
  country?: string | undefined;
}

export type FindCounts = Record<Find, number>;

export interface ScanResult {
  text: string;
  found: FindCounts;
}

const CARD = /(?<![\p{N}])\d(?:[ -]?\d){12,18}(?![\p{N}])/gu;
const EMAIL = /[\p{L}\p{N}._%+'-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}/gu;
const DIGIT = /\d/g;

function countDigits(text: string): number {
  return text.match(DIGIT)?.length ?? 0;
}

export function emptyCounts(): FindCounts {
  return { email: 0, phone: 0, card: 0 };
}

export function scanText(text: string, options: ScanOptions): ScanResult {
  const found = emptyCounts();
  let out = text;
  // Phone numbers and cards have at least 7 digits: most text has none, and skips the slow part.
  const digits = countDigits(out);
  if (options.find.includes('card') && digits >= 13) {
    out = out.replace(CARD, (match) => {
      if (!isLuhnValid(match.replace(/[ -]/g, ''))) return match;
      found.card++;
      return REDACTED;
    });
  }
  if (options.find.includes('email') && out.includes('@')) {
    out = out.replace(EMAIL, () => {
      found.email++;
      return REDACTED;
    });
  }
  if (options.find.includes('phone') && countDigits(out) >= 7) {
    const matches = findPhoneNumbersInText(out, options.country ? { defaultCountry: options.country as CountryCode } : {});
    // From the end, so earlier offsets stay right.
    for (const match of matches.reverse()) {
      out = out.slice(0, match.startsAt) + REDACTED + out.slice(match.endsAt);
      found.phone++;
    }
  }
  return { text: out, found };
}
