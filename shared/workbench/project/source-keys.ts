import { keyTemplateValues } from '../../engine/pipeline/key-template.ts';
import type { KeyPattern } from './key-pattern.ts';
import { ANY, SEGMENT, joinPattern } from './key-pattern.ts';
import type { BucketTrigger } from '../../engine/pipeline/schema.ts';

/**
 * What the key-derived placeholders can be, for the source keys a trigger lets through. Each reading
 * is one consistent case (the stem and extension of the same key); together they cover every key
 * that starts with the prefix and ends with one of the suffixes, following `keyTemplateValues`
 * (`posix.dirname`, `basename`, `extname`) exactly where the trigger says enough, and with wildcards
 * where it does not.
 */
export interface SourceKeyReading {
  key: KeyPattern;
  dir: KeyPattern;
  name: KeyPattern;
  stem: KeyPattern;
  srcExt: KeyPattern;
}

/** A key known to the letter: every placeholder is computed as the runtime computes it. */
function literalReading(key: string): SourceKeyReading {
  const values = keyTemplateValues({ pipeline: '', sourceBucket: '', sourceKey: key });
  return { key: [key], dir: [values.dir], name: [values.name], stem: [values.stem], srcExt: [values.srcExt] };
}

/** Keys `prefix + anything + suffix`. */
function readingsWithSuffix(prefix: string, suffix: string): SourceKeyReading[] {
  const key = joinPattern(prefix, ANY, suffix);
  // The last segment is partly unknown: only "name, stem and extension are one segment each" is sure.
  const unknownName = { name: [SEGMENT], stem: [SEGMENT], srcExt: [SEGMENT] };
  if (suffix.includes('/')) return [{ key, dir: [ANY], ...unknownName }];
  // The key's last `/` is in the unknown middle or in the prefix, so dirname keeps at least the
  // prefix up to its last `/`. Without a `/` in the prefix, either the key has none (no dir) or
  // dir starts with the whole prefix.
  const slash = prefix.lastIndexOf('/');
  const dirs: KeyPattern[] = slash !== -1 ? [joinPattern(prefix.slice(0, slash), ANY)] : prefix ? [[], joinPattern(prefix, ANY)] : [[ANY]];
  if (suffix !== '') return dirs.flatMap((dir) => readingsWithDir(key, dir, suffix));
  const readings: SourceKeyReading[] = dirs.map((dir) => ({ key, dir, ...unknownName }));
  // Without a suffix, the prefix itself is a key (a folder marker, `images/`), and dirname and
  // basename skip its trailing slashes: its dir is shorter than the prefix's.
  if (prefix.endsWith('/')) readings.push({ ...literalReading(prefix), key });
  return readings;
}

/** The stem and extension of names ending with `suffix` (no `/` in it). */
function readingsWithDir(key: KeyPattern, dir: KeyPattern, suffix: string): SourceKeyReading[] {
  const name = joinPattern(SEGMENT, suffix);
  const dot = suffix.lastIndexOf('.');
  if (dot === -1) {
    // The extension, if any, starts before the suffix.
    return [
      { key, dir, name, stem: [SEGMENT], srcExt: joinPattern(SEGMENT, suffix) },
      { key, dir, name, stem: name, srcExt: [] },
    ];
  }
  const ext = suffix.slice(dot + 1);
  // extname() of `name.` is `.`, so srcExt is empty and the stem is the whole name.
  if (ext === '') return [{ key, dir, name, stem: name, srcExt: [] }];
  const known = { key, dir, name, stem: joinPattern(SEGMENT, suffix.slice(0, dot)), srcExt: [ext] };
  // A name that starts with its last dot (`.jpg` alone) has no extension for extname().
  return dot === 0 ? [known, { key, dir, name: [suffix], stem: [suffix], srcExt: [] }] : [known];
}

export function sourceKeyReadings(trigger: Pick<BucketTrigger, 'prefix' | 'suffix'>): SourceKeyReading[] {
  const readings: SourceKeyReading[] = [];
  for (const suffix of trigger.suffix.length ? trigger.suffix : ['']) {
    readings.push(...readingsWithSuffix(trigger.prefix, suffix));
    // Keys shorter than prefix + suffix, where the two overlap (prefix `a.j`, suffix `.jpg`: `a.jpg`).
    for (let overlap = 1; overlap <= suffix.length; overlap++) {
      if (trigger.prefix.endsWith(suffix.slice(0, overlap))) readings.push(literalReading(trigger.prefix + suffix.slice(overlap)));
    }
  }
  return readings;
}
