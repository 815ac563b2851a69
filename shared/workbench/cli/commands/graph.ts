import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { ConfigError } from '../../../contract/errors.ts';
import { findTriggerCycles } from '../../checks/cycles.ts';
import type { GraphFormat } from '../../project/draw-graph.ts';
import { GRAPH_FORMATS, drawGraph } from '../../project/draw-graph.ts';
import { parsePipelines } from '../../project/load-project.ts';
import { buildProjectGraph } from '../../project/project-graph.ts';
import { DEFAULT_PIPELINES_DIR } from '../options.ts';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .argument('[DIR]', 'folder of pipeline definitions', DEFAULT_PIPELINES_DIR)
    .description('draw the buckets and the pipelines they start, trigger cycles in red')
    .addOption(new Option('--format <FORMAT>', 'an indented listing (text), a Mermaid flowchart or Graphviz (dot)').choices(GRAPH_FORMATS).default('text'))
    .action(async (dir: string, options: { format: GraphFormat }) => {
      // Cycles are drawn, not refused: seeing the loop is how it gets fixed. Invalid files are refused.
      const { pipelines, issues } = await parsePipelines(resolve(dir));
      if (issues.length) throw new ConfigError(issues);
      const graph = buildProjectGraph(pipelines);
      console.log(drawGraph(graph, findTriggerCycles(graph), options.format));
    });
}
