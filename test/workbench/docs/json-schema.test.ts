import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { JsonSchema } from '../../../shared/workbench/docs/json-schema.ts';
import { MODULE_STEP_TITLE, configJsonSchema, pipelineJsonSchema } from '../../../shared/workbench/docs/json-schema.ts';
import { loadProjectRegistry } from '../../../shared/workbench/project/project-handlers.ts';
import { createRegistry } from '../../../shared/engine/registry.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';
import type { HandlerDefinition } from '../../../shared/contract/handler.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { TEST_FILE_SUFFIX } from '../../../shared/workbench/project/load-project.ts';
import { RESOURCES_FILE } from '../../../shared/engine/pipeline/resources.ts';
import { schemaViolations } from '../../support/json-schema-check.ts';
import { repoRoot } from '../../support/paths.ts';
import { codeBlocks, documentationFiles } from '../../support/docs.ts';

const schema = pipelineJsonSchema(builtInHandlers);

/** The schema node at `path`, following properties, list items and the step branch of a handler. */
function nodeAt(path: string[]): JsonSchema {
  let node: JsonSchema = schema;
  for (const segment of path) {
    if (segment === '[]') node = node.items as JsonSchema;
    else if (node.oneOf ?? node.anyOf) node = (node.oneOf ?? node.anyOf)!.find((branch) => branch.properties?.[segment])?.properties?.[segment] as JsonSchema;
    else node = node.properties?.[segment] as JsonSchema;
    expect(node, path.join('.')).toBeDefined();
  }
  return node;
}

/** Every node with `properties`, to check invariants that hold for the whole schema. */
function objectNodes(node: unknown, out: JsonSchema[] = []): JsonSchema[] {
  if (node === null || typeof node !== 'object') return out;
  if ('properties' in node) out.push(node as JsonSchema);
  for (const child of Object.values(node)) objectNodes(child, out);
  return out;
}

/** The pipelines as shipped and as shown in the docs. */
async function examplePipelines(): Promise<{ where: string; text: string }[]> {
  const out: { where: string; text: string }[] = [];
  for (const name of (await readdir(join(repoRoot, 'pipelines'))).filter((file) => /\.ya?ml$/.test(file) && file !== RESOURCES_FILE && !file.endsWith(TEST_FILE_SUFFIX))) {
    out.push({ where: `pipelines/${name}`, text: await readFile(join(repoRoot, 'pipelines', name), 'utf8') });
  }
  for (const page of await documentationFiles()) {
    for (const yaml of await codeBlocks(page, 'yaml')) if (/^name:/m.test(yaml) && /^steps:/m.test(yaml)) out.push({ where: page, text: yaml });
  }
  return out;
}

async function thumbnails(): Promise<Record<string, unknown>> {
  return parse(await readFile(join(repoRoot, 'pipelines', 'thumbnails.yml'), 'utf8')) as Record<string, unknown>;
}

