import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, NodeLabel } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../api-types.ts';

/** Arrow labels longer than this are cut, the whole label kept for the tooltip. */
const LABEL_CHARS = 30;
/** About an 11px sans-serif character, to make room for a label. */
const CHAR_WIDTH = 6.4;
const NODE_HEIGHT = 44;

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends GraphEdge {
  points: { x: number; y: number }[];
  /** The label as drawn (cut when long), and where. */
  shortLabel: string;
  labelWidth: number;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const shorten = (text: string, chars = LABEL_CHARS) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);
const labelWidth = (text: string) => Math.ceil(shorten(text).length * CHAR_WIDTH) + 8;

/**
 * Places the project's buckets, tables and pipelines left to right in layers (dagre's layered
 * layout): what starts a pipeline on its left, what it writes on its right, labels beside arrows.
 */
export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphLayout {
  const graph = new Graph<object, NodeLabel, EdgeLabel>({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 40, edgesep: 12, marginx: 12, marginy: 12 });
  for (const node of nodes) graph.setNode(node.id, { width: Math.max(96, node.name.length * 8 + 40), height: NODE_HEIGHT });
  edges.forEach((edge, index) => {
    graph.setEdge(edge.from, edge.to, { width: labelWidth(edge.label), height: 18, labelpos: 'c', minlen: 1 }, String(index));
  });
  layout(graph);
  const placed = nodes.map((node) => {
    const { x = 0, y = 0, width, height } = graph.node(node.id);
    return { ...node, x, y, width, height };
  });
  const placedEdges = edges.map((edge, index) => {
    const label = graph.edge(edge.from, edge.to, String(index));
    const points = label.points ?? [];
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return { ...edge, points, shortLabel: shorten(edge.label), labelWidth: labelWidth(edge.label), labelX: label.x ?? middle.x, labelY: label.y ?? middle.y };
  });
  const { width = 0, height = 0 } = graph.graph() as { width?: number; height?: number };
  return { width, height, nodes: placed, edges: placedEdges };
}
