import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import type { ArtifactFile } from './artifact.ts';
import { filesUnder, writeZip } from './artifact.ts';
import type { FunctionBundle } from './bundle.ts';
import { bundleFunction } from './bundle.ts';
import { functionSettings } from './function-settings.ts';
import { stageSharpRuntime } from './sharp-runtime.ts';

export interface PackagedFunction {
  pipeline: string;
  zipFile: string;
  zipBytes: number;
  bundle: FunctionBundle;
  /** The native packages packaged beside the bundle, with the platform they were packaged for. */
  native: string[];
}

export interface PackageOptions {
  projectRoot: string;
  /** Working folder for the bundles, e.g. `.serverless/sluice/build`. */
  buildDir: string;
  /** Where sharp for Lambda's platform is kept between runs. */
  cacheDir: string;
}

/**
 * One function's zip: `index.mjs` (the bundle), its pipeline file at the path its
 * `SLUICE_PIPELINE_FILE` names, and, only when its steps import sharp, sharp with its native
 * packages for the function's architecture under `node_modules/`.
 */
export async function packageFunction(pipeline: Pipeline, zipFile: string, options: PackageOptions): Promise<PackagedFunction> {
  const outDir = join(options.buildDir, pipeline.name);
  await rm(outDir, { recursive: true, force: true });
  const bundle = await bundleFunction({ projectRoot: options.projectRoot, outDir, pipeline });
  const files: ArtifactFile[] = [
    { path: 'index.mjs', source: bundle.file },
    { path: pipeline.file.split(/[\\/]/).join('/'), source: join(options.projectRoot, pipeline.file) },
  ];
  const native: string[] = [];
  if (bundle.nativePackages.includes('sharp')) {
    const { architecture } = functionSettings(pipeline);
    const sharp = await stageSharpRuntime({ projectRoot: options.projectRoot, cacheDir: options.cacheDir, architecture });
    files.push(...(await filesUnder(sharp.nodeModules, 'node_modules')));
    native.push(`sharp@${sharp.version} (linux-${sharp.cpu})`);
  }
  await writeZip(zipFile, files);
  return { pipeline: pipeline.name, zipFile, zipBytes: (await stat(zipFile)).size, bundle, native };
}

/**
 * For `serverless invoke local`: the same bundle, run by this machine's Node with this machine's
 * sharp (found in the project's node_modules, above the build folder). `invoke-local.cjs` loads it
 * because the framework loads handlers with `require`, which cannot load a module with top-level await.
 */
export async function prepareLocalFunction(pipeline: Pipeline, options: PackageOptions): Promise<{ dir: string; handler: string }> {
  const dir = join(options.buildDir, 'local', pipeline.name);
  await rm(dir, { recursive: true, force: true });
  await bundleFunction({ projectRoot: options.projectRoot, outDir: dir, pipeline });
  const copy = join(dir, pipeline.file);
  await mkdir(dirname(copy), { recursive: true });
  await copyFile(join(options.projectRoot, pipeline.file), copy);
  await writeFile(join(dir, 'invoke-local.cjs'), "'use strict';\nexports.handler = async (event, context) => (await import('./index.mjs')).handler(event, context);\n");
  return { dir, handler: 'invoke-local.handler' };
}
