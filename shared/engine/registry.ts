import type { HandlerDefinition } from '../contract/handler.ts';
import { aggregateHandler } from '../../handlers/aggregate/index.ts';
import { resizeHandler } from '../../handlers/resize/index.ts';
import { sanitizeHandler } from '../../handlers/sanitize/index.ts';

/** Name → handler. Pipelines refer to handlers by these names only. */
export type HandlerRegistry = ReadonlyMap<string, HandlerDefinition>;

export function createRegistry(handlers: readonly HandlerDefinition[]): HandlerRegistry {
  const registry = new Map<string, HandlerDefinition>();
  for (const handler of handlers) {
    if (registry.has(handler.name)) throw new Error(`handler "${handler.name}" is registered twice`);
    registry.set(handler.name, handler);
  }
  return registry;
}

/** The handlers that ship with Sluice. */
export const builtInHandlers: HandlerRegistry = createRegistry([
  resizeHandler as unknown as HandlerDefinition,
  aggregateHandler as unknown as HandlerDefinition,
  sanitizeHandler as unknown as HandlerDefinition,
]);
