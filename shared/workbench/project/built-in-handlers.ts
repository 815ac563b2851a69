import type { HandlerDefinition } from '../../contract/handler.ts';
import { createRegistry } from '../../engine/registry.ts';
import type { HandlerRegistry } from '../../engine/registry.ts';
import { aggregateHandler } from '../../../handlers/aggregate/index.ts';
import { resizeHandler } from '../../../handlers/resize/index.ts';
import { sanitizeHandler } from '../../../handlers/sanitize/index.ts';

/**
 * The handlers that ship with Sluice, for a project that has no folder of its own for them. A
 * deployed function registers only the handlers its pipeline uses (see deploy/bundle.ts).
 */
export const builtInHandlers: HandlerRegistry = createRegistry([
  resizeHandler as unknown as HandlerDefinition,
  aggregateHandler as unknown as HandlerDefinition,
  sanitizeHandler as unknown as HandlerDefinition,
]);
