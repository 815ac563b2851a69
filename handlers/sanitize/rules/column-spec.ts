import { z } from 'zod';
import { checkColumnRule } from './column-checks.ts';
import { CASES, COLUMN_TYPES, CONTROLS, DEFAULT_FALSE_VALUES, DEFAULT_KEEP_LAST, DEFAULT_TRUE_VALUES, PII_ACTIONS, UNICODE_FORMS } from './column-options.ts';

/**
 * One column's rule, declared once (part of `sanitizeSpec`). Which options go with which type is
 * checked in `column-checks.ts`, so a misplaced option is named with the reason rather than as an
 * unknown key. Messages given here are phrased as the expectation: the config loader wraps them in
 * `expected <this>, found <value>`.
 */

export const normalizeSpec = z
  .strictObject({
    form: z
      .enum(UNICODE_FORMS)
      .default('NFC')
      .describe('Unicode normalization form applied to the text (`NFC`: composed characters, so `é` written two ways is one value), or `none`.'),
    controls: z
      .enum(CONTROLS)
      .default('strip')
      .describe(
        'Control characters (U+0000-U+001F, U+007F-U+009F): `strip` removes them except tab, line feed and carriage return (free text keeps its lines); `stripAll` removes those too; `keep` leaves them; `reject` rejects a value that has any but tab, line feed and carriage return.',
      ),
  })
  .describe('How text is cleaned before anything else reads it.');

export const maskSpec = z
  .strictObject({
    keepLast: z
      .int()
      .min(0)
      .max(64)
      .default(DEFAULT_KEEP_LAST)
      .describe('How many characters to leave visible at the end. Never more than half of the value is shown: a short value is masked further.'),
    char: z.string().length(1).default('*').describe('The character that replaces each hidden one.'),
  })
  .describe('Replace all but the last characters (`************0132`).');

export const piiSpec = z
  .union([
    z.enum(PII_ACTIONS).describe('`hash`, `mask` (with its defaults), `redact` or `drop`.'),
    z.strictObject({ mask: maskSpec }).describe('`mask` with options: `{ mask: { keepLast: 4 } }`.'),
  ])
  .describe(
    'The column holds personal data: `hash` (HMAC-SHA-256 of the clean value keyed by `salt`, as 64 hex digits: equal values hash equal, so it still joins and deduplicates), `mask` (`{ mask: { keepLast: 4 } }`: all but the last characters replaced), `redact` (the value becomes `[REDACTED]`) or `drop` (the column is left out of the row). Applied to clean rows and to rejected rows in the quarantine alike; the raw value is never logged, reported or quarantined.',
  );

// A non-empty string keeps the union an `anyOf` in the JSON Schema, which editors and the docs read per form.
const limit = z.union([z.number(), z.string().min(1)]).optional();

// The shape alone, so the rule's type does not depend on the checks that read it.
const columnRuleShape = z
  .strictObject({
    type: z
      .enum(COLUMN_TYPES)
      .default('string')
      .describe(
        'What the value must be, and what the row gets: `string` (text), `integer` and `decimal` (exact numbers, up to 38 significant digits as DynamoDB stores them), `boolean`, `date` (`YYYY-MM-DD`), `datetime` (ISO-8601 in UTC, `2026-11-29T10:14:00Z`), `email` (domain lower-cased), `phone` (E.164, `+14155550132`), `enum` (one of `values`).',
      ),
    required: z.boolean().default(false).describe('Reject the row when the value is missing or empty (after trimming). Otherwise an empty value becomes `default`, or null.'),
    default: z
      .union([z.string().min(1), z.number(), z.boolean()])
      .optional()
      .describe('The value used when the cell is missing or empty; it must pass the column\'s own rule. Not with `required`.'),
    trim: z.boolean().default(true).describe('Remove white space (Unicode\'s, including no-break spaces and byte-order marks) from both ends first.'),
    case: z.enum(CASES).default('none').describe('Change the case of `string`, `email` and `enum` values: `lower`, `upper`, or `none`.'),
    normalize: normalizeSpec.prefault({}),
    pattern: z
      .string()
      .min(1)
      .optional()
      .describe('A regular expression (JavaScript, Unicode mode) the whole cleaned text must match, as HTML\'s `pattern` does: `[A-Z]{2}` matches `US`, not `USA`. Checked after trim, normalization and case, before the type reads the text.'),
    maxLength: z.int().min(1).optional().describe('Most characters (Unicode code points) of a `string` or `email` value, after cleaning.'),
    min: limit.describe('Smallest value allowed (inclusive): a number for `integer` and `decimal` (a string keeps more digits exact), a date (`2020-01-01`) for `date`, an ISO-8601 date-time with a zone (or a date: midnight UTC) for `datetime`.'),
    max: limit.describe('Largest value allowed (inclusive), in the same form as `min`.'),
    formats: z
      .array(z.string().min(1).describe('A format: tokens YYYY, MM, M, DD, D, HH, H, mm, ss, SSS (a fraction, 1-9 digits), Z (`Z` or an offset such as `+02:00`), literal text in [brackets]; or `epochSeconds` / `epochMillis`.'))
      .min(1)
      .optional()
      .describe(
        'Accepted input formats of a `date` or `datetime`, tried in order: `YYYY-MM-DD`, `DD/MM/YYYY`, `MM/DD/YYYY`, `YYYY-MM-DDTHH:mm:ssZ`, `YYYY-MM-DD HH:mm`, `epochSeconds`, `epochMillis`. Default: `YYYY-MM-DD` for a date; `YYYY-MM-DDTHH:mm:ssZ` and `YYYY-MM-DDTHH:mm:ss.SSSZ` for a date-time. A date-time format without `Z` needs `timezone`.',
      ),
    timezone: z
      .string()
      .min(1)
      .optional()
      .describe('The IANA time zone (`UTC`, `Europe/Paris`) of `datetime` values written without a zone. A local time skipped by a daylight-saving change is rejected; a repeated one is read as the earlier instant.'),
    country: z
      .string()
      .optional()
      .describe('For `phone`: the country (ISO 3166-1 alpha-2, `US`) of numbers written without `+` and a country code. Without it, only international numbers are accepted.'),
    values: z.array(z.string().describe('An allowed value.')).min(1).optional().describe('For `enum`: the allowed values, as the row gets them.'),
    caseInsensitive: z.boolean().optional().describe('For `enum`: match `values` ignoring case; the row gets the value as listed. Default: `false`.'),
    trueValues: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(`For \`boolean\`: the texts read as true, ignoring case. Default: ${DEFAULT_TRUE_VALUES.join(', ')}. JSON booleans are taken as they are.`),
    falseValues: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(`For \`boolean\`: the texts read as false, ignoring case. Default: ${DEFAULT_FALSE_VALUES.join(', ')}.`),
    pii: piiSpec.optional(),
  });

export type ColumnRule = z.output<typeof columnRuleShape>;

export const columnRuleSpec = columnRuleShape.superRefine(checkColumnRule).describe('The rule for one column.');

export type ColumnRuleInput = z.input<typeof columnRuleSpec>;
export type PiiRule = z.output<typeof piiSpec>;
export type NormalizeOptions = z.output<typeof normalizeSpec>;
