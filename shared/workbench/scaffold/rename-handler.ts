import type { HandlerName } from './handler-name.ts';

/**
 * How a forked handler gets its own name. Only what names the handler changes, so the copy still
 * type-checks and its tests still pass: its folder in import paths, the identifiers declared in its
 * files that start with its name (`resizeHandler`, `resizeSpec`, `ResizeConfig`) or are its step
 * factory (`createResizeStep`), its name where it is written whole (`'resize'`, `- resize:`,
 * `# resize`). Everything else that mentions the word stays: `sharp().resize()`, `ResizeOptions`
 * from sharp, `resizedSize` are about resizing, not about the handler.
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The identifiers declared in TypeScript source (functions, variables, classes, types). */
export function declaredIdentifiers(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/\b(?:function\*?|const|let|var|class|type|interface|enum)\s+([A-Za-z_$][\w$]*)/g)) names.add(match[1]!);
  return [...names];
}

/** Old identifier → new, for the declared identifiers that name the handler. */
export function identifierRenames(identifiers: readonly string[], from: HandlerName, to: HandlerName): Map<string, string> {
  const renames = new Map<string, string>();
  const named = new RegExp(`^(?:${escape(from.camel)}(?=[A-Z0-9_$])|${escape(from.pascal)}(?=[A-Z0-9_$]|$))`);
  const factory = new RegExp(`^create${escape(from.pascal)}(?=[A-Z0-9_$]|$)`);
  for (const identifier of identifiers) {
    if (factory.test(identifier)) renames.set(identifier, identifier.replace(factory, `create${to.pascal}`));
    else if (named.test(identifier)) renames.set(identifier, identifier.replace(named, (found) => (found === from.camel ? to.camel : to.pascal)));
  }
  return renames;
}

/** One file of the copy, rewritten. */
export function renameInText(text: string, from: HandlerName, to: HandlerName, renames: ReadonlyMap<string, string>): string {
  let out = text.replace(new RegExp(`\\bhandlers/${escape(from.kebab)}/`, 'g'), `handlers/${to.kebab}/`);
  if (renames.size) {
    const pattern = new RegExp(`(?<![\\w$])(?:${[...renames.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\w$])`, 'g');
    out = out.replace(pattern, (identifier) => renames.get(identifier) ?? identifier);
  }
  // The name written whole: a string or inline code, a pipeline step key, a heading.
  // Not an indexed access (`Plan['resize']`): that names a property, not the handler.
  out = out.replace(new RegExp(`(?<!\\[)(['"\`])${escape(from.kebab)}\\1`, 'g'), `$1${to.kebab}$1`);
  out = out.replace(new RegExp(`^(\\s*-\\s+)${escape(from.kebab)}(?=:)`, 'gm'), `$1${to.kebab}`);
  out = out.replace(new RegExp(`^(#+ )${escape(from.kebab)}$`, 'gm'), `$1${to.kebab}`);
  return out;
}
