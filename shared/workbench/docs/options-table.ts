import type { z } from 'zod';
import type { JsonSchema } from './json-schema.ts';
import { configJsonSchema } from './json-schema.ts';

/**
 * The options tables of a handler's README, generated from its config spec. They are rendered from
 * the spec's JSON Schema rather than from zod's internals, so the docs say exactly what the editor
 * checks, and a zod upgrade cannot make the two disagree.
 */

export const OPTIONS_START = '<!-- options:start -->';
export const OPTIONS_END = '<!-- options:end -->';

/** A nested object (or list of objects) gets its own table, after the one that names it. */
interface Section {
  /** The path users write, `variants[]` for the items of `variants`. */
  label: string;
  /** How the section is introduced, when its label alone would not say it. */
  intro?: string;
  schema: JsonSchema;
}

// `z.int()` carries JavaScript's safe-integer range; it is no limit a reader needs to see.
const isSafeIntegerBound = (value: number | undefined) => value !== undefined && Math.abs(value) === Number.MAX_SAFE_INTEGER;

/** Inline code, also for a value that contains a backtick. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

// GFM splits cells at every pipe, even inside code spans; a table row is one line.
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

// An empty string is shown quoted: an empty code span would read as no default at all.
const literal = (value: unknown) => code(typeof value === 'string' && value !== '' ? value : JSON.stringify(value));

/** `list of integers`, not `list of integer`: only the plain type names are plural-able. */
const plural = (type: string) => type.replace(/^(non-empty )?(string|integer|number|boolean)\b/, '$1$2s');

function resolveRef(schema: JsonSchema | boolean | undefined, root: JsonSchema): JsonSchema {
  if (schema === undefined || typeof schema === 'boolean') return {};
  const ref = schema.$ref;
  if (ref?.startsWith('#/$defs/')) return resolveRef(root.$defs?.[ref.slice('#/$defs/'.length)], root);
  if (ref === '#') return root;
  return schema;
}

const hasProperties = (schema: JsonSchema) => schema.type === 'object' && schema.properties !== undefined;

function range(min: number | undefined, max: number | undefined, exclusiveMin: unknown, exclusiveMax: unknown): string {
  const low = typeof exclusiveMin === 'number' ? `> ${exclusiveMin}` : min !== undefined ? `≥ ${min}` : undefined;
  const high = typeof exclusiveMax === 'number' ? `< ${exclusiveMax}` : max !== undefined ? `≤ ${max}` : undefined;
  if (min !== undefined && max !== undefined && typeof exclusiveMin !== 'number' && typeof exclusiveMax !== 'number') return ` ${min}-${max}`;
  return [low, high].filter(Boolean).map((part) => ` ${part}`).join(',');
}

function numberType(schema: JsonSchema): string {
  const min = isSafeIntegerBound(schema.minimum) ? undefined : schema.minimum;
  const max = isSafeIntegerBound(schema.maximum) ? undefined : schema.maximum;
  const multiple = schema.multipleOf !== undefined ? `, a multiple of ${schema.multipleOf}` : '';
  return `${String(schema.type)}${range(min, max, schema.exclusiveMinimum, schema.exclusiveMaximum)}${multiple}`;
}

function stringType(schema: JsonSchema): string {
  const { minLength: min, maxLength: max } = schema;
  const parts: string[] = [];
  let noun = 'string';
  if (min === 1 && max === undefined) noun = 'non-empty string';
  else if (min !== undefined && max !== undefined) parts.push(min === max ? `${min} characters` : `${min}-${max} characters`);
  else if (min !== undefined) parts.push(`at least ${min} characters`);
  else if (max !== undefined) parts.push(`at most ${max} characters`);
  if (schema.format) parts.push(`format ${schema.format}`);
  if (schema.pattern) parts.push(`matching ${code(schema.pattern)}`);
  return [noun, ...parts].join(', ');
}

