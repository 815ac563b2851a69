import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../shared/contract/errors.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';
import { parsePipelines } from '../../../shared/workbench/project/load-project.ts';
import { compilePipeline } from '../../../shared/engine/runtime/compile.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { RowItem } from '../../../shared/contract/handler.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

/** A project in a temporary folder: its package.json, node_modules linked (for zod), and `files`. */
async function project(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sluice-handlers-'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [file, content] of Object.entries({ 'pipelines/resources.yml': 'buckets: { uploads: {}, media: {}, quarantine: {} }\n', ...files })) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), content);
  }
  return root;
}

async function problems(root: string): Promise<string[]> {
  const { issues } = await parsePipelines(join(root, 'pipelines'), undefined, root);
  return issues.map(formatConfigIssue);
}

/** A pipeline whose rows (from sanitize) go to `step`. */
const pipeline = (step: string) => `name: demo
on: { bucket: uploads }
steps:
  - sanitize: { columns: { city: { type: string } } }
${step}
to: { bucket: media }
onError: { quarantine: { bucket: quarantine } }
`;

/** A handler module, with `fields` overriding the good ones. */
const handlerModule = (exported: string, fields: Record<string, string> = {}) => {
  const all = {
    name: "'shout'",
    description: "'Upper-cases one field of every row.'",
    spec: 'spec',
    accepts: "['row']",
    emits: "'row'",
    createStep: '(config) => async function* (rows) { for await (const item of rows) yield { ...item, row: { ...item.row, [config.field]: String(item.row[config.field]).toUpperCase() } }; }',
    ...fields,
  };
  return `import { z } from 'zod';

const spec = z.strictObject({ field: z.string().min(1).describe('The field.') });

export const ${exported} = {
${Object.entries(all)
  .map(([key, value]) => `  ${key}: ${value},`)
  .join('\n')}
};
`;
};

describe("a project's own handlers", () => {
  it('are registered from handlers/<name>/index.ts beside the built-ins, and run', async () => {
    const root = await project({ 'handlers/shout/index.ts': handlerModule('shoutHandler'), 'pipelines/demo.yml': pipeline('  - shout: { field: city }') });
    const { pipelines, issues } = await parsePipelines(join(root, 'pipelines'), undefined, root);
    expect(issues).toEqual([]);
    expect([...pipelines[0]!.handlers!.keys()]).toEqual([...builtInHandlers.keys(), 'shout']);
    const [, step] = compilePipeline(pipelines[0]!).steps;
    async function* rows(): AsyncIterable<RowItem> {
      yield { kind: 'row', row: { city: 'lyon' }, origin: { source: 's', position: '1' } };
    }
    const out = [];
    for await (const item of step!.run(rows(), { pipeline: 'demo', logger: createSilentLogger() })) out.push(item);
    expect(out).toEqual([{ kind: 'row', row: { city: 'LYON' }, origin: { source: 's', position: '1' } }]);
  });

  it('check a step config against the handler spec, naming the file of the spec', async () => {
    const root = await project({ 'handlers/shout/index.ts': handlerModule('shoutHandler'), 'pipelines/demo.yml': pipeline('  - shout: { feild: city }') });
    expect(await problems(root)).toEqual([
      'pipelines/demo.yml:5:12: steps[1].shout.field: missing; expected a string (spec of handlers/shout/index.ts)',
      'pipelines/demo.yml:5:14: steps[1].shout.feild: unknown key "feild" (did you mean "field"?); expected one of field (spec of handlers/shout/index.ts)',
    ]);
  });

  it('report a module that exports no handler, at the module, and at the step that names it', async () => {
    const root = await project({ 'handlers/shout/index.ts': "export const field = 'city';\n", 'pipelines/demo.yml': pipeline('  - shout: { field: city }') });
    expect(await problems(root)).toEqual([
      'handlers/shout/index.ts:1:1: exports no handler (it exports field); expected one export like `export const myHandler: HandlerDefinition = { name, description, spec, accepts, emits, createStep }`',
      'pipelines/demo.yml:5:5: steps[1].shout: handler "shout" cannot be loaded: see the problem at handlers/shout/index.ts:1:1',
    ]);
  });

  it('report a bad spec, bad kinds and a name that is not the folder, at the export with the field', async () => {
    const root = await project({
      'handlers/bad-spec/index.ts': handlerModule('badSpecHandler', { name: "'bad-spec'", spec: "{ field: 'string' }" }),
      'handlers/no-json/index.ts': handlerModule('noJsonHandler', { name: "'no-json'", spec: 'z.strictObject({ since: z.date() })' }),
      'handlers/kinds/index.ts': handlerModule('kindsHandler', { name: "'kinds'", accepts: "['image']", createStep: "'later'" }),
      'handlers/named/index.ts': handlerModule('namedHandler', { name: "'resize'" }),
    });
    expect(await problems(root)).toEqual([
      'handlers/bad-spec/index.ts:5:1: badSpecHandler.spec: expected a zod schema (e.g. z.strictObject({ ... })), found a mapping',
      'handlers/kinds/index.ts:5:1: kindsHandler.accepts[0]: expected one of "object", "row", "change", "group-update", found "image" (string)',
      'handlers/kinds/index.ts:5:1: kindsHandler.createStep: expected a function (config) => step, found "later" (string)',
      'handlers/named/index.ts:5:1: namedHandler.name: expected "named", the name of its folder, found "resize": a handler folder is named as its handler',
      'handlers/no-json/index.ts:5:1: noJsonHandler.spec: cannot describe since in the JSON Schema: Date cannot be represented in JSON Schema. Give it an input type JSON Schema can express (e.g. a string or number, parsed with .transform()).',
    ]);
  });

  it('report a syntax error, a missing import and an exception, at the line in the user\'s file (sluice validate)', async () => {
    const root = await project({
      'handlers/typo/index.ts': "import { z } from 'zod';\n\nexport const spec = z.strictObject({ a: z.string( });\n",
      'handlers/lost/index.ts': "import { z } from 'zod';\nimport { helper } from './helpr.ts';\n\nexport const x = [z, helper];\n",
      'handlers/throws/index.ts': "import { settings } from './settings.ts';\n\nexport const x = settings;\n",
      'handlers/throws/settings.ts': "const region = process.env.NO_SUCH_SETTING_FOR_SLUICE_TESTS;\nif (!region) throw new Error('set NO_SUCH_SETTING_FOR_SLUICE_TESTS');\nexport const settings = { region };\n",
      'pipelines/steps/broken.ts': 'export const x = ;\n',
      'pipelines/demo.yml': pipeline('  - typo: {}\n  - ./steps/broken.ts: {}'),
    });
    const result = await runSluice(['validate'], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      'handlers/lost/index.ts:2:24: cannot import handlers/lost/helpr.ts: no such file or package',
      'handlers/throws/settings.ts:2:20: Error: set NO_SUCH_SETTING_FOR_SLUICE_TESTS (thrown while loading handlers/throws/index.ts)',
      'handlers/typo/index.ts:3:51: syntax error: Unexpected "}"',
      'pipelines/steps/broken.ts:1:18: syntax error: Unexpected ";"',
      'pipelines/demo.yml:5:5: steps[1].typo: handler "typo" cannot be loaded: see the problem at handlers/typo/index.ts:3:51',
      'pipelines/demo.yml:6:5: steps[2]../steps/broken.ts: module pipelines/steps/broken.ts cannot be used as a step: see the problem at pipelines/steps/broken.ts:1:18',
      '6 problem(s) found',
    ]);
  });

  it('refuse a folder that is not named as a handler, and a step naming no handler suggests the closest', async () => {
    const root = await project({ 'handlers/Shout_Out/index.ts': handlerModule('shoutHandler'), 'pipelines/demo.yml': pipeline('  - resise: { variants: [] }') });
    const found = await problems(root);
    expect(found[0]).toBe('handlers/Shout_Out:1:1: the folder name "Shout_Out" is not a handler name in kebab-case: lowercase letters and digits, words joined by "-", starting with a letter');
    expect(found[1]).toMatch(/^pipelines\/demo\.yml:5:5: steps\[1\]\.resise: unknown handler "resise" \(did you mean "resize"\?\); known handlers: resize, aggregate, sanitize$/);
  });
});