describe('pipelineJsonSchema', () => {
  it('is a draft 2020-12 schema with an id and a title, that a strict validator compiles', () => {
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'urn:sluice:pipeline', title: 'Sluice pipeline', type: 'object' });
    expect(schemaViolations({}, schema)).not.toEqual([]);
  });

  it('rejects unknown keys everywhere, as the loader does', () => {
    const objects = objectNodes(schema);
    expect(objects.length).toBeGreaterThan(6);
    for (const node of objects) expect(node.additionalProperties, Object.keys(node.properties ?? {}).join(', ')).toBe(false);
  });

  it('has the fields, requirements, defaults and descriptions of the specs', () => {
    expect(schema.required).toEqual(['name', 'on', 'steps', 'to', 'onError']);
    expect(nodeAt(['on', 'events'])).toMatchObject({ type: 'array', items: { enum: ['created', 'removed'] }, default: ['created'] });
    // A trigger is a bucket's events or a table's stream.
    expect(nodeAt(['on']).anyOf?.map((option) => option.required)).toEqual([['bucket'], ['table', 'startingPosition']]);
    expect(nodeAt(['on', 'batchSize'])).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000, default: 100 });
    expect(nodeAt(['on', 'startingPosition'])).toMatchObject({ enum: ['TRIM_HORIZON', 'LATEST'] });
    expect(nodeAt(['to']).anyOf?.map((option) => option.required)).toEqual([['bucket'], ['table']]);
    expect(nodeAt(['onError', 'retries'])).toMatchObject({ type: 'integer', minimum: 0, maximum: 10 });
    expect(nodeAt(['onError', 'retries']).description).toContain('default 2');
    expect(nodeAt(['to', 'key'])).toMatchObject({ type: 'string', default: '{key}' });
    expect(nodeAt(['to', 'key']).description).toContain('{variant}');
    // The input side of `suffix`: one string or a list, before the transform makes it a list.
    expect(nodeAt(['on', 'suffix']).anyOf?.map((option) => option.type)).toEqual(['string', 'array']);
  });

  it('describes each step as exactly one registered handler with its own options', () => {
    const steps = nodeAt(['steps']);
    expect(steps).toMatchObject({ type: 'array', minItems: 1 });
    const branches = (steps.items as JsonSchema).oneOf ?? [];
    expect(branches.map((branch) => branch.title)).toEqual([...builtInHandlers.keys(), MODULE_STEP_TITLE]);
    for (const branch of branches.slice(0, -1)) {
      expect(branch).toMatchObject({ type: 'object', required: [branch.title], additionalProperties: false });
      expect(branch.description).toBe(builtInHandlers.get(branch.title!)?.description);
    }
    expect(nodeAt(['steps', '[]', 'resize']).required).toEqual(['variants']);
    expect(nodeAt(['steps', '[]', 'resize', 'variants', '[]', 'width'])).toMatchObject({ type: 'integer', minimum: 1, maximum: 16384 });
    expect(nodeAt(['steps', '[]', 'resize', 'variants', '[]', 'fit'])).toMatchObject({ enum: ['cover', 'contain', 'fill', 'inside', 'outside'], default: 'cover' });
    expect(nodeAt(['steps', '[]', 'resize', 'variants', '[]', 'quality']).description).toContain('jpeg 80');
  });

  it('takes a step that names a module by its path, with any options (its spec checks them at load)', async () => {
    const doc = await thumbnails();
    const steps = doc.steps as unknown[];
    steps.push({ './steps/stamp.ts': { text: 'hi' } });
    expect(schemaViolations(doc, schema)).toEqual([]);
    steps[1] = { 'steps/stamp.ts': { text: 'hi' } };
    expect(schemaViolations(doc, schema).join('\n')).toMatch(/^\/steps\/1: oneOf$/m);
  });

  it('accepts the shipped pipelines and every pipeline shown in the READMEs', async () => {
    // With the project's own handlers too, as `npm run docs` writes it: a fork's README shows its name.
    const projectSchema = pipelineJsonSchema(await loadProjectRegistry(repoRoot));
    const examples = await examplePipelines();
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const { where, text } of examples) expect(schemaViolations(parse(text), projectSchema), where).toEqual([]);
  });

  type Mapping = Record<string, unknown>;
  /** The mapping (or list) at `path` in a parsed document, to change it in place. */
  const at = (doc: Mapping, ...path: (string | number)[]): Mapping => path.reduce<Mapping>((node, key) => node[key] as Mapping, doc);
  const variant = (doc: Mapping) => at(doc, 'steps', 0, 'resize', 'variants', 0);

  const mistakes: [string, (doc: Mapping) => void, RegExp][] = [
    ['a typo in a pipeline key', (doc) => (at(doc, 'on').prefx = 'images/'), /^\/on: additionalProperties prefx$/m],
    ['a typo at the top level', (doc) => (doc.stepz = []), /^\(root\): additionalProperties stepz$/m],
    ['a missing required field', (doc) => delete doc.to, /^\(root\): required to$/m],
    ['an event that does not exist', (doc) => (at(doc, 'on').events = ['deleted']), /^\/on\/events\/0: enum$/m],
    ['an empty suffix list', (doc) => (at(doc, 'on').suffix = []), /^\/on\/suffix: anyOf$/m],
    ['a pipeline name with capitals', (doc) => (doc.name = 'Thumbnails'), /^\/name: pattern$/m],
    ['too many retries', (doc) => (at(doc, 'onError').retries = 11), /^\/onError\/retries: maximum$/m],
    ['an unknown handler', (doc) => (at(doc, 'steps')[0] = { resise: at(doc, 'steps', 0).resize }), /^\/steps\/0: oneOf$/m],
    ['two handlers in one step', (doc) => (at(doc, 'steps', 0).extra = {}), /^\/steps\/0: additionalProperties extra$/m],
    ['a typo in a handler option', (doc) => (variant(doc).widht = 10), /^\/steps\/0\/resize\/variants\/0: additionalProperties widht$/m],
    ['a number given as a string', (doc) => (variant(doc).width = '200'), /^\/steps\/0\/resize\/variants\/0\/width: type$/m],
    ['a value out of range', (doc) => (variant(doc).width = 20000), /^\/steps\/0\/resize\/variants\/0\/width: maximum$/m],
    ['a value not in an enum', (doc) => (variant(doc).fit = 'covr'), /^\/steps\/0\/resize\/variants\/0\/fit: enum$/m],
    ['a handler without its required option', (doc) => (at(doc, 'steps', 0).resize = { limitInputPixels: 10 }), /^\/steps\/0\/resize: required variants$/m],
  ];

  it.each(mistakes)('rejects %s, and so does the loader', async (_what, mutate, expected) => {
    const doc = await thumbnails();
    mutate(doc);
    expect(schemaViolations(doc, schema).join('\n')).toMatch(expected);
    expect(parsePipeline(stringify(doc), 'mutated.yml', builtInHandlers).issues).not.toEqual([]);
  });
});

