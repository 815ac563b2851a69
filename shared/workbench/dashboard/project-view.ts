import { findTriggerCycles } from '../checks/cycles.ts';
import type { NodeRef } from '../project/draw-graph.ts';
import { arrowLabel, arrowsOf } from '../project/draw-graph.ts';
import { buildProjectGraph } from '../project/project-graph.ts';
import type { Resources } from '../../engine/pipeline/resources.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';
import type { ProjectView } from './api-types.ts';

const nodeId = (node: NodeRef) => `${node.type}:${node.name}`;

/** The project as the dashboard draws it: the same nodes and arrows as `sluice graph`, and what each pipeline reads. */
export function projectView(pipelines: readonly Pipeline[], resources: Resources, endpoints: ProjectView['endpoints']): ProjectView {
  const graph = buildProjectGraph(pipelines);
  const arrows = arrowsOf(graph, findTriggerCycles(graph));
  return {
    nodes: [...graph.resources, ...pipelines.map((p) => ({ type: 'pipeline' as const, name: p.name }))].map((node) => ({ id: nodeId(node), type: node.type, name: node.name })),
    edges: arrows.map((arrow) => ({ from: nodeId(arrow.from), to: nodeId(arrow.to), kind: arrow.kind, label: arrowLabel(arrow), cycle: arrow.cycle })),
    pipelines: pipelines.map((p) => ({
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      trigger: isBucketTrigger(p.on) ? 'bucket' : 'table',
      source: isBucketTrigger(p.on) ? p.on.bucket : p.on.table,
      ...(isBucketTrigger(p.on) ? { prefix: p.on.prefix, suffixes: p.on.suffix } : {}),
      steps: p.steps.map((step) => step.handler),
      quarantineBucket: p.onError.quarantine.bucket,
    })),
    buckets: Object.keys(resources.buckets),
    tables: Object.entries(resources.tables).map(([name, table]) => ({ name, keys: [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])] })),
    endpoints,
  };
}
