import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { TableChange } from './table-change.ts';
import type { Logger } from './logger.ts';

/**
 * Where an item came from, precisely enough to recognise it when it is delivered again: a stream
 * (`source` = the stream ARN and shard) and the record's sequence number, or an object version
 * (`source` = `s3://bucket/key#etag`) and a row number. `position` is a decimal string that
 * increases within one source (compare with BigInt).
 */
export interface ItemOrigin {
  source: string;
  position: string;
}

/**
 * An object: the source object of a bucket-triggered pipeline, or an output a step emits (resize
 * emits one per variant). The output writes each to the destination bucket under the key template.
 */
export interface ObjectItem {
  kind: 'object';
  body: Buffer | Readable;
  /**
   * The body's length in bytes when it is known before the body is read (a source object's
   * Content-Length): a step with a size limit can refuse the object, naming its size, without reading it.
   */
  size?: number;
  contentType?: string;
  /** File extension for the `{ext}` placeholder, without the dot. */
  ext?: string;
  /** Name for the `{variant}` placeholder. */
  variant?: string;
  /** User metadata to store on the output object (`x-amz-meta-*`), ASCII values. */
  metadata?: Record<string, string>;
  cacheControl?: string;
}

/** A record of plain values (a CSV row, a JSON object); a table output writes it as an item. */
export interface RowItem {
  kind: 'row';
  row: Record<string, unknown>;
  origin: ItemOrigin;
}

/** One change from a table's stream: the items a table-triggered pipeline's first step receives. */
export interface ChangeItem {
  kind: 'change';
  change: TableChange;
  origin: ItemOrigin;
}

/** One contribution of one record to a group, recognised by its origin when delivered again. */
export interface Contribution {
  origin: ItemOrigin;
  delta: unknown;
}

/**
 * A change to one item of the output table that must be applied exactly once in effect: the table
 * output reads the item, keeps only the contributions it has not applied before (by origin), folds
 * them in and writes the item back with one conditional write.
 */
export interface GroupUpdateItem {
  kind: 'group-update';
  /** The item's attributes that identify it, including the output table's key. */
  group: Record<string, unknown>;
  /** In delivery order. */
  contributions: Contribution[];
  /**
   * Folds the fresh contributions into the item's state (undefined for a new item): pure. Returns
   * the state to keep and the attributes users read.
   */
  fold(state: unknown, fresh: readonly Contribution[]): { state: unknown; attributes: Record<string, unknown> };
}

/** Why one record could not be processed: it goes to quarantine with these reasons, the rest go on. */
export interface RejectReason {
  /** The field concerned, when there is one. */
  field?: string;
  message: string;
}

/** A record a step refused; the runtime quarantines it with its reasons and carries on with the others. */
export interface RejectedItem {
  kind: 'rejected';
  origin: ItemOrigin;
  reasons: RejectReason[];
  /** The record as it came (quarantined with the reasons); PII rules apply before it gets here. */
  record?: unknown;
}

export interface ItemKinds {
  object: ObjectItem;
  row: RowItem;
  change: ChangeItem;
  'group-update': GroupUpdateItem;
}
export type ItemKind = keyof ItemKinds;
export const ITEM_KINDS = ['object', 'row', 'change', 'group-update'] as const satisfies readonly ItemKind[];
export type Item = ItemKinds[ItemKind];

export interface SourceObject {
  bucket: string;
  key: string;
  eTag?: string;
  size?: number;
  contentType?: string;
}

/** Counts a step keeps about what it did with one source (rows in, clean, rejected by reason, ...), for the summary and the report. */
export type StepSummary = Record<string, number | Record<string, number>>;

export interface StepContext {
  pipeline: string;
  /** The object that started a bucket-triggered pipeline. */
  source?: SourceObject;
  /** The table whose stream started a table-triggered pipeline. */
  table?: string;
  logger: Logger;
  /**
   * Hands the runtime the step's summary of this source, once it has read all of it: the runtime
   * writes it beside the source in the quarantine bucket (`<key>.summary.json`) and shows it in the
   * report. Counts only: never a value from the data.
   */
  report?(summary: StepSummary): void;
}

/**
 * A step's core: plain async iteration, no AWS import. It may also emit `rejected` items for
 * records it refuses; the runtime takes those out of the flow and quarantines them.
 */
export type Step<In extends Item = Item, Out extends Item = Item> = (items: AsyncIterable<In>, ctx: StepContext) => AsyncIterable<Out | RejectedItem>;

/** What the function a step runs in has on Lambda (and is taken to have locally): memory in MB, timeout in seconds. */
export interface FunctionLimits {
  memorySize: number;
  timeout: number;
}

/**
 * Something a handler's options would get wrong in a function of given limits, found before
 * anything runs. `path` is the option's place in the step's options (`['variants', 0, 'width']`,
 * `[]` for the step as a whole); the project checks turn it into `file:line:column` and the
 * option's full path. An error stops `sluice validate` and a deployment; a warning is printed.
 */
export interface OptionProblem {
  path: readonly (string | number)[];
  message: string;
  severity: 'error' | 'warning';
}

/**
 * A handler, as registered: its config spec is declared once (zod) and every other view of the
 * config (type, validation, docs) is derived from it. `accepts` and `emits` say which items it
 * takes and gives, so a pipeline whose steps do not fit together is refused before it runs. What
 * it needs of Lambda travels with it (`lambda`, `preflight`): a fork keeps every check.
 */
export interface HandlerDefinition<Spec extends z.ZodType = z.ZodType, In extends ItemKind = ItemKind, Out extends ItemKind = ItemKind> {
  name: string;
  description: string;
  spec: Spec;
  accepts: readonly In[];
  emits: Out;
  /** What its function needs on Lambda by default (the pipeline's `lambda` overrides): memory in MB, timeout in seconds. */
  lambda?: FunctionLimits;
  /** What these options would get wrong in a function with these limits (memory, time): run by `sluice validate` and before packaging. */
  preflight?(config: z.output<Spec>, limits: FunctionLimits): OptionProblem[];
  /** The step's core for these options; `limits` are those of the function it runs in, for defaults that follow from them. */
  createStep(config: z.output<Spec>, limits: FunctionLimits): Step<ItemKinds[In], ItemKinds[Out]>;
}
