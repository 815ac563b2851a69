import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile, Plugin } from 'esbuild';
import { build } from 'esbuild';
import { handlerSource, isModulePath } from '../project/project-handlers.ts';
import { HANDLERS_DIR, handlerEntry } from '../project/project-modules.ts';
import type { HandlerRegistry } from '../../engine/registry.ts';

/** The deployable handler every function's bundle starts from. */
export const FUNCTION_ENTRY = 'shared/engine/lambda/entry.ts';

/**
 * Left out of every bundle, and packaged beside it when a function needs it: sharp loads its
 * native library from a platform package at run time, which no bundler can follow.
 */
export const NATIVE_PACKAGES = ['sharp'] as const;

export interface BundleOptions {
  projectRoot: string;
  /** Where `index.mjs` is written. */
  outDir: string;
  /** The handlers the function's pipeline uses: the other handlers' code is left out. */
  handlers: readonly string[];
  registry: HandlerRegistry;
  /** The project's own modules the pipeline uses (see projectModulesOf); none by default. */
  projectModules?: ProjectModules;
  /**
   * Leave the AWS SDK out, for the Lambda runtime's own copy. Default false: bench/bundle.bench.ts
   * measures the bundled, tree-shaken SDK importing 1.2-2.3x faster than the runtime's copy read
   * from node_modules, and it is the SDK version the tests ran with.
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

/** The user's code a function runs: handler folders it names, and every module (relative to the project root, with `/`). */
export interface ProjectModules {
  folders: string[];
  modules: string[];
}

/** The project modules behind the steps `handlers` (names or module paths as written). */
export function projectModulesOf(handlers: readonly string[], registry: HandlerRegistry): ProjectModules {
  const folders = new Set<string>();
  const modules = new Set<string>();
  for (const name of handlers) {
    const handler = registry.get(name);
    const source = handler && handlerSource(handler);
    if (!source) continue;
    modules.add(source);
    if (!isModulePath(name) && source === handlerEntry(name)) folders.add(name);
  }
  return { folders: [...folders].sort(), modules: [...modules].sort() };
}

/**
 * shared/handlers/project-modules.ts lists folders and imports paths at run time, which a bundle
 * cannot follow: in a function it is replaced by a table of the project modules its pipeline
 * uses, imported statically, so esbuild bundles (and tree-shakes) the user's code like Sluice's.
 */
function projectModuleTable(options: BundleOptions): Plugin {
  const { folders, modules } = options.projectModules ?? { folders: [], modules: [] };
  const contents = [
    ...modules.map((path, index) => `import * as m${index} from ${JSON.stringify(resolve(options.projectRoot, path))};`),
    `const modules = { ${modules.map((path, index) => `${JSON.stringify(path)}: m${index}`).join(', ')} };`,
    `export const HANDLERS_DIR = ${JSON.stringify(HANDLERS_DIR)};`,
    `export const handlerEntry = (name) => \`\${HANDLERS_DIR}/\${name}/index.ts\`;`,
    `export async function listHandlerFolders() { return ${JSON.stringify(folders)}; }`,
    'export async function projectModuleExists(root, path) { return Object.hasOwn(modules, path); }',
    'export async function importProjectModule(root, path) {',
    '  if (!Object.hasOwn(modules, path)) throw new Error(`${path} is not packaged in this function`);',
    '  return modules[path];',
    '}',
  ].join('\n');
  return {
    name: 'sluice-project-modules',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]shared[\\/]workbench[\\/]project[\\/]project-modules\.ts$/ }, () => ({ contents, loader: 'js', resolveDir: options.projectRoot }));
    },
  };
}

/** The file a built-in handler is registered from, by the layout every handler follows. */
function handlerModule(projectRoot: string, name: string): string | undefined {
  const file = resolve(projectRoot, 'handlers', name, 'index.ts');
  return existsSync(file) ? file : undefined;
}

/**
 * The registry imports every handler; a function runs one pipeline. Each handler the pipeline does
 * not use is replaced by a stand-in with the same exports, so its code (and what it imports:
 * sharp, libphonenumber's metadata) stays out of the bundle, and a function without a resize step
 * needs no sharp at all.
 */
async function unusedHandlerStubs(options: BundleOptions): Promise<Plugin> {
  const stubs = new Map<string, string>();
  for (const name of options.registry.keys()) {
    if (options.handlers.includes(name)) continue;
    const file = handlerModule(options.projectRoot, name);
    if (!file) continue; // a handler outside the usual layout is bundled as it is
    const exports = Object.entries((await import(pathToFileURL(file).href)) as Record<string, unknown>);
    const lines = exports.map(([exported, value]) =>
      (value as { name?: unknown })?.name === name && typeof (value as { createStep?: unknown }).createStep === 'function'
        ? `export const ${exported} = unused(${JSON.stringify(name)});`
        : `export const ${exported} = undefined;`,
    );
    stubs.set(
      file,
      [
        'const unused = (name) => ({ name, description: "", accepts: [], emits: "object",',
        '  spec: { safeParse: () => ({ success: false, error: { issues: [{ code: "custom", path: [], message: `handler ${name} is not packaged in this function` }] } }) },',
        '  createStep() { throw new Error(`handler ${name} is not packaged in this function`); } });',
        ...lines,
      ].join('\n'),
    );
  }
  return {
    name: 'sluice-unused-handlers',
    setup(esbuild) {
      esbuild.onLoad({ filter: /[\\/]handlers[\\/][^\\/]+[\\/]index\.ts$/ }, (args) => {
        const contents = stubs.get(resolve(args.path));
        return contents === undefined ? undefined : { contents, loader: 'js' };
      });
    },
  };
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
    entryPoints: [resolve(options.projectRoot, FUNCTION_ENTRY)],
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
    plugins: [await unusedHandlerStubs(options), projectModuleTable(options), englishOnlyZod],
  });
  const output = result.metafile.outputs[relative(options.projectRoot, file)] ?? Object.values(result.metafile.outputs)[0]!;
  const imported = output.imports.filter((entry) => entry.external).map((entry) => entry.path);
  const nativePackages = NATIVE_PACKAGES.filter((name) => imported.some((path) => path === name || path.startsWith(`${name}/`)));
  return { file, bytes: output.bytes, nativePackages, metafile: result.metafile };
}
