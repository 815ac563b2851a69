import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { closest } from 'fastest-levenshtein';
import { formatCostTable } from '../../cost/cost-table.ts';
import { DEFAULT_EVENTS, estimateCost } from '../../cost/estimate.ts';
import type { CostAssumptions } from '../../cost/estimate.ts';
import { DEFAULT_PRICES, loadPrices } from '../../cost/prices.ts';
import { UsageError } from '../../../contract/errors.ts';
import { functionSettings } from '../../deploy/function-settings.ts';
import { lastRunFile, readLastRun } from '../../local/last-run.ts';
import type { LastRun } from '../../local/last-run.ts';
import { loadProject } from '../../project/load-project.ts';
import { DEFAULT_DATA_DIR, resolveDataDir } from '../options.ts';

interface CostOptions {
  data: string;
  pipelines?: string;
  prices?: string;
  events?: string[];
}

function parseCount(value: string, flag: string): number {
  const count = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(count) || count < 0) throw new UsageError(`${flag} expects a whole number of events a month, found "${value}"`);
  return count;
}

/** `--events N` for every pipeline, `--events NAME=N` for one (the later wins). */
function eventsPerPipeline(specs: readonly string[], run: LastRun): (pipeline: string) => number {
  const names = run.pipelines.map((pipeline) => pipeline.pipeline);
  let all = DEFAULT_EVENTS;
  const byName = new Map<string, number>();
  for (const spec of specs) {
    const at = spec.lastIndexOf('=');
    if (at === -1) {
      all = parseCount(spec, '--events');
      continue;
    }
    const name = spec.slice(0, at);
    if (!names.includes(name)) {
      const hint = names.length ? ` (did you mean "${closest(name, names)}"?); pipelines of the last run: ${names.join(', ')}` : '';
      throw new UsageError(`--events: no pipeline named "${name}" in the last run${hint}`);
    }
    byName.set(name, parseCount(spec.slice(at + 1), `--events ${name}=`));
  }
  return (pipeline) => byName.get(pipeline) ?? all;
}

/** With `--pipelines`, each function as defined there now: to compare memory sizes without measuring again. */
async function currentFunctions(dir: string | undefined): Promise<CostAssumptions['lambda']> {
  if (dir === undefined) return undefined;
  const { pipelines } = await loadProject(resolve(dir));
  const settings = new Map(pipelines.map((pipeline) => [pipeline.name, functionSettings(pipeline)]));
  return (name) => settings.get(name);
}

export function registerCost(program: Command): void {
  program
    .command('cost')
    .description('estimate the monthly AWS Lambda cost of each pipeline from the durations measured by the last `sluice run` (or `sluice dev`)')
    .option('--events <N|PIPELINE=N>', `events a month: N for every pipeline, PIPELINE=N for one (repeatable; default ${DEFAULT_EVENTS.toLocaleString('en-US')} each)`, (value: string, all: string[] = []) => [...all, value])
    .option('--data <DIR>', 'where local state, and the last run\'s record (runs/last.json), is kept', DEFAULT_DATA_DIR)
    .option('--pipelines <DIR>', 'take memory and architecture from these pipeline definitions instead of those of the run')
    .option('--prices <FILE>', 'YAML or JSON prices (region, requestsPerMillion, gbSecond.arm64, gbSecond.x86_64, freeTier); default: us-east-1')
    .action(async (options: CostOptions) => {
      const dataDir = resolveDataDir(options);
      const shown = relative(process.cwd(), lastRunFile(dataDir)) || lastRunFile(dataDir);
      const run = readLastRun(dataDir, shown);
      const events = eventsPerPipeline(options.events ?? [], run);
      let prices = DEFAULT_PRICES;
      if (options.prices !== undefined) {
        try {
          prices = await loadPrices(resolve(options.prices), options.prices);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--prices: no file ${options.prices}`);
          throw error;
        }
      }
      const lambda = await currentFunctions(options.pipelines);
      const estimate = estimateCost(run, { events, ...(lambda ? { lambda } : {}) }, prices);
      if (!estimate.pipelines.length) {
        throw new UsageError(`nothing to estimate from in ${shown}: ${estimate.unpriced.map((note) => `${note.pipeline}: ${note.message}`).join('; ')}`);
      }
      console.log(formatCostTable(estimate, run, prices));
    });
}
