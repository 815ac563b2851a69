import type { TriggerCycle } from '../checks/cycles.ts';
import { describeCycle } from '../checks/cycles.ts';
import type { ResourceRef } from './pipeline-writes.ts';
import type { ProjectGraph } from './project-graph.ts';
import { outputResource, triggerResource } from './project-graph.ts';
import { quarantineBatchKey, quarantinePrefix } from '../../engine/pipeline/quarantine-keys.ts';
import type { Pipeline, Trigger } from '../../engine/pipeline/schema.ts';
import { isBucketOutput, isBucketTrigger } from '../../engine/pipeline/schema.ts';

export const GRAPH_FORMATS = ['text', 'mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface NodeRef {
  type: ResourceRef['type'] | 'pipeline';
  name: string;
}

/** One arrow of the drawing: a bucket or table starting a pipeline, or a pipeline writing to one. */
export interface Arrow {
  from: NodeRef;
  to: NodeRef;
  kind: 'trigger' | 'output' | 'quarantine';
  label: string;
  /** Part of a trigger cycle: drawn in red. */
  cycle: boolean;
}

/** `prefix images/, suffix .jpg .png`, `every key`, or a table stream's delivery settings. */
function describeFilter(trigger: Trigger): string {
  const parts: string[] = [];
  if (!isBucketTrigger(trigger)) {
    parts.push(`stream from ${trigger.startingPosition}`, `batch ${trigger.batchSize}`);
    if (trigger.filters.length) parts.push(`${trigger.filters.length} filter${trigger.filters.length > 1 ? 's' : ''}`);
    return parts.join(', ');
  }
  if (trigger.events.includes('removed')) parts.push(trigger.events.join(' and '));
  if (trigger.prefix) parts.push(`prefix ${trigger.prefix}`);
  if (trigger.suffix.length) parts.push(`suffix ${trigger.suffix.join(' ')}`);
  return parts.join(', ') || 'every key';
}

function quarantineLabel(pipeline: Pipeline): string {
  if (!isBucketTrigger(pipeline.on)) return quarantineBatchKey(pipeline.onError, pipeline.name, pipeline.on.table, '{first}', '{last}', 'failed');
  return `${quarantinePrefix(pipeline.onError, pipeline.name, pipeline.on.bucket)}{key}`;
}

/** Per pipeline, in project order: what starts it, where its outputs go, where its failures go. */
export function arrowsOf(graph: ProjectGraph, cycles: readonly TriggerCycle[]): Arrow[] {
  // Every write along a loop is red, not only the one a cycle's report names: a hop may loop
  // through both the output and the quarantine.
  const hops = new Set(cycles.flatMap((cycle) => cycle.links.map((link) => `${link.from.name}>${link.to.name}`)));
  const links = graph.links.filter((link) => hops.has(`${link.from.name}>${link.to.name}`));
  return graph.pipelines.flatMap((pipeline): Arrow[] => {
    const node: NodeRef = { type: 'pipeline', name: pipeline.name };
    const writes = (kind: Arrow['kind']) => links.some((link) => link.from === pipeline && link.write.kind === kind);
    return [
      { from: triggerResource(pipeline), to: node, kind: 'trigger', label: describeFilter(pipeline.on), cycle: links.some((link) => link.to === pipeline) },
      { from: node, to: outputResource(pipeline), kind: 'output', label: isBucketOutput(pipeline.to) ? pipeline.to.key : 'items', cycle: writes('output') },
      { from: node, to: { type: 'bucket', name: pipeline.onError.quarantine.bucket }, kind: 'quarantine', label: quarantineLabel(pipeline), cycle: writes('quarantine') },
    ];
  });
}

/** Drawings show a quarantine arrow's key after what sends objects there. */
export function arrowLabel(arrow: Arrow): string {
  return arrow.kind === 'quarantine' ? `on failure: ${arrow.label}` : arrow.label;
}

const sameNode = (a: NodeRef, b: NodeRef) => a.type === b.type && a.name === b.name;

