import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { encodeS3EventKey } from '../../../events/s3/key-encoding.ts';
import { corpus } from '../../support/paths.ts';

/**
 * The shared corpus of sample events, read in place (never copied into the project): real AWS
 * samples, SDK fixtures and LocalStack recordings, listed in its SOURCES.md.
 */

export const corpusDir = corpus('aws-lambda-events');

/** Every file of the corpus, relative to it, with `/` separators, sorted. */
export function listCorpusFiles(dir = corpusDir): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(corpusDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export function readCorpusText(relative: string): string {
  return readFileSync(path.join(corpusDir, relative), 'utf8');
}

export function readCorpusJson(relative: string): unknown {
  return JSON.parse(readCorpusText(relative));
}

interface SamTag {
  default?: string;
  encoding?: string;
  hashing?: string;
  children?: Record<string, SamTag>;
}

/** Tag values by mustache name: defaults, and children derived from their parent (md5 of the body). */
function samValues(tags: Record<string, SamTag>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, tag] of Object.entries(tags)) {
    if (tag.default === undefined) continue;
    // quote(safe="/") differs from S3's quote_plus only in writing a space as %20.
    const value = tag.encoding === 'url' ? encodeS3EventKey(tag.default).replace(/\+/g, '%20') : tag.default;
    values.set(name.replace(/-/g, '_'), value);
    for (const [child, spec] of Object.entries(tag.children ?? {})) {
      if (spec.hashing === 'md5') values.set(child, createHash('md5').update(value).digest('hex'));
    }
  }
  return values;
}

/**
 * A SAM CLI template filled in as `sam local generate-event` does with its defaults: mustache
 * `{{{tag}}}` replaced by the tag's default from event-mapping.json, URL-quoted (Python `quote`,
 * space as %20) where the mapping says `"encoding": "url"`.
 */
export function renderSamTemplate(relative: string): unknown {
  const mapping = readCorpusJson('aws-sam-cli/event-mapping.json') as Record<string, Record<string, { filename: string; tags: Record<string, SamTag> }>>;
  const name = path.basename(relative, '.json');
  const entry = Object.values(mapping)
    .flatMap((service) => Object.values(service))
    .find((event) => event.filename === name);
  if (!entry) throw new Error(`no event-mapping.json entry for SAM template ${name}`);
  const values = samValues(entry.tags);
  const text = readCorpusText(relative).replace(/\{\{\{(\w+)\}\}\}/g, (_match, tag: string) => {
    const value = values.get(tag);
    if (value === undefined) throw new Error(`SAM template ${name}: no default for {{{${tag}}}}`);
    return value;
  });
  return JSON.parse(text);
}

/** A corpus file as the event Lambda would receive (SAM templates rendered first). */
export function loadCorpusEvent(relative: string): unknown {
  return relative.startsWith('aws-sam-cli/templates/') ? renderSamTemplate(relative) : readCorpusJson(relative);
}
