import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../shared/contract/errors.ts';
import { forkHandler } from '../../../shared/workbench/scaffold/fork-handler.ts';
import { handlerName } from '../../../shared/workbench/scaffold/handler-name.ts';
import { declaredIdentifiers, identifierRenames, renameInText } from '../../../shared/workbench/scaffold/rename-handler.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

async function emptyProject(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sluice-fork-'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (error instanceof UsageError ? error.message : error));

describe('sluice fork', () => {
  it('refuses an unknown handler (with the closest name), a name in use, a folder in the way and a name not in kebab-case', async () => {
    const root = await emptyProject();
    await mkdir(join(root, 'handlers/thumbs'), { recursive: true });
    expect(await refusal(forkHandler(root, 'resiz', 'thumbs-two'))).toBe('unknown handler "resiz" (did you mean "resize"?); known handlers: resize, aggregate, sanitize');
    expect(await refusal(forkHandler(root, 'resize', 'sanitize'))).toBe('there is already a handler named "sanitize": choose another name');
    expect(await refusal(forkHandler(root, 'resize', 'thumbs'))).toBe('handlers/thumbs already exists: choose another name, or remove the folder first');
    expect(await refusal(forkHandler(root, 'resize', 'Thumbs_2'))).toBe('expected a handler name in kebab-case: lowercase letters and digits, words joined by "-", starting with a letter (e.g. "add-watermark"), found "Thumbs_2"');
    // Nothing was written.
    expect(await readdir(root)).toEqual(['handlers', 'node_modules', 'package.json']);
  });

  it('says so on the command line, without a stack trace', async () => {
    const root = await emptyProject();
    const result = await runSluice(['fork', 'sanitise', '--as', 'clean'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('sluice: unknown handler "sanitise" (did you mean "sanitize"?); known handlers: resize, aggregate, sanitize\n');
  });

  it('copies Sluice\'s own folder when the project has none, into handlers/NAME, its tests with it', async () => {
    const root = await emptyProject();
    const { files } = await forkHandler(root, 'aggregate', 'tally');
    expect(files).toContain('handlers/tally/index.ts');
    expect(files).toContain('handlers/tally/test/index.test.ts');
    expect(files.every((file) => file.startsWith('handlers/tally/'))).toBe(true);
  });
});

describe('renaming a forked handler', () => {
  const from = handlerName('resize');
  const to = handlerName('add-watermark');
  const source = `import sharp from 'sharp';
import { resizeSpec } from '../../handlers/resize/spec.ts';
import type { ResizeConfig } from './spec.ts';
export const resizeHandler = { name: 'resize', spec: resizeSpec };
function createResizeStep(config: ResizeConfig) {}
const resizedSize = 1;
function variantResize(plan: Plan['resize'], options: sharp.ResizeOptions) { return sharp().resize(plan.resize); }
`;

  it('renames what names the handler, and leaves what is about resizing', () => {
    const renames = identifierRenames(declaredIdentifiers(source), from, to);
    expect(Object.fromEntries(renames)).toEqual({ resizeHandler: 'addWatermarkHandler', createResizeStep: 'createAddWatermarkStep' });
    // resizeSpec and ResizeConfig are declared in spec.ts: renamed when that file is part of the copy.
    const all = identifierRenames([...declaredIdentifiers(source), 'resizeSpec', 'ResizeConfig'], from, to);
    expect(renameInText(source, from, to, all)).toBe(`import sharp from 'sharp';
import { addWatermarkSpec } from '../../handlers/add-watermark/spec.ts';
import type { AddWatermarkConfig } from './spec.ts';
export const addWatermarkHandler = { name: 'add-watermark', spec: addWatermarkSpec };
function createAddWatermarkStep(config: AddWatermarkConfig) {}
const resizedSize = 1;
function variantResize(plan: Plan['resize'], options: sharp.ResizeOptions) { return sharp().resize(plan.resize); }
`);
  });

  it('renames the name in a README: its title, its inline code and its pipeline steps', () => {
    const readme = '# resize\n\nThe `resize` handler resizes.\n\n```yaml\nsteps:\n  - resize:\n      variants: []\n```\n';
    expect(renameInText(readme, from, to, new Map())).toBe('# add-watermark\n\nThe `add-watermark` handler resizes.\n\n```yaml\nsteps:\n  - add-watermark:\n      variants: []\n```\n');
  });
});
