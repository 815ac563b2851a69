import { InputError } from '../../../shared/contract/errors.ts';

/** How many problems one header message lists before it says "and N more". */
const LISTED = 10;

function listed(items: readonly string[]): string {
  const shown = items.slice(0, LISTED).join('; ');
  return items.length > LISTED ? `${shown}; and ${items.length - LISTED} more` : shown;
}

/**
 * The header row names the columns every rule refers to, so a wrong one refuses the file: an
 * empty name cannot be referred to, and of two equal names one would silently hide the other.
 */
export function headerError(names: readonly string[], line: number): InputError | undefined {
  const empty: number[] = [];
  const positions = new Map<string, number[]>();
  names.forEach((name, index) => {
    if (name === '') empty.push(index + 1);
    else positions.set(name, [...(positions.get(name) ?? []), index + 1]);
  });
  const problems = empty.map((column) => `column ${column} has no name`);
  for (const [name, columns] of positions) {
    if (columns.length > 1) problems.push(`${JSON.stringify(name)} names columns ${columns.slice(0, -1).join(', ')} and ${columns.at(-1)}`);
  }
  if (problems.length === 0) return undefined;
  return new InputError(
    'CSV_HEADER_INVALID',
    `line ${line}: the header row must name each column once: ${listed(problems)}`,
  );
}

/** The column names of a CSV file, and how a row's fields become a record's values. */
export class CsvColumns {
  readonly names: readonly string[];
  /** `the header's`, `the declared columns'`: whose count a ragged row is compared with. */
  private readonly source: string;
  /** A header named `__proto__` must be written with defineProperty: plain assignment would drop it. */
  private readonly unsafe: boolean;
  private extraKeys: string[] | undefined;

  constructor(names: readonly string[], source: 'header' | 'declared') {
    this.names = names;
    this.source = source === 'header' ? "the header's" : "the declared columns'";
    this.unsafe = names.includes('__proto__');
  }

  get size(): number {
    return this.names.length;
  }

  /**
   * The values of a row, by column name. A short row has only the columns it reaches; a long
   * row's extra fields keep their place under `#9`, `#10` (their 1-based position): the row is
   * rejected either way, and the quarantine shows everything that was in it.
   */
  valuesOf(fields: readonly string[]): Record<string, unknown> {
    const { names } = this;
    const values: Record<string, unknown> = {};
    const mapped = Math.min(fields.length, names.length);
    if (this.unsafe) {
      for (let i = 0; i < mapped; i++) Object.defineProperty(values, names[i]!, { value: fields[i], enumerable: true, writable: true, configurable: true });
    } else {
      for (let i = 0; i < mapped; i++) values[names[i]!] = fields[i];
    }
    for (let i = mapped; i < fields.length; i++) values[this.extraKey(i)] = fields[i];
    return values;
  }

  /** The problem of a row with `found` fields, or undefined when it has as many as there are columns. */
  countProblem(found: number): string | undefined {
    if (found === this.names.length) return undefined;
    return `expected ${this.names.length} field${this.names.length === 1 ? '' : 's'} (${this.source}), found ${found}`;
  }

  /** `#9` for the 9th field, with more `#` in the rare file that has a column of that name. */
  private extraKey(index: number): string {
    this.extraKeys ??= [];
    let key = this.extraKeys[index];
    if (key === undefined) {
      key = `#${index + 1}`;
      while (this.names.includes(key)) key = `#${key}`;
      this.extraKeys[index] = key;
    }
    return key;
  }
}
