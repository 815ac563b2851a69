import { posix } from 'node:path';

export const KEY_PLACEHOLDERS = ['key', 'dir', 'name', 'stem', 'ext', 'srcExt', 'variant', 'date', 'pipeline', 'bucket'] as const;
export type KeyPlaceholder = (typeof KEY_PLACEHOLDERS)[number];
/** The placeholders read from the source object's key and bucket: a table trigger has none. */
export const SOURCE_KEY_PLACEHOLDERS = ['key', 'dir', 'name', 'stem', 'srcExt', 'bucket'] as const satisfies readonly KeyPlaceholder[];

export interface KeyTemplateInput {
  pipeline: string;
  sourceBucket: string;
  sourceKey: string;
  /** Extension of the output, without the dot; defaults to the source's. */
  ext?: string;
  variant?: string;
  now?: Date;
}

/** The values of every placeholder for one output. `{dir}` has no trailing slash. */
export function keyTemplateValues(input: KeyTemplateInput): Record<KeyPlaceholder, string> {
  const dir = posix.dirname(input.sourceKey);
  const name = posix.basename(input.sourceKey);
  const srcExt = posix.extname(name).slice(1);
  const stem = srcExt ? name.slice(0, -(srcExt.length + 1)) : name;
  return {
    key: input.sourceKey,
    dir: dir === '.' ? '' : dir,
    name,
    stem,
    ext: input.ext ?? srcExt,
    srcExt,
    variant: input.variant ?? '',
    date: (input.now ?? new Date()).toISOString().slice(0, 10),
    pipeline: input.pipeline,
    bucket: input.sourceBucket,
  };
}

/**
 * Renders an output key. Empty placeholders (no `{dir}` for a top-level key) would leave a leading
 * or doubled slash, which S3 keeps as a distinct, invisible key segment; those are collapsed.
 */
export function renderKey(template: string, input: KeyTemplateInput): string {
  const values = keyTemplateValues(input);
  const rendered = template.replace(/\{([^{}]*)\}/g, (_, name: string) => values[name as KeyPlaceholder] ?? `{${name}}`);
  return rendered.replace(/\/{2,}/g, '/').replace(/^\//, '').replace(/\.$/, '');
}
