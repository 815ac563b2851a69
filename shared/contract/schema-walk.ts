import type { z } from 'zod';

type Def = { type: string; [k: string]: unknown };

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Looks through wrappers (optional, default, pipe/transform, nullable) to the schema that has a shape. */
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    if (!def) return current;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault' || def.type === 'readonly' || def.type === 'catch') {
      current = def.innerType;
    } else if (def.type === 'pipe') {
      current = def.in;
    } else {
      return current;
    }
  }
  return current;
}

function childAt(schema: unknown, segment: PropertyKey): unknown[] {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (!def) return [];
  if (def.type === 'object') return [(def.shape as Record<PropertyKey, unknown>)[segment]].filter(Boolean);
  if (def.type === 'array') return [def.element];
  if (def.type === 'record') return [def.valueType];
  if (def.type === 'union') return (def.options as unknown[]).flatMap((option) => childAt(option, segment));
  return [];
}

function objectShapes(candidate: unknown): string[][] {
  const def = defOf(unwrap(candidate));
  if (def?.type === 'object') return [Object.keys(def.shape as object)];
  if (def?.type === 'union') return (def.options as unknown[]).flatMap(objectShapes);
  return [];
}

/**
 * The keys an object schema accepts at `path`, for "did you mean" suggestions. Where the schema
 * allows several mappings there (a bucket or a table trigger), the ones sharing most keys with
 * `present` (the keys written) are meant.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], present: readonly string[] = []): string[] {
  let candidates: unknown[] = [schema];
  for (const segment of path) candidates = candidates.flatMap((candidate) => childAt(candidate, segment));
  const shapes = candidates.flatMap(objectShapes);
  const overlap = (shape: string[]) => present.filter((key) => shape.includes(key)).length;
  const best = Math.max(0, ...shapes.map(overlap));
  return [...new Set(shapes.filter((shape) => overlap(shape) === best).flat())];
}

/**
 * For a union at `path` (a trigger that is a bucket's or a table's), the keys of each of its
 * options in order (`[]` for an option that is not a mapping); undefined when there is no union.
 */
export function unionOptionKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[][] | undefined {
  let candidates: unknown[] = [schema];
  for (const segment of path) candidates = candidates.flatMap((candidate) => childAt(candidate, segment));
  for (const candidate of candidates) {
    const def = defOf(unwrap(candidate));
    if (def?.type === 'union') return (def.options as unknown[]).map((option) => objectShapes(option)[0] ?? []);
  }
  return undefined;
}
