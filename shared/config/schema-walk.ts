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

/** The keys an object schema accepts at `path`, for "did you mean" suggestions. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let candidates: unknown[] = [schema];
  for (const segment of path) candidates = candidates.flatMap((candidate) => childAt(candidate, segment));
  const keys = new Set<string>();
  for (const candidate of candidates) {
    const def = defOf(unwrap(candidate));
    if (def?.type === 'object') for (const key of Object.keys(def.shape as object)) keys.add(key);
    if (def?.type === 'union') {
      for (const option of def.options as unknown[]) {
        const optionDef = defOf(unwrap(option));
        if (optionDef?.type === 'object') for (const key of Object.keys(optionDef.shape as object)) keys.add(key);
      }
    }
  }
  return [...keys];
}
