/**
 * The dashboard's JSON API: what the server (shared/dashboard/) sends and the page (ui/) reads.
 * Types only, no imports, so the browser code and the Node code share them.
 */

export type StepCounts = Record<string, number | Record<string, number>>;

/** A bucket or table (drawn as a cylinder or a box), or a pipeline. */
export interface GraphNode {
  id: string;
  type: 'bucket' | 'table' | 'pipeline';
  name: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'trigger' | 'output' | 'quarantine';
  label: string;
  cycle: boolean;
}

export interface PipelineInfo {
  name: string;
  description?: string;
  trigger: 'bucket' | 'table';
  /** The bucket or table that starts it. */
  source: string;
  /** For a bucket trigger: the key prefix uploads should go under to start it. */
  prefix?: string;
  suffixes?: string[];
  steps: string[];
  quarantineBucket: string;
}

export interface TableInfo {
  name: string;
  keys: string[];
}

export interface ProjectView {
  nodes: GraphNode[];
  edges: GraphEdge[];
  pipelines: PipelineInfo[];
  buckets: string[];
  tables: TableInfo[];
  endpoints: { s3: string; dynamodb: string };
}

export interface OutputView {
  bucket?: string;
  key?: string;
  table?: string;
  /** Items written to `table`. */
  items?: number;
  size: number;
  contentType?: string;
}

export interface StepView {
  name: string;
  ms: number;
  counts?: StepCounts;
}

/** One invocation: an object through a bucket pipeline, or a stream batch through a table pipeline. */
export interface RunView {
  id: number;
  time: string;
  pipeline: string;
  trigger: 'bucket' | 'table';
  /** `bucket/key`, or `<table> stream`. */
  source: string;
  status: 'processed' | 'quarantined' | 'skipped' | 'deleted' | 'failed' | 'retrying';
  /** Objects or stream records taken in. */
  items: number;
  outputs: OutputView[];
  outputCount: number;
  rejected: number;
  durationMs: number;
  steps: StepView[];
  error?: { code: string; message: string; step?: string };
  /** Why a skipped object was not processed. */
  reason?: string;
  quarantineKey?: string;
}

/** What a pipeline did since `sluice dev` started. */
export interface PipelineTotals {
  pipeline: string;
  unit: 'objects' | 'records';
  itemsIn: number;
  processed: number;
  outputs: number;
  outputBytes: number;
  quarantined: number;
  rejected: number;
  skipped: number;
  failed: number;
  busyMs: number;
  steps: StepView[];
}

export interface RunsView {
  runs: RunView[];
  totals: PipelineTotals[];
}

/** Sent on the event stream for each invocation as it finishes. */
export interface RunEvent {
  run: RunView;
  totals: PipelineTotals[];
}

export interface ObjectEntry {
  key: string;
  size: number;
  lastModified?: string;
}

export interface ObjectList {
  bucket: string;
  prefix: string;
  objects: ObjectEntry[];
  /** More keys than listed. */
  truncated: boolean;
}

export interface ImageInfo {
  format: string;
  width: number;
  height: number;
}

export interface ObjectDetail {
  bucket: string;
  key: string;
  size: number;
  contentType?: string;
  lastModified?: string;
  eTag?: string;
  metadata: Record<string, string>;
  image?: ImageInfo;
  /** The source this object was made from, by a pipeline's output metadata. */
  madeFrom?: { pipeline: string; bucket: string; key: string };
}

/** An object and what each pipeline made of it, from the pipelines' records of the source. */
export interface VariantsView {
  source: ObjectDetail;
  derived: { pipeline: string; time: string; outputs: (OutputView & { detail?: ObjectDetail })[] }[];
}

export interface QuarantineEntry {
  kind: 'object' | 'rejected-records' | 'batch' | 'rejected-record';
  bucket: string;
  /** The reason file's key (the quarantined copy is beside it). */
  key: string;
  /** The quarantined copy of the source object, when there is one. */
  copyKey?: string;
  pipeline: string;
  /** `bucket/key` of the source object, or the table of the stream. */
  source: string;
  time?: string;
  error?: { code: string; message: string; step?: string };
  /** Rejected records: each one's reasons (the first ones of a large file). */
  records?: { position?: string; step?: string; reasons: { field?: string; message: string }[] }[];
  recordCount?: number;
}

export interface TableView {
  name: string;
  columns: string[];
  rows: string[][];
  total: number;
}

export interface CostRow {
  pipeline: string;
  unit: 'objects' | 'records';
  events: number;
  eventsPerInvocation: number;
  invocations: number;
  billedMs: number;
  memorySize: number;
  architecture: string;
  gbSeconds: number;
  requestCost: number;
  durationCost: number;
}

export interface CostView {
  /** Where the durations come from: this session's invocations, or the last recorded run. */
  measured: { command: 'run' | 'dev'; finishedAt: string; session: boolean } | undefined;
  events: number;
  region: string;
  pipelines: CostRow[];
  /** Pipelines with nothing to price from, each with the reason. */
  unpriced: { pipeline: string; message: string }[];
  /** What a pipeline's price rests on, when not every invocation measured (some skipped, or an earlier run's). */
  notes: { pipeline: string; message: string }[];
  total: { requestCost: number; durationCost: number };
  freeTier: { requestCost: number; durationCost: number };
  cost: number;
}
