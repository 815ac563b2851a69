import type { HandlerDefinition } from '../contract/handler.ts';

/** Name → handler. Pipelines refer to handlers by these names only (or to a module step by its path, as written). */
export type HandlerRegistry = ReadonlyMap<string, HandlerDefinition>;

export function createRegistry(handlers: readonly HandlerDefinition[]): HandlerRegistry {
  const registry = new Map<string, HandlerDefinition>();
  for (const handler of handlers) {
    if (registry.has(handler.name)) throw new Error(`handler "${handler.name}" is registered twice`);
    registry.set(handler.name, handler);
  }
  return registry;
}

/** What looks like a handler among a module's exports: it has a `createStep`, or a `spec` and a `name`. */
export function looksLikeHandler(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('createStep' in value || ('spec' in value && 'name' in value));
}

/**
 * The handler a module registers: its one export that looks like a handler. The workbench checks
 * a module's exports fully (shared/workbench/project/definition-check.ts) before anything runs or
 * is packaged; a function only takes the handler from a module it was packaged with.
 */
export function handlerOfModule(exports: Record<string, unknown>, module: string): HandlerDefinition {
  const found = Object.values(exports).filter(looksLikeHandler);
  if (found.length !== 1) throw new Error(`${module} exports ${found.length} handlers; a module registers exactly one`);
  return found[0] as HandlerDefinition;
}
