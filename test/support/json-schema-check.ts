import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../../shared/workbench/docs/json-schema.ts';

/**
 * What an editor would say of a document, by a real JSON Schema (2020-12) validator. Strict mode:
 * a keyword ajv does not know fails the compile instead of being ignored. Each violation is one
 * line, `<instance path>: <keyword> <the key concerned, if any>`.
 */
export function schemaViolations(value: unknown, schema: JsonSchema): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const params = error.params as { additionalProperty?: string; missingProperty?: string };
    const key = params.additionalProperty ?? params.missingProperty;
    return `${error.instancePath || '(root)'}: ${error.keyword}${key ? ` ${key}` : ''}`;
  });
}