describe('a step that names a module by path', () => {
  it('loads the module relative to the pipeline file and checks its config', async () => {
    const root = await project({
      'pipelines/steps/shout.ts': handlerModule('shoutHandler'),
      'pipelines/demo.yml': pipeline('  - ./steps/shout.ts: { field: city }'),
      'pipelines/other.yml': pipeline('  - ./steps/shout.ts: { field: 3 }').replace('name: demo', 'name: other').replace('bucket: uploads', 'bucket: uploads, prefix: b/'),
    });
    const { pipelines, issues } = await parsePipelines(join(root, 'pipelines'), undefined, root);
    expect(issues.map(formatConfigIssue)).toEqual(['pipelines/other.yml:5:32: steps[1]../steps/shout.ts.field: expected a string, found 3 (number) (spec of pipelines/steps/shout.ts)']);
    // Each pipeline has the module under the name it is written as, beside the built-ins.
    expect([...pipelines[0]!.handlers!.keys()]).toEqual([...builtInHandlers.keys(), './steps/shout.ts']);
    expect(pipelines[0]!.steps.map((step) => step.handler)).toEqual(['sanitize', './steps/shout.ts']);
    expect(compilePipeline(pipelines[0]!).steps.map((step) => step.handler)).toEqual(['sanitize', './steps/shout.ts']);
  });

  it('reports a module that is missing or not a module file at the step', async () => {
    const root = await project({ 'pipelines/demo.yml': pipeline('  - ./steps/nothing.ts: {}\n  - ./steps/notes.txt: {}') });
    expect(await problems(root)).toEqual([
      "pipelines/demo.yml:5:5: steps[1]../steps/nothing.ts: module pipelines/steps/nothing.ts does not exist (a step's path is relative to the pipeline file)",
      'pipelines/demo.yml:6:5: steps[2]../steps/notes.txt: expected a module file ending in .ts, .mts, .js, .mjs, found "./steps/notes.txt"',
    ]);
  });
});