describe('the schema of other handlers', () => {
  const handler = (name: string, spec: z.ZodType): HandlerDefinition => ({ name, description: `${name} things`, spec, accepts: ['object'], emits: 'object', createStep: () => async function* step() {} });

  it('allows `- name:` with no config for a handler whose options are all optional, as the loader does', () => {
    const registry = createRegistry([handler('tidy', z.strictObject({ trim: z.boolean().default(true) })), ...builtInHandlers.values()]);
    const tidy = pipelineJsonSchema(registry);
    const doc = { name: 'tidy', on: { bucket: 'in-bucket' }, steps: [{ tidy: null }], to: { bucket: 'out-bucket' }, onError: { quarantine: { bucket: 'quarantine' } } };
    expect(schemaViolations(doc, tidy)).toEqual([]);
    expect(parsePipeline(stringify(doc), 'tidy.yml', registry).issues).toEqual([]);
    expect(schemaViolations({ ...doc, steps: [{ resize: null }] }, tidy)).not.toEqual([]);
  });

  it('fails, naming the option, when a spec has a type JSON Schema cannot express', () => {
    const registry = createRegistry([handler('stamp', z.strictObject({ after: z.date() }))]);
    expect(() => pipelineJsonSchema(registry)).toThrow(/cannot describe steps\[\]\.stamp\.after in the JSON Schema: Date cannot be represented/);
    expect(() => configJsonSchema(z.strictObject({ nested: z.strictObject({ after: z.date() }) }))).toThrow(/cannot describe nested\.after/);
  });

  it('describes a transform by what it accepts', () => {
    const spec = z.strictObject({ size: z.string().regex(/^\d+k$/).transform((text) => Number.parseInt(text, 10) * 1024) });
    expect(configJsonSchema(spec).properties?.size).toEqual({ type: 'string', pattern: '^\\d+k$' });
  });
});
