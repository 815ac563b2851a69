import type { KeyPlaceholder } from './key-template.ts';
import type { KeyPattern } from './key-pattern.ts';
import { ANY, joinPattern } from './key-pattern.ts';
import type { PipelineField } from './positions.ts';
import { QUARANTINE_REASON_SUFFIX, quarantinePrefix } from './quarantine-keys.ts';
import type { Pipeline } from './schema.ts';
import type { SourceKeyReading } from './source-keys.ts';
import { sourceKeyReadings } from './source-keys.ts';

/** One kind of object a pipeline writes, with every key it can have. */
export interface PipelineWrite {
  pipeline: Pipeline;
  kind: 'output' | 'quarantine';
  bucket: string;
  /** The key as messages show it: the template, or the quarantine key around `{key}`. */
  shownKey: string;
  /** The field that decides where it goes, for problems about it. */
  field: PipelineField;
  keys: KeyPattern[];
  /** Output keys go through `renderKey`'s clean-up; quarantine keys are written as built. */
  normalize: boolean;
}

/**
 * Placeholders a handler decides (`{ext}`, `{variant}`) or the clock does (`{date}`) can be any
 * text: the check must not depend on what a handler does today.
 */
function placeholderValue(name: KeyPlaceholder, pipeline: Pipeline, reading: SourceKeyReading): KeyPattern {
  switch (name) {
    case 'key':
    case 'dir':
    case 'name':
    case 'stem':
    case 'srcExt':
      return reading[name];
    case 'pipeline':
      return [pipeline.name];
    case 'bucket':
      return [pipeline.on.bucket];
    case 'ext':
    case 'variant':
    case 'date':
      return [ANY];
  }
}

function renderPattern(template: string, pipeline: Pipeline, reading: SourceKeyReading): KeyPattern {
  const pieces: (string | KeyPattern)[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    pieces.push(template.slice(last, match.index), placeholderValue(match[1] as KeyPlaceholder, pipeline, reading));
    last = match.index + match[0].length;
  }
  pieces.push(template.slice(last));
  return joinPattern(...pieces);
}

function distinct(patterns: KeyPattern[]): KeyPattern[] {
  const byText = new Map(patterns.map((pattern) => [JSON.stringify(pattern), pattern]));
  return [...byText.values()];
}

/** Everything `pipeline` can write: its outputs, and the failed source copied to quarantine with its `.error.json`. */
export function pipelineWrites(pipeline: Pipeline): PipelineWrite[] {
  const readings = sourceKeyReadings(pipeline.on);
  const { quarantine } = pipeline.onError;
  const quarantined = quarantinePrefix(pipeline.onError, pipeline.name, pipeline.on.bucket);
  const copies = distinct(readings.map((reading) => joinPattern(quarantined, reading.key)));
  return [
    {
      pipeline,
      kind: 'output',
      bucket: pipeline.to.bucket,
      shownKey: pipeline.to.key,
      field: 'to.key',
      keys: distinct(readings.map((reading) => renderPattern(pipeline.to.key, pipeline, reading))),
      normalize: true,
    },
    { pipeline, kind: 'quarantine', bucket: quarantine.bucket, shownKey: `${quarantined}{key}`, field: 'onError.quarantine', keys: copies, normalize: false },
    {
      pipeline,
      kind: 'quarantine',
      bucket: quarantine.bucket,
      shownKey: `${quarantined}{key}${QUARANTINE_REASON_SUFFIX}`,
      field: 'onError.quarantine',
      keys: copies.map((copy) => joinPattern(copy, QUARANTINE_REASON_SUFFIX)),
      normalize: false,
    },
  ];
}
