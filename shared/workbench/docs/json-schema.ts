import { z } from 'zod';
import type { HandlerRegistry } from '../../engine/registry.ts';
import { pipelineSpec } from '../../engine/pipeline/schema.ts';

/**
 * JSON Schemas derived from the zod specs, for editors (yaml-language-server, VS Code) and for the
 * generated options tables. They describe the YAML as written, so they are taken from the input
 * side of each spec: a field with a default is optional, and a `.transform()` is described by what
 * it accepts. Refinements (`.refine()`, `.superRefine()`) have no JSON Schema form and are left
 * out: the editor checks shapes, types, ranges and names, and `sluice validate` checks the rest.
 */

export type JsonSchema = z.core.JSONSchema.JSONSchema;

/** Not a URL to fetch: the schema ships beside the pipelines and is found through the modeline. */
export const PIPELINE_SCHEMA_ID = 'urn:sluice:pipeline';

/** `steps[].resize.variants[].width`, from the JSON Schema path zod reports. */
function configPath(path: readonly (string | number)[]): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (segment === 'properties') out += `${out ? '.' : ''}${String(path[++i])}`;
    else if (segment === 'items') out += '[]';
    else if (segment === 'additionalProperties') out += '.*';
    else if (segment === 'anyOf' || segment === 'oneOf' || segment === 'allOf') i++;
  }
  return out || '(root)';
}

function conversionOptions(describePath: (path: readonly (string | number)[]) => string) {
  return {
    target: 'draft-2020-12',
    io: 'input',
    // A type JSON Schema cannot express (a date, a bigint, a bare transform) would otherwise become
    // `{}` and accept anything without a word: fail the generator instead, saying where.
    unrepresentable: ({ path, message }: { path: (string | number)[]; message: string }) => {
      throw new Error(`cannot describe ${describePath(path)} in the JSON Schema: ${message}. Give it an input type JSON Schema can express (e.g. a string or number, parsed with .transform()).`);
    },
  } as const;
}

/** The JSON Schema of one config spec, as written in YAML. */
export function configJsonSchema(spec: z.ZodType): JsonSchema {
  return z.toJSONSchema(spec, conversionOptions(configPath)) as JsonSchema;
}

/**
 * A step is `- <handler>: { config }`: one branch per registered handler, each an object with
 * exactly that key, so an editor completes handler names and then that handler's options, and one
 * for a module named by path (`- ./steps/stamp.ts: { config }`). A
 * handler whose config is entirely optional may be written `- name:` (YAML null); the loader
 * reads that as `{}`, so the schema allows null for it.
 */
function stepSchema(registry: HandlerRegistry): z.ZodType {
  const branches: z.ZodType[] = [...registry.values()].map((handler) => {
    const acceptsEmpty = handler.spec.safeParse({}).success;
    return z.strictObject({ [handler.name]: acceptsEmpty ? handler.spec.nullable() : handler.spec });
  });
  // A step that names a module by path: its options are its module's, checked by `sluice validate`.
  branches.push(z.record(z.string().regex(/^\.\.?\//), z.unknown()));
  return z.xor(branches);
}

/** The title of the step branch for a module named by path (`- ./steps/stamp.ts: { ... }`). */
export const MODULE_STEP_TITLE = 'module step';
const MODULE_STEP_DESCRIPTION = 'A TypeScript module that exports one handler, named by its path relative to the pipeline file (`./steps/stamp.ts`); its options are checked against its own spec by `sluice validate`.';

/**
 * The JSON Schema (draft 2020-12) of a pipeline YAML document: `pipelineSpec`, with `steps` items
 * replaced by the registered handlers' specs.
 */
export function pipelineJsonSchema(registry: HandlerRegistry): JsonSchema {
  if (registry.size === 0) throw new Error('cannot build the pipeline JSON Schema: no handler is registered');
  // One conversion for both parts, so any `$defs` (cycles, schemas with a `.meta({ id })`) are
  // numbered once and referenced from the root.
  const whole = z.object({ pipeline: pipelineSpec, 'steps[]': stepSchema(registry) });
  const converted = z.toJSONSchema(
    whole,
    conversionOptions((path) => configPath(path).replace(/^pipeline\.?/, '')),
  ) as JsonSchema;
  const document = converted.properties?.pipeline as JsonSchema;
  const step = converted.properties?.['steps[]'] as JsonSchema;
  const steps = document.properties?.steps;
  if (typeof steps !== 'object' || steps.type !== 'array') throw new Error('cannot build the pipeline JSON Schema: pipelineSpec has no `steps` list');

  // Hovering a step's handler name shows what the handler does.
  const handlers = [...registry.values()];
  step.oneOf?.forEach((branch, index) => {
    const handler = handlers[index];
    Object.assign(branch, handler ? { title: handler.name, description: handler.description } : { title: MODULE_STEP_TITLE, description: MODULE_STEP_DESCRIPTION });
  });

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: PIPELINE_SCHEMA_ID,
    title: 'Sluice pipeline',
    description: 'A Sluice pipeline definition: a trigger (`on`), handler `steps`, an output (`to`) and `onError`. Generated from the config specs (`sluice schema`): edit the specs, not this file.',
    ...document,
    properties: { ...document.properties, steps: { ...steps, items: step } },
    ...(converted.$defs ? { $defs: converted.$defs } : {}),
  };
}

/** How the schema is written to a file or stdout: stable, so the committed copy can be compared. */
export function formatJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
