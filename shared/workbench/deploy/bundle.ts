import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';
import { build } from 'esbuild';
import type { HandlerDefinition } from '../../contract/handler.ts';
import { isModulePath } from '../../engine/pipeline/load.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { handlerSource } from '../project/project-handlers.ts';
import { HANDLERS_DIR, handlerEntry } from '../project/project-modules.ts';

/** The Lambda entry every function's bundle starts from (see functionEntrySource): Sluice's own, whichever project it packages. */
export const FUNCTION_ENTRY = resolve(import.meta.dirname, '..', '..', 'engine', 'lambda', 'entry.ts');

/**
 * Left out of every bundle, and packaged beside it when a function needs it: sharp loads its
 * native library from a platform package at run time, which no bundler can follow.
 */
export const NATIVE_PACKAGES = ['sharp'] as const;

export interface BundleOptions {
  projectRoot: string;
  /** Where `index.mjs` is written. */
  outDir: string;
  /** The pipeline the function runs, loaded: its steps name the handlers (and module steps) to bundle, and nothing else. */
  pipeline: Pick<Pipeline, 'file' | 'steps' | 'handlers'>;
  /**
   * Leave the AWS SDK out, for the Lambda runtime's own copy. Default false: the bundled,
   * tree-shaken SDK imports faster than the runtime's copy read from node_modules (bench/bundle.bench.ts
   * measures both; docs/bench.md has the figures), and it is the SDK version the tests ran with.
   */
  externalSdk?: boolean;
}

export interface FunctionBundle {
  file: string;
  bytes: number;
  /** The packages the bundle imports at run time, which must be packaged beside it. */
  nativePackages: string[];
  metafile: Metafile;
}

/** Sluice's own handler folders, for a built-in handler the project has no folder of. */
const SLUICE_HANDLERS = resolve(import.meta.dirname, '..', '..', '..', HANDLERS_DIR);

/** The file a handler is registered from: the project's module, or a built-in handler's folder (the project's copy first). */
function handlerModuleFile(projectRoot: string, handler: HandlerDefinition): string {
  const own = handlerSource(handler);
  if (own) return resolve(projectRoot, own);
  const inProject = resolve(projectRoot, handlerEntry(handler.name));
  return existsSync(inProject) ? inProject : join(SLUICE_HANDLERS, handler.name, 'index.ts');
}

/**
 * The bundle's entry module: it imports the Lambda entry and exactly the modules of the handlers
 * the pipeline's steps name (a module step under its path from the project root), and starts the
 * function with them. What the pipeline does not use is never imported, so it is not in the
 * bundle (resize's sharp, sanitize's phone metadata).
 */
export function functionEntrySource(projectRoot: string, pipeline: BundleOptions['pipeline']): string {
  const handlers = new Map<string, string>();
  const steps = new Map<string, string>();
  for (const step of pipeline.steps) {
    const handler = pipeline.handlers.get(step.handler);
    if (!handler) throw new Error(`pipeline ${pipeline.file}: handler "${step.handler}" is not registered`);
    const file = handlerModuleFile(projectRoot, handler);
    if (isModulePath(step.handler)) steps.set(relative(projectRoot, file).split(sep).join('/'), file);
    else handlers.set(step.handler, file);
  }
  const text = JSON.stringify;
  return [
    `import { startFunction } from ${text(FUNCTION_ENTRY)};`,
    ...[...handlers.values()].map((file, index) => `import * as h${index} from ${text(file)};`),
    ...[...steps.values()].map((file, index) => `import * as s${index} from ${text(file)};`),
    `export const handler = await startFunction({`,
    `  handlers: [${[...handlers.keys()].map((_, index) => `h${index}`).join(', ')}],`,
    `  steps: { ${[...steps.keys()].map((path, index) => `${text(path)}: s${index}`).join(', ')} },`,
    `});`,
  ].join('\n');
}

/**
 * zod's namespace carries every locale's messages (about 250 KB minified, a third of a bundle);
 * Sluice only ever uses the English ones, which zod configures by default.
 */
const englishOnlyZod: Plugin = {
  name: 'sluice-zod-english',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * One function's code as one ES module: the Lambda entry, the pipeline runtime and the pipeline's
 * handlers, tree-shaken and minified for Node 22. CommonJS dependencies keep working through a
 * `require` made for the module.
 */
export async function bundleFunction(options: BundleOptions): Promise<FunctionBundle> {
  const file = join(options.outDir, 'index.mjs');
  const external = [...NATIVE_PACKAGES, ...(options.externalSdk ? ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*'] : [])];
  const result = await build({
    absWorkingDir: options.projectRoot,
    stdin: { contents: functionEntrySource(options.projectRoot, options.pipeline), resolveDir: options.projectRoot, sourcefile: 'function-entry.mjs', loader: 'js' },
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    external,
    banner: {
      js: "import { createRequire as __sluiceRequire } from 'node:module'; import { fileURLToPath as __sluicePath } from 'node:url'; const require = __sluiceRequire(import.meta.url); const __filename = __sluicePath(import.meta.url); const __dirname = __sluicePath(new URL('.', import.meta.url));",
    },
    plugins: [englishOnlyZod],
  });
  const output = result.metafile.outputs[relative(options.projectRoot, file)] ?? Object.values(result.metafile.outputs)[0]!;
  const imported = output.imports.filter((entry) => entry.external).map((entry) => entry.path);
  const nativePackages = NATIVE_PACKAGES.filter((name) => imported.some((path) => path === name || path.startsWith(`${name}/`)));
  return { file, bytes: output.bytes, nativePackages, metafile: result.metafile };
}
