import type { ConfigIssue } from '../errors.ts';
import type { YamlSource } from '../config/yaml-source.ts';
import type { Pipeline } from './schema.ts';

/**
 * The fields that project checks (checks across pipelines, after each file is valid) report on.
 * Their positions are captured when a file is parsed, so a loaded pipeline can still be pointed at
 * in `file:line:column` once its YAML document is gone.
 */
export const PIPELINE_FIELDS = ['name', 'on.bucket', 'on.table', 'to.bucket', 'to.table', 'to.key', 'onError.quarantine', 'onError.quarantine.bucket'] as const;
export type PipelineField = (typeof PIPELINE_FIELDS)[number];

export interface SourcePosition {
  line: number;
  column: number;
}

export type PipelinePositions = Readonly<Record<PipelineField, SourcePosition>>;

/** Where each reported field's value is; a defaulted field (no `to.key`) points at its parent. */
export function capturePositions(source: YamlSource): PipelinePositions {
  return Object.fromEntries(PIPELINE_FIELDS.map((field) => [field, source.positionOf(field.split('.'))])) as Record<PipelineField, SourcePosition>;
}

export function issueAt(pipeline: Pick<Pipeline, 'file' | 'positions'>, field: PipelineField, message: string): ConfigIssue {
  return { file: pipeline.file, ...pipeline.positions[field], path: field, message };
}
