import type { CountryCode } from 'libphonenumber-js';
import { ParseError, isSupportedCountry, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js';
import type { RuleFailure } from './failure.ts';
import { describeText, failure } from './failure.ts';

/**
 * Phone numbers to E.164 (`+14155550132`) with libphonenumber-js and its default metadata, which
 * checks a number's length and leading digits for its country (not whether the exact range is
 * allocated: that changes more often than any deployment). A number must be the whole value:
 * text around it is refused, not searched; an extension is refused, since E.164 has none.
 */

export const isPhoneCountry = (code: string) => isSupportedCountry(code);

export type PhoneReading = { ok: true; text: string } | { ok: false; failure: RuleFailure };

export const expectedPhone = (country: string | undefined) =>
  country ? `a phone number (international with +, or national in ${country})` : 'an international phone number starting with + and the country code';

const PARSE_FOUND: Record<string, string> = {
  INVALID_COUNTRY: 'a number with an unknown country code',
  TOO_SHORT: 'a number too short for its country',
  TOO_LONG: 'a number too long for its country',
  INVALID_LENGTH: 'a number of the wrong length for its country',
  NOT_A_NUMBER: '',
};

export function readPhone(text: string, country: string | undefined): PhoneReading {
  const expected = expectedPhone(country);
  const refuse = (found: string) => ({ ok: false as const, failure: failure('not a phone number', expected, found) });
  try {
    const number = parsePhoneNumberWithError(text, { ...(country ? { defaultCountry: country as CountryCode } : {}), extract: false });
    if (number.ext) return refuse('a number with an extension (E.164 has none)');
    if (!number.isValid()) {
      const length = validatePhoneNumberLength(text, country ? (country as CountryCode) : undefined);
      return refuse((length && PARSE_FOUND[length]) || 'a number not valid for its country');
    }
    return { ok: true, text: number.number };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (error.message === 'INVALID_COUNTRY' && !country && !text.trimStart().startsWith('+')) return refuse('a national number, and no country is set to read it');
    return refuse(PARSE_FOUND[error.message] || describeText(text));
  }
}
