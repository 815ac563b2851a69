import type { KeyPlaceholder } from '../../engine/pipeline/key-template.ts';
import type { KeyPattern } from './key-pattern.ts';
import { ANY, joinPattern } from './key-pattern.ts';
import type { PipelineField } from '../../engine/pipeline/positions.ts';
import { QUARANTINE_REASON_SUFFIX, REJECTED_RECORDS_SUFFIX, SUMMARY_SUFFIX, quarantinePrefix } from '../../engine/pipeline/quarantine-keys.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { SourceKeyReading } from './source-keys.ts';
import { sourceKeyReadings } from './source-keys.ts';

/** A bucket or a table, as the project graph names them. */
export interface ResourceRef {
  type: 'bucket' | 'table';
  name: string;
}

/** One kind of thing a pipeline writes: objects (with every key they can have) or table items. */
export interface PipelineWrite {
  pipeline: Pipeline;
  kind: 'output' | 'quarantine';
  resource: ResourceRef;
  /** What messages show: the key template, the quarantine key around `{key}`, or the table. */
  shownKey: string;
  /** The field that decides where it goes, for problems about it. */
  field: PipelineField;
  /** Every key an object write can have; empty for a table. */
  keys: KeyPattern[];
  /** Output keys go through `renderKey`'s clean-up; quarantine keys are written as built. */
  normalize: boolean;
}

/** What a table trigger knows of its "source key": nothing (the key template may not use it). */
const UNKNOWN_SOURCE: SourceKeyReading = { key: [ANY], dir: [ANY], name: [ANY], stem: [ANY], srcExt: [ANY] };

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
      return isBucketTrigger(pipeline.on) ? [pipeline.on.bucket] : [ANY];
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

function outputWrite(pipeline: Pipeline, readings: readonly SourceKeyReading[]): PipelineWrite {
  const { to } = pipeline;
  if (!isBucketOutput(to)) {
    return { pipeline, kind: 'output', resource: { type: 'table', name: to.table }, shownKey: `table ${to.table}`, field: 'to.table', keys: [], normalize: false };
  }
  return {
    pipeline,
    kind: 'output',
    resource: { type: 'bucket', name: to.bucket },
    shownKey: to.key,
    field: 'to.key',
    keys: distinct(readings.map((reading) => renderPattern(to.key, pipeline, reading))),
    normalize: true,
  };
}

/**
 * Everything `pipeline` can write: its outputs; and in the quarantine, for a bucket trigger the
 * failed source's copy, its `.error.json`, the records steps rejected from it and their summary, for a table
 * trigger a JSON file per failed or rejected batch.
 */
export function pipelineWrites(pipeline: Pipeline): PipelineWrite[] {
  const { quarantine } = pipeline.onError;
  const quarantineWrite = (shownKey: string, keys: KeyPattern[]): PipelineWrite => ({
    pipeline,
    kind: 'quarantine',
    resource: { type: 'bucket', name: quarantine.bucket },
    shownKey,
    field: 'onError.quarantine',
    keys,
    normalize: false,
  });
  if (!isBucketTrigger(pipeline.on)) {
    const batches = quarantinePrefix(pipeline.onError, pipeline.name, pipeline.on.table);
    return [outputWrite(pipeline, [UNKNOWN_SOURCE]), quarantineWrite(`${batches}{first}-{last}.{failed|rejected}.json`, [joinPattern(batches, ANY, '.json')])];
  }
  const readings = sourceKeyReadings(pipeline.on);
  const quarantined = quarantinePrefix(pipeline.onError, pipeline.name, pipeline.on.bucket);
  const copies = distinct(readings.map((reading) => joinPattern(quarantined, reading.key)));
  return [
    outputWrite(pipeline, readings),
    quarantineWrite(`${quarantined}{key}`, copies),
    quarantineWrite(`${quarantined}{key}${QUARANTINE_REASON_SUFFIX}`, copies.map((copy) => joinPattern(copy, QUARANTINE_REASON_SUFFIX))),
    quarantineWrite(`${quarantined}{key}${REJECTED_RECORDS_SUFFIX}`, copies.map((copy) => joinPattern(copy, REJECTED_RECORDS_SUFFIX))),
    quarantineWrite(`${quarantined}{key}${SUMMARY_SUFFIX}`, copies.map((copy) => joinPattern(copy, SUMMARY_SUFFIX))),
  ];
}