/** Indented, resource by resource: the pipelines each starts, and what those write. */
function drawText(graph: ProjectGraph, arrows: readonly Arrow[], cycles: readonly TriggerCycle[]): string {
  const mark = (arrow: Arrow) => (arrow.cycle ? ' [cycle]' : '');
  const lines: string[] = [];
  for (const resource of graph.resources) {
    lines.push(`${resource.type} ${resource.name}`);
    for (const trigger of arrows.filter((arrow) => arrow.kind === 'trigger' && sameNode(arrow.from, resource))) {
      lines.push(`  triggers ${trigger.to.name} (${trigger.label})${mark(trigger)}`);
      for (const write of arrows.filter((arrow) => arrow.kind !== 'trigger' && sameNode(arrow.from, trigger.to))) {
        const verb = write.kind === 'quarantine' ? 'on failure, copies to' : 'writes';
        const target = write.to.type === 'table' ? `table ${write.to.name}` : write.to.name;
        lines.push(`    ${verb} ${target}: ${write.label}${mark(write)}`);
      }
    }
  }
  if (!cycles.length) lines.push('no trigger cycles');
  for (const cycle of cycles) lines.push(`CYCLE ${describeCycle(cycle)}`);
  return lines.join('\n');
}

/** Mermaid ids are plain words: `b_`, `t_` or `p_`, the name's other characters as `_`, numbered if two collide. */
function mermaidIds(graph: ProjectGraph): (node: NodeRef) => string {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  const add = (node: NodeRef) => {
    const base = `${node.type[0]}_${node.name.replace(/[^A-Za-z0-9]/g, '_')}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(`${node.type}:${node.name}`, id);
  };
  for (const resource of graph.resources) add(resource);
  for (const pipeline of graph.pipelines) add({ type: 'pipeline', name: pipeline.name });
  return (node) => ids.get(`${node.type}:${node.name}`)!;
}

function drawMermaid(graph: ProjectGraph, arrows: readonly Arrow[]): string {
  const id = mermaidIds(graph);
  const quote = (text: string) => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  // Buckets as cylinders, tables as boxes with a double border.
  for (const resource of graph.resources) lines.push(resource.type === 'bucket' ? `  ${id(resource)}[(${quote(resource.name)})]` : `  ${id(resource)}[[${quote(resource.name)}]]`);
  for (const { name } of graph.pipelines) lines.push(`  ${id({ type: 'pipeline', name })}(${quote(name)})`);
  for (const arrow of arrows) lines.push(`  ${id(arrow.from)} ${arrow.kind === 'quarantine' ? '-.->' : '-->'}|${quote(arrowLabel(arrow))}| ${id(arrow.to)}`);
  const red = arrows.flatMap((arrow, index) => (arrow.cycle ? [index] : []));
  if (red.length) lines.push(`  linkStyle ${red.join(',')} stroke:red,stroke-width:2px`);
  return lines.join('\n');
}

function drawDot(graph: ProjectGraph, arrows: readonly Arrow[]): string {
  const quote = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const node = (ref: NodeRef) => quote(`${ref.type}:${ref.name}`);
  const lines = ['digraph sluice {', '  rankdir=LR;'];
  for (const resource of graph.resources) lines.push(`  ${node(resource)} [label=${quote(resource.name)}, shape=${resource.type === 'bucket' ? 'cylinder' : 'box3d'}];`);
  for (const { name } of graph.pipelines) lines.push(`  ${node({ type: 'pipeline', name })} [label=${quote(name)}, shape=box, style=rounded];`);
  for (const arrow of arrows) {
    const attributes = [`label=${quote(arrowLabel(arrow))}`];
    if (arrow.kind === 'quarantine') attributes.push('style=dashed');
    if (arrow.cycle) attributes.push('color=red', 'fontcolor=red');
    lines.push(`  ${node(arrow.from)} -> ${node(arrow.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** The project as a drawing: buckets and tables, the pipelines they start, what those write; trigger cycles in red. */
export function drawGraph(graph: ProjectGraph, cycles: readonly TriggerCycle[], format: GraphFormat): string {
  const arrows = arrowsOf(graph, cycles);
  switch (format) {
    case 'text':
      return drawText(graph, arrows, cycles);
    case 'mermaid':
      return drawMermaid(graph, arrows);
    case 'dot':
      return drawDot(graph, arrows);
  }
}
