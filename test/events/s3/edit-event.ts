/**
 * Copies of corpus events with one field changed or removed, for tests that break or extend an
 * event at a given path (`['Records', 0, 's3', 'object', 'key']`).
 */

type Path = readonly (string | number)[];
type Container = Record<string | number, unknown>;

function parentOf(root: unknown, path: Path): Container {
  let node = root;
  for (const segment of path.slice(0, -1)) node = (node as Container)[segment];
  if (typeof node !== 'object' || node === null) throw new Error(`no object at ${path.slice(0, -1).join('.')}`);
  return node as Container;
}

export function withField(event: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(event);
  parentOf(copy, path)[path.at(-1) as string | number] = value;
  return copy;
}

export function withoutField(event: unknown, path: Path): unknown {
  const copy = structuredClone(event);
  delete parentOf(copy, path)[path.at(-1) as string | number];
  return copy;
}

/** Several changes in a row: `[path, value]` pairs, `undefined` removing the field. */
export function withFields(event: unknown, changes: readonly (readonly [Path, unknown])[]): unknown {
  return changes.reduce((current, [path, value]) => (value === undefined ? withoutField(current, path) : withField(current, path, value)), event);
}
