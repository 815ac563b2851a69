import { Graph, layout } from '@dagrejs/dagre';
import type { EdgeLabel, NodeLabel } from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../api-types.ts';

/** Arrow labels longer than this are wrapped onto more lines, never cut. */
const LABEL_CHARS = 30;
/** About an 11px sans-serif character, to make room for a label. */
const CHAR_WIDTH = 6.4;
/** One line of a label. */
const LINE_HEIGHT = 14;
const NODE_HEIGHT = 44;

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends GraphEdge {
  points: { x: number; y: number }[];
  /** The label as drawn, in lines of at most about LABEL_CHARS characters, and where its box is. */
  lines: string[];
  labelWidth: number;
  labelHeight: number;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/**
 * The label in lines of at most `chars` characters, broken between words (a word longer than a line
 * gets a line of its own): every word of it is drawn.
 */
export function wrapLabel(text: string, chars = LABEL_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

function labelBox(text: string): { lines: string[]; width: number; height: number } {
  const lines = wrapLabel(text);
  return { lines, width: Math.ceil(Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH) + 8, height: lines.length * LINE_HEIGHT + 4 };
}

/**
 * Places the project's buckets, tables and pipelines left to right in layers (dagre's layered
 * layout): what starts a pipeline on its left, what it writes on its right, labels beside arrows.
 */
export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphLayout {
  const graph = new Graph<object, NodeLabel, EdgeLabel>({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 40, edgesep: 12, marginx: 12, marginy: 12 });
  for (const node of nodes) graph.setNode(node.id, { width: Math.max(96, node.name.length * 8 + 40), height: NODE_HEIGHT });
  const boxes = edges.map((edge) => labelBox(edge.label));
  edges.forEach((edge, index) => {
    graph.setEdge(edge.from, edge.to, { width: boxes[index]!.width, height: boxes[index]!.height, labelpos: 'c', minlen: 1 }, String(index));
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
    const box = boxes[index]!;
    return { ...edge, points, lines: box.lines, labelWidth: box.width, labelHeight: box.height, labelX: label.x ?? middle.x, labelY: label.y ?? middle.y };
  });
  const { width = 0, height = 0 } = graph.graph() as { width?: number; height?: number };
  return { width, height, nodes: placed, edges: placedEdges };
}
