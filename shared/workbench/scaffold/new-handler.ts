import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadProjectHandlers } from '../project/project-handlers.ts';
import { OPTIONS_END, OPTIONS_START } from '../docs/options-table.ts';
import { checkNewHandlerName, handlerFolder, testsFolder } from './fork-handler.ts';
import type { HandlerName } from './handler-name.ts';
import { parseHandlerName } from './handler-name.ts';

/**
 * `sluice new handler NAME`: a handler of the shape every handler has (spec, core, entry, tests,
 * README, in one folder), which works as written: it takes each object and passes it on with a label in its
 * metadata, so the user replaces a working example rather than fills in blanks.
 */

function specFile(name: HandlerName): string {
  return `import { z } from 'zod';

/**
 * The ${name.kebab} handler's configuration, declared once: the TypeScript types, YAML validation,
 * the JSON Schema for editors and the README options table all come from this file. Describe each
 * option (\`.describe()\`): the text is the option's documentation. \`npm run docs\` regenerates the
 * README table and the schema after a change.
 */
export const ${name.camel}Spec = z
  .strictObject({
    label: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[\\x20-\\x7e]*$/, 'printable ASCII text (S3 metadata is ASCII)')
      .default('${name.kebab}')
      .describe('Written as the \`label\` user metadata (x-amz-meta-label) of every object. An example option: replace it with yours.'),
  })
  .describe('${name.pascal} options.');

export type ${name.pascal}Config = z.output<typeof ${name.camel}Spec>;
/** The configuration as written in YAML, before defaults are applied. */
export type ${name.pascal}ConfigInput = z.input<typeof ${name.camel}Spec>;
`;
}

function coreFile(name: HandlerName): string {
  return `import type { ${name.pascal}Config } from './spec.ts';

/** What the step makes of one object. */
export interface ${name.pascal}Output {
  body: Buffer;
  metadata: Record<string, string>;
}

/**
 * The handler's work, with no AWS import: plain data in, plain data out, tested on its own. This
 * example keeps the body and labels it; replace it with yours.
 */
export function ${name.camel}Object(body: Buffer, config: ${name.pascal}Config): ${name.pascal}Output {
  return { body, metadata: { label: config.label } };
}
`;
}

function indexFile(name: HandlerName): string {
  return `import type { Readable } from 'node:stream';
import type { HandlerDefinition, ObjectItem, Step } from '../../shared/contract/handler.ts';
import { ${name.camel}Object } from './core.ts';
import { ${name.camel}Spec } from './spec.ts';
import type { ${name.pascal}Config } from './spec.ts';

export { ${name.camel}Object } from './core.ts';
export { ${name.camel}Spec } from './spec.ts';
export type { ${name.pascal}Config, ${name.pascal}ConfigInput } from './spec.ts';

async function readBody(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The step: reads each object and hands it to the core. An error thrown here fails the object (an InputError sends it to quarantine without retries). */
function create${name.pascal}Step(config: ${name.pascal}Config): Step<ObjectItem, ObjectItem> {
  return async function* ${name.camel}Step(items, ctx) {
    for await (const item of items) {
      const { body, metadata } = ${name.camel}Object(await readBody(item.body), config);
      ctx.logger.debug({ step: '${name.kebab}', key: ctx.source?.key, bytes: body.length }, '${name.kebab}: object done');
      yield { ...item, body, metadata: { ...item.metadata, ...metadata } };
    }
  };
}

/** Registered by being here: every folder under handlers/ with an index.ts exporting one handler. */
export const ${name.camel}Handler: HandlerDefinition<typeof ${name.camel}Spec, 'object', 'object'> = {
  name: '${name.kebab}',
  description: 'Passes each object on with a label in its metadata. (Describe what your handler does: this text is shown in editors and docs.)',
  spec: ${name.camel}Spec,
  accepts: ['object'],
  emits: 'object',
  // What its function needs on Lambda (a pipeline's \`lambda\` overrides it): memory in MB, timeout in seconds.
  lambda: { memorySize: 256, timeout: 30 },
  createStep: create${name.pascal}Step,
};
`;
}

