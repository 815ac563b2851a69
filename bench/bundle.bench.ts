/**
 * Function bundles: for each shipped pipeline, the size of the bundle serverless.yml deploys and
 * the time a cold `node` process takes to import it (modules loaded, pipeline file read and
 * checked: what Lambda's init phase does), beside the same work unbundled (the bundle's entry
 * module, importing shared/engine/lambda/entry.ts and the handlers through tsx, as `sluice` runs) and beside a bundle that leaves
 * the AWS SDK to the runtime's copy, as ratios. One run, same machine; median of RUNS processes.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { bundleFunction, functionEntrySource } from '../shared/workbench/deploy/bundle.ts';
import { builtInHandlers } from '../shared/workbench/project/built-in-handlers.ts';
import { loadProject } from '../shared/workbench/project/load-project.ts';
import { recordFigure, times } from './figures.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 7);
// Under the project, so a bundle that leaves the SDK out finds it in node_modules, as a function finds the runtime's.
const outDir = join(root, 'node_modules', '.cache', 'sluice-deploy', 'bench');

/** Milliseconds a fresh node process spends importing `specifier` (tsx: with `--import tsx`). */
async function coldImport(specifier: string, pipelineFile: string, tsx = false): Promise<number> {
  const times: number[] = [];
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  for (let i = 0; i < RUNS; i++) {
    const { stdout } = await run(process.execPath, [...(tsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, LAMBDA_TASK_ROOT: root, SLUICE_PIPELINE_FILE: pipelineFile, SLUICE_LOG_LEVEL: 'silent', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    times.push(Number(stdout.trim().split('\n').pop()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

const project = await loadProject(join(root, 'pipelines'), builtInHandlers, root);
console.log(`\nfunction bundles (esbuild, minified, Node 22 ESM), cold import in a fresh node process, median of ${RUNS}`);
console.log(['pipeline'.padEnd(14), 'bundle'.padStart(9), 'import'.padStart(8), 'unbundled (tsx)'.padStart(16), 'ratio'.padStart(6), '| SDK left out:', 'bundle'.padStart(9), 'import'.padStart(8), 'ratio'.padStart(6)].join(' '));
for (const pipeline of project.pipelines) {
  const bundled = await bundleFunction({ projectRoot: root, outDir: join(outDir, pipeline.name), pipeline });
  const lean = await bundleFunction({ projectRoot: root, outDir: join(outDir, `${pipeline.name}-sdk-external`), pipeline, externalSdk: true });
  // The same entry module the bundle starts from, importing the sources through tsx.
  const unbundled = join(outDir, pipeline.name, 'unbundled-entry.mjs');
  await writeFile(unbundled, functionEntrySource(root, pipeline));
  const bundledMs = await coldImport(pathToFileURL(bundled.file).href, pipeline.file);
  const unbundledMs = await coldImport(pathToFileURL(unbundled).href, pipeline.file, true);
  const leanMs = await coldImport(pathToFileURL(lean.file).href, pipeline.file);
  recordFigure({ bench: 'bundles', what: `${pipeline.name}: bundled import / unbundled (tsx) import`, value: times(bundledMs / unbundledMs), detail: `${ms(bundledMs)} vs ${ms(unbundledMs)}, bundle ${kib(bundled.bytes)}` });
  recordFigure({ bench: 'bundles', what: `${pipeline.name}: import with the SDK left to the runtime / bundled`, value: times(leanMs / bundledMs), detail: `${ms(leanMs)} vs ${ms(bundledMs)}, bundle ${kib(lean.bytes)}` });
  console.log(
    [
      pipeline.name.padEnd(14),
      kib(bundled.bytes).padStart(9),
      ms(bundledMs).padStart(8),
      ms(unbundledMs).padStart(16),
      `${(bundledMs / unbundledMs).toFixed(2)}x`.padStart(6),
      '|'.padEnd(14),
      kib(lean.bytes).padStart(9),
      ms(leanMs).padStart(8),
      `${(leanMs / bundledMs).toFixed(2)}x`.padStart(6),
    ].join(' '),
  );
}
console.log('ratio: bundled import / unbundled import; SDK-left-out ratio: its import / the bundled one (the runtime\'s SDK read from node_modules)');
await rm(outDir, { recursive: true, force: true });
