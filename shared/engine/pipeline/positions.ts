import type { ConfigIssue } from '../../contract/errors.ts';
import { formatPath } from '../../contract/describe-issue.ts';
import type { YamlSource } from './yaml-source.ts';
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

export interface PipelinePositions extends Readonly<Record<PipelineField, SourcePosition>> {
  /**
   * Every value written in the file, by field path (`steps[0].resize.limitInputPixels`): for the
   * pre-flight checks, which look into step configs and need to know what was left to a default.
   */
  readonly written?: Readonly<Record<string, SourcePosition>>;
}

/** Where each reported field's value is; a defaulted field (no `to.key`) points at its parent. */
export function capturePositions(source: YamlSource): PipelinePositions {
  const fields = Object.fromEntries(PIPELINE_FIELDS.map((field) => [field, source.positionOf(field.split('.'))])) as Record<PipelineField, SourcePosition>;
  return { ...fields, written: source.writtenPositions() };
}

export type FieldPath = readonly (string | number)[];

/** Whether the field was written in the file, rather than left to its default. */
export function isWritten(pipeline: Pick<Pipeline, 'positions'>, path: FieldPath): boolean {
  return pipeline.positions.written?.[formatPath(path)] !== undefined;
}

/** An issue at any field of the file; a field left to its default points at the nearest written parent. */
export function issueAtPath(pipeline: Pick<Pipeline, 'file' | 'positions'>, path: FieldPath, message: string): ConfigIssue {
  const written = pipeline.positions.written ?? {};
  let position: SourcePosition = pipeline.positions.name ?? { line: 1, column: 1 };
  for (let length = path.length; length > 0; length--) {
    const found = written[formatPath(path.slice(0, length))];
    if (found) {
      position = found;
      break;
    }
  }
  return { file: pipeline.file, ...position, path: formatPath(path), message };
}

export function issueAt(pipeline: Pick<Pipeline, 'file' | 'positions'>, field: PipelineField, message: string): ConfigIssue {
  return { file: pipeline.file, ...pipeline.positions[field], path: field, message };
}