function testFile(name: HandlerName): string {
  return `import { describe, expect, it } from 'vitest';
import type { ObjectItem, StepContext } from '../../../shared/contract/handler.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import { ${name.camel}Handler, ${name.camel}Object, ${name.camel}Spec } from '../index.ts';

const ctx: StepContext = { pipeline: 'example', source: { bucket: 'uploads', key: 'notes/hello.txt' }, logger: createSilentLogger() };

async function* itemsOf(...items: ObjectItem[]): AsyncIterable<ObjectItem> {
  yield* items;
}

describe('${name.kebab} handler', () => {
  it('is registered as "${name.kebab}" with its spec and a description', () => {
    expect(${name.camel}Handler.name).toBe('${name.kebab}');
    expect(${name.camel}Handler.description.length).toBeGreaterThan(0);
    expect(${name.camel}Handler.spec).toBe(${name.camel}Spec);
  });

  it('refuses an unknown option and a label that is not ASCII', () => {
    expect(${name.camel}Spec.safeParse({ lable: 'x' }).success).toBe(false);
    expect(${name.camel}Spec.safeParse({ label: 'café' }).success).toBe(false);
  });

  it('core: keeps the body and labels it', () => {
    const body = Buffer.from('hello');
    expect(${name.camel}Object(body, ${name.camel}Spec.parse({ label: 'checked' }))).toEqual({ body, metadata: { label: 'checked' } });
  });

  it('step: passes each object on, its metadata kept and labelled', async () => {
    const step = ${name.camel}Handler.createStep(${name.camel}Spec.parse({}), ${name.camel}Handler.lambda!);
    const out = [];
    for await (const item of step(itemsOf({ kind: 'object', body: Buffer.from('hello'), contentType: 'text/plain', metadata: { author: 'ann' } }), ctx)) out.push(item);
    expect(out).toEqual([{ kind: 'object', body: Buffer.from('hello'), contentType: 'text/plain', metadata: { author: 'ann', label: '${name.kebab}' } }]);
  });
});
`;
}

function readmeFile(name: HandlerName): string {
  return `# ${name.kebab}

Passes each object on with a label in its metadata. (Say what your handler does, what it takes
and gives, and what it refuses.)

- \`spec.ts\`: its options, declared once (types, validation, JSON Schema and the table below).
- \`core.ts\`: the work, with no AWS import.
- \`index.ts\`: the step and the handler's registration (name, description, spec, what it takes and gives).
- \`test/\`: its tests (\`npx vitest run handlers/${name.kebab}\`).

## Example

\`\`\`yaml
name: labelled-notes
on: { bucket: uploads, prefix: notes/ }
steps:
  - ${name.kebab}:
      label: checked
to: { bucket: media, key: "notes/{name}" }
onError: { quarantine: { bucket: quarantine } }
\`\`\`

## Options

${OPTIONS_START}
${OPTIONS_END}
`;
}

/** Writes the handler's files; returns them, relative to the project root. */
export async function newHandler(projectRoot: string, value: string): Promise<string[]> {
  const name = parseHandlerName(value);
  const { registry } = await loadProjectHandlers(projectRoot);
  await checkNewHandlerName(projectRoot, name, registry.keys());
  const files: [string, string][] = [
    [join(handlerFolder(name.kebab), 'spec.ts'), specFile(name)],
    [join(handlerFolder(name.kebab), 'core.ts'), coreFile(name)],
    [join(handlerFolder(name.kebab), 'index.ts'), indexFile(name)],
    [join(handlerFolder(name.kebab), 'README.md'), readmeFile(name)],
    [join(testsFolder(name.kebab), 'index.test.ts'), testFile(name)],
  ];
  for (const [file, content] of files) {
    await mkdir(dirname(join(projectRoot, file)), { recursive: true });
    await writeFile(join(projectRoot, file), content, { flag: 'wx' });
  }
  return files.map(([file]) => file);
}