function countOf(schema: JsonSchema): string {
  const { minItems: min, maxItems: max } = schema;
  if (min !== undefined && max !== undefined) return min === max ? `, exactly ${min}` : `, ${min}-${max} items`;
  if (min !== undefined) return `, at least ${min}`;
  if (max !== undefined) return `, at most ${max}`;
  return '';
}

/**
 * How a field's type reads in the table: `integer 1-16384`, the values of an enum, `list of ...`.
 * A nested object is named by `label` and described in a section of its own.
 */
function typeOf(raw: JsonSchema | boolean | undefined, root: JsonSchema, label: string, sections: Section[]): string {
  const schema = resolveRef(raw, root);
  if (schema.enum) return schema.enum.map(literal).join(', ');
  if (schema.const !== undefined) return literal(schema.const);
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const forms = options.map((option) => typeOf(option, root, label, sections));
    return [...new Set(forms)].join(' or ');
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return numberType(schema);
    case 'string':
      return stringType(schema);
    case 'boolean':
    case 'null':
      return schema.type;
    case 'array': {
      const items = resolveRef(schema.items as JsonSchema | boolean | undefined, root);
      const itemLabel = `${label}[]`;
      if (!hasProperties(items)) return `list of ${plural(typeOf(items, root, itemLabel, sections))}${countOf(schema)}`;
      sections.push({ label: itemLabel, intro: `Each item of ${code(label)}`, schema: items });
      return `list of objects (${code(itemLabel)} below)${countOf(schema)}`;
    }
    case 'object':
      if (hasProperties(schema)) {
        sections.push({ label, schema });
        return `object (${code(label)} below)`;
      }
      if (typeof schema.additionalProperties === 'object') {
        return `mapping of names to ${typeOf(schema.additionalProperties, root, `${label}.*`, sections)}`;
      }
      return 'mapping';
    default:
      return 'any value';
  }
}

function defaultOf(schema: JsonSchema, required: boolean): string {
  if (schema.default !== undefined) return literal(schema.default);
  return required ? 'required' : 'optional';
}

function renderTable(section: Section, root: JsonSchema, sections: Section[], prefix: string): string {
  const required = new Set(section.schema.required ?? []);
  const rows = Object.entries(section.schema.properties ?? {}).map(([key, raw]) => {
    const schema = resolveRef(raw, root);
    const label = `${prefix}${key}`;
    const type = typeOf(schema, root, label, sections);
    return `| ${cell(code(key))} | ${cell(type)} | ${cell(defaultOf(schema, required.has(key)))} | ${cell(schema.description ?? '')} |`;
  });
  return ['| Option | Type | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * The markdown options tables of an object spec: one for its own options, then one for each
 * nested object or list of objects (resize's `variants[]`), named by its path.
 */
export function renderOptionsTable(spec: z.ZodType): string {
  const root = configJsonSchema(spec);
  if (!hasProperties(root)) throw new Error('an options table needs an object spec (z.strictObject({ ... }))');
  const sections: Section[] = [];
  const blocks = [renderTable({ label: '', schema: root }, root, sections, '')];
  // Tables are rendered breadth-first: a nested table may itself add sections while it renders.
  for (let i = 0; i < sections.length; i++) {
    const section = sections[i] as Section;
    const description = section.schema.description ? ` ${section.schema.description}` : '';
    blocks.push(section.intro ? `${section.intro} (${code(section.label)}):${description}` : `${code(section.label)}:${description}`);
    blocks.push(renderTable(section, root, sections, `${section.label}.`));
  }
  return blocks.join('\n\n');
}

/** `readme` with the part between the options markers replaced by `generated`. */
export function replaceOptionsSection(readme: string, generated: string, file: string): string {
  const start = readme.indexOf(OPTIONS_START);
  const end = readme.indexOf(OPTIONS_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`${file}: no ${OPTIONS_START} ... ${OPTIONS_END} markers; put them where the generated options tables belong`);
  }
  const note = '<!-- Generated from the config spec by `npm run docs`: edit the spec\'s .describe() texts, not this part. -->';
  return `${readme.slice(0, start)}${OPTIONS_START}\n${note}\n\n${generated}\n\n${readme.slice(end)}`;
}
