import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { Logger } from '../log/logger.ts';

/**
 * What flows between the steps of a bucket-triggered pipeline: objects. The first item is the source
 * object; a step may emit several (resize emits one per variant). The output writes each emitted
 * item to the destination bucket under the pipeline's key template.
 */
export interface ObjectItem {
  body: Buffer | Readable;
  contentType?: string;
  /** File extension for the `{ext}` placeholder, without the dot. */
  ext?: string;
  /** Name for the `{variant}` placeholder. */
  variant?: string;
  /** User metadata to store on the output object (`x-amz-meta-*`), ASCII values. */
  metadata?: Record<string, string>;
  cacheControl?: string;
}

export interface SourceObject {
  bucket: string;
  key: string;
  eTag?: string;
  size?: number;
  contentType?: string;
}

export interface StepContext {
  pipeline: string;
  source: SourceObject;
  logger: Logger;
}

/** A step's core: plain async iteration, no AWS import. */
export type Step = (items: AsyncIterable<ObjectItem>, ctx: StepContext) => AsyncIterable<ObjectItem>;

/**
 * A handler, as registered: its config spec is declared once (zod) and every other view of the
 * config (type, validation, docs) is derived from it.
 */
export interface HandlerDefinition<Spec extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  spec: Spec;
  createStep(config: z.output<Spec>): Step;
}
