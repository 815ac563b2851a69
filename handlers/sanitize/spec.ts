import { z } from 'zod';
import { inputSpec } from './input/spec.ts';
import { MIN_SALT_LENGTH } from './pii/salt.ts';
import { FINDS } from './pii/scan.ts';
import { columnRuleSpec } from './rules/column-spec.ts';
import type { ColumnRule } from './rules/column-spec.ts';
import { isPhoneCountry } from './rules/phone.ts';

/**
 * The sanitize handler's configuration, declared once: the TypeScript types, YAML validation, the
 * JSON Schema for editors and the README options table all come from this file (and the column
 * rule's, `rules/column-spec.ts`).
 *
 * Messages given here are phrased as the expectation, because the config loader wraps them in its
 * one template: `expected <this>, found <value>`. The salt is the exception: a message about it
 * never shows it.
 */

export const UNKNOWN_COLUMNS = ['keep', 'drop'] as const;

const columnName = z.string().min(1).describe('A column name, as the input names it.');

export const saltSpec = z
  .union([
    z.string().describe('The salt itself. It is then in the pipeline file, and so in the repository: prefer `{ env: NAME }`.'),
    z
      .strictObject({
        env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name (letters, digits and _, not starting with a digit)')
          .describe('The environment variable that holds the salt, read when a file is processed.'),
      })
      .describe('The salt from an environment variable.'),
  ])
  .describe(
    `The secret key of \`pii: hash\` (at least ${MIN_SALT_LENGTH} characters): \`{ env: NAME }\` reads it from an environment variable when a file is processed (on Lambda, the function's environment), or write it here. Required when a column hashes. Never logged, never in a message. Changing it changes every hash.`,
  );

export const scanSpec = z
  .strictObject({
    columns: z.array(columnName).min(1).describe('The free-text columns to search: declared `string` columns without `pii`, or (with `unknownColumns: keep`) undeclared ones.'),
    find: z
      .array(z.enum(FINDS))
      .min(1)
      .default([...FINDS])
      .describe('What to find and replace by `[REDACTED]`: `email` addresses, `phone` numbers, `card` numbers (13-19 digits, Luhn-valid only). Default: all three.'),
    country: z.string().optional().describe('The country (ISO 3166-1 alpha-2, `US`) of phone numbers written without `+` and a country code. Without it, only international numbers are found.'),
  })
  .describe('Free text searched for personal data, each find replaced by `[REDACTED]`.');

type Refinement = z.core.$RefinementCtx<{ columns: Record<string, ColumnRule>; unknownColumns: 'keep' | 'drop'; dedupeBy?: string[] | undefined; scan?: z.output<typeof scanSpec> | undefined; salt?: z.output<typeof saltSpec> | undefined }>;

function checkColumnList(names: readonly string[], field: 'dedupeBy' | 'scan', config: Refinement['value'], ctx: Refinement): void {
  const path = field === 'dedupeBy' ? ['dedupeBy'] : ['scan', 'columns'];
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [...path, index], message: `column "${name}" is listed twice` });
    seen.add(name);
    const rule = config.columns[name];
    if (!Object.hasOwn(config.columns, name) || !rule) {
      if (config.unknownColumns === 'drop') {
        ctx.addIssue({ code: 'custom', path: [...path, index], message: `column "${name}" is not declared in columns, and unknownColumns: drop leaves it out of every row; declare it, or set unknownColumns: keep` });
      }
      return;
    }
    if (field === 'scan' && rule.type !== 'string') {
      ctx.addIssue({ code: 'custom', path: [...path, index], message: `column "${name}" is of type ${rule.type}; scanning finds emails, phones and cards in free text (type string)` });
    } else if (field === 'scan' && rule.pii !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, index], message: `column "${name}" already has pii: ${typeof rule.pii === 'string' ? rule.pii : 'mask'}, which leaves no free text to scan; remove one` });
    }
  });
}

export const sanitizeSpec = z
  .strictObject({
    input: inputSpec.prefault({}).describe('How the input object is read: its format (from the key\'s extension by default), encoding and CSV dialect.'),
    columns: z
      .record(columnName, columnRuleSpec)
      .describe(
        'The rule of each column, by name, in the order the rows get them. A row passes when every column passes its rule; otherwise it is rejected with every reason, and quarantined.',
      ),
    unknownColumns: z
      .enum(UNKNOWN_COLUMNS)
      .default('keep')
      .describe('What happens to columns the input has but `columns` does not declare: `keep` (as they came, after the declared ones) or `drop`.'),
    dedupeBy: z
      .array(columnName)
      .min(1)
      .optional()
      .describe(
        'Columns whose clean values together identify a row: a later clean row with the same values in the same file is dropped and counted as deduplicated (the first is kept). A row with one of them empty is never a duplicate. Memory: 128 bits of a SHA-256 digest per distinct key of one file, never the key; at most 16 MB of them in memory, the rest in sorted temporary files (16 bytes a key on disk: 160 MB for ten million keys, within the 512 MB of /tmp a Lambda function has by default) with 10 bits a key left in memory to find them.',
      ),
    scan: scanSpec.optional(),
    salt: saltSpec.optional(),
  })
  .superRefine((config, ctx) => {
    const names = Object.keys(config.columns);
    if (names.length === 0) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'at least one column: an empty mapping declares no rule' });
    const hashing = names.filter((name) => config.columns[name]?.pii === 'hash');
    if (hashing.length && config.salt === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['salt'],
        message: `missing; ${hashing.join(', ')} ${hashing.length > 1 ? 'use' : 'uses'} pii: hash, which needs a secret salt: { env: NAME } (an environment variable holding at least ${MIN_SALT_LENGTH} characters)`,
      });
    }
    // Not the template with `found`: the salt is a secret, never repeated.
    if (typeof config.salt === 'string' && [...config.salt].length < MIN_SALT_LENGTH) {
      ctx.addIssue({ code: 'custom', path: ['salt'], message: `expected a salt of at least ${MIN_SALT_LENGTH} characters, found a shorter one (prefer { env: NAME }, so it stays out of the repository)` });
    }
    if (config.dedupeBy) checkColumnList(config.dedupeBy, 'dedupeBy', config, ctx);
    if (config.scan) {
      checkColumnList(config.scan.columns, 'scan', config, ctx);
      const finds = config.scan.find;
      finds.forEach((find, index) => {
        if (finds.indexOf(find) !== index) ctx.addIssue({ code: 'custom', path: ['scan', 'find', index], message: `"${find}" is listed twice` });
      });
      if (config.scan.country !== undefined && !isPhoneCountry(config.scan.country)) {
        ctx.addIssue({ code: 'custom', path: ['scan', 'country'], message: `expected a country code (ISO 3166-1 alpha-2, upper case: US, GB, FR), found ${JSON.stringify(config.scan.country)} (string)` });
      }
    }
  })
  .describe('Cleans the rows of CSV, NDJSON and JSON files by per-column rules.');

export type SanitizeConfig = z.output<typeof sanitizeSpec>;
/** The configuration as written in YAML, before defaults are applied. */
export type SanitizeConfigInput = z.input<typeof sanitizeSpec>;
export type ScanConfig = z.output<typeof scanSpec>;
export type SaltConfig = z.output<typeof saltSpec>;
export type { ColumnRule, ColumnRuleInput } from './rules/column-spec.ts';
