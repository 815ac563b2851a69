/**
 * Date and date-time input formats, as users write them in the config (`DD/MM/YYYY`,
 * `YYYY-MM-DDTHH:mm:ssZ`, `epochSeconds`), compiled once into an anchored regular expression
 * and the order of the fields it captures. Letters that are not tokens are refused rather than
 * read as literal text, so `hh` or `YY` (other libraries' tokens) cannot silently match nothing.
 */

export type DateField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction' | 'zone';

export const EPOCH_FORMATS = ['epochSeconds', 'epochMillis'] as const;

export type DateFormat =
  /** `group`: each field's capture group in `regex` (0 when the format has none: match[0] is never a field). */
  /** `canonical`: the format is ISO-8601's UTC form itself, so a value in UTC (`Z`) reads back as its own text. */
  | { kind: 'pattern'; source: string; regex: RegExp; fields: DateField[]; group: Record<DateField, number>; canonical: boolean }
  | { kind: 'epochSeconds' | 'epochMillis'; source: string; fields: DateField[] };

export type CompiledFormat = { ok: true; format: DateFormat } | { ok: false; message: string };

interface Token {
  text: string;
  field: DateField;
  pattern: string;
}

// Longest first, so `MM` is not read as two `M`s.
const TOKENS: readonly Token[] = [
  { text: 'YYYY', field: 'year', pattern: '(\\d{4})' },
  { text: 'MM', field: 'month', pattern: '(\\d{2})' },
  { text: 'M', field: 'month', pattern: '(\\d{1,2})' },
  { text: 'DD', field: 'day', pattern: '(\\d{2})' },
  { text: 'D', field: 'day', pattern: '(\\d{1,2})' },
  { text: 'HH', field: 'hour', pattern: '(\\d{2})' },
  { text: 'H', field: 'hour', pattern: '(\\d{1,2})' },
  { text: 'mm', field: 'minute', pattern: '(\\d{2})' },
  { text: 'ss', field: 'second', pattern: '(\\d{2})' },
  { text: 'Z', field: 'zone', pattern: '(Z|[+-]\\d{2}(?::?\\d{2})?)' },
];

export const TOKEN_LIST = 'YYYY, MM, M, DD, D, HH, H, mm, ss, SSS (a fraction of a second), Z (a zone: Z or an offset such as +02:00), literal text in [brackets], or epochSeconds / epochMillis';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles one format; the message says what is wrong with it. */
export function compileDateFormat(source: string): CompiledFormat {
  if (source === 'epochSeconds' || source === 'epochMillis') {
    return { ok: true, format: { kind: source, source, fields: ['year', 'month', 'day', 'hour', 'minute', 'second', 'zone'] } };
  }
  let pattern = '';
  const fields: DateField[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '[') {
      const end = source.indexOf(']', i + 1);
      if (end === -1) return { ok: false, message: `an unclosed [ at character ${i + 1}` };
      pattern += escapeRegex(source.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (char === 'S') {
      let end = i;
      while (source[end] === 'S') end++;
      fields.push('fraction');
      pattern += '(\\d{1,9})';
      i = end;
      continue;
    }
    const token = TOKENS.find((candidate) => source.startsWith(candidate.text, i));
    if (token) {
      fields.push(token.field);
      pattern += token.pattern;
      i += token.text.length;
      continue;
    }
    if (/[A-Za-z]/.test(char) && char !== 'T') return { ok: false, message: `"${char}" at character ${i + 1} is no token (write literal letters in [brackets])` };
    pattern += escapeRegex(char);
    i++;
  }
  const repeated = fields.find((field, index) => fields.indexOf(field) !== index);
  if (repeated) return { ok: false, message: `the ${repeated} appears twice` };
  const group: Record<DateField, number> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fraction: 0, zone: 0 };
  fields.forEach((field, index) => (group[field] = index + 1));
  const canonical = source === 'YYYY-MM-DDTHH:mm:ssZ';
  return { ok: true, format: { kind: 'pattern', source, regex: new RegExp(`^${pattern}$`), fields, group, canonical } };
}

/** What a format lacks or has too much of for a `date` or `datetime` column; undefined when it fits. */
export function formatProblem(format: DateFormat, type: 'date' | 'datetime'): string | undefined {
  const has = (field: DateField) => format.fields.includes(field);
  if (type === 'date') {
    if (format.kind !== 'pattern') return `${format.source} reads a date-time; a date column takes YYYY, MM and DD only`;
    const time = (['hour', 'minute', 'second', 'fraction', 'zone'] as const).filter(has);
    if (time.length) return `a date has no ${time.join(', ')}: use type datetime for values with a time`;
  }
  const needed: DateField[] = type === 'date' ? ['year', 'month', 'day'] : ['year', 'month', 'day', 'hour', 'minute'];
  const missing = needed.filter((field) => !has(field));
  if (missing.length) return `it has no ${missing.join(', ')}`;
  if (has('fraction') && !has('second')) return 'a fraction of a second (S) needs the seconds (ss)';
  return undefined;
}
