import { UsageError } from '../../contract/errors.ts';
import { HANDLER_NAME_PATTERN, HANDLER_NAME_RULE } from '../project/definition-check.ts';

/** The forms of a handler name: `add-watermark` is `addWatermark` in code, `AddWatermark` in types. */
export interface HandlerName {
  kebab: string;
  camel: string;
  pascal: string;
}

export function handlerName(kebab: string): HandlerName {
  const words = kebab.split('-');
  const pascal = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return { kebab, camel: pascal.charAt(0).toLowerCase() + pascal.slice(1), pascal };
}

/** A name given on the command line, checked: kebab-case, as folders and pipelines write it. */
export function parseHandlerName(value: string): HandlerName {
  if (!HANDLER_NAME_PATTERN.test(value)) throw new UsageError(`expected ${HANDLER_NAME_RULE} (e.g. "add-watermark"), found ${JSON.stringify(value)}`);
  return handlerName(value);
}
