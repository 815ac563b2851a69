import type { ConfigIssue } from '../../contract/errors.ts';
import { issueAt } from '../../engine/pipeline/positions.ts';
import type { ProjectGraph, TriggerLink } from '../project/project-graph.ts';
import { buildProjectGraph } from '../project/project-graph.ts';
import type { Pipeline } from '../../engine/pipeline/schema.ts';
import { isBucketTrigger } from '../../engine/pipeline/schema.ts';

/**
 * A loop of pipelines each starting the next through what it writes: the recursive-Lambda loop,
 * which runs (and bills) until someone notices. `links[0]` is the write that closes the loop: the
 * one back into the loop's first pipeline in project order; the others follow from there.
 */
export interface TriggerCycle {
  links: TriggerLink[];
}

/** Enough to show every loop a real project could have, without enumerating a dense graph's exponentially many. */
const MAX_CYCLES = 100;

/**
 * Every elementary cycle of a directed graph (Johnson's algorithm), each listed from its smallest
 * node, up to `limit` (self-loops always included).
 */
export function elementaryCycles(size: number, successors: readonly (readonly number[])[], limit = MAX_CYCLES): number[][] {
  const cycles: number[][] = [];
  for (let start = 0; start < size && cycles.length < limit; start++) {
    const component = componentOf(start, successors);
    const blocked = new Set<number>();
    const blockers = new Map<number, Set<number>>();
    const stack: number[] = [];
    const unblock = (node: number) => {
      blocked.delete(node);
      for (const other of blockers.get(node) ?? []) if (blocked.has(other)) unblock(other);
      blockers.delete(node);
    };
    const circuit = (node: number): boolean => {
      let found = false;
      stack.push(node);
      blocked.add(node);
      for (const next of successors[node] ?? []) {
        if (!component.has(next) || cycles.length >= limit) continue;
        if (next === start) {
          cycles.push([...stack]);
          found = true;
        } else if (!blocked.has(next) && circuit(next)) {
          found = true;
        }
      }
      if (found) {
        unblock(node);
      } else {
        for (const next of successors[node] ?? []) {
          if (!component.has(next)) continue;
          const set = blockers.get(next) ?? new Set<number>();
          set.add(node);
          blockers.set(next, set);
        }
      }
      stack.pop();
      return found;
    };
    if (component.size > 1 || successors[start]?.includes(start)) circuit(start);
  }
  for (let node = 0; node < size; node++) {
    if (successors[node]?.includes(node) && !cycles.some((cycle) => cycle.length === 1 && cycle[0] === node)) cycles.push([node]);
  }
  return cycles;
}

/** The strongly connected component of `start` among the nodes numbered `start` or more. */
function componentOf(start: number, successors: readonly (readonly number[])[]): Set<number> {
  const reach = (edges: (node: number) => readonly number[]) => {
    const seen = new Set([start]);
    const todo = [start];
    while (todo.length) {
      for (const next of edges(todo.pop()!)) {
        if (next < start || seen.has(next)) continue;
        seen.add(next);
        todo.push(next);
      }
    }
    return seen;
  };
  const predecessors = successors.map(() => [] as number[]);
  successors.forEach((nexts, node) => nexts.forEach((next) => predecessors[next]?.push(node)));
  const forward = reach((node) => successors[node] ?? []);
  const backward = reach((node) => predecessors[node] ?? []);
  return new Set([...forward].filter((node) => backward.has(node)));
}

/**
 * Every trigger cycle of the project. A loop of pipelines is reported once per kind of write
 * (output, quarantine) that closes it, so each report points at one field to change.
 */
export function findTriggerCycles(graph: ProjectGraph): TriggerCycle[] {
  const index = new Map(graph.pipelines.map((pipeline, i) => [pipeline, i]));
  const between = (from: number, to: number) => graph.links.filter((link) => index.get(link.from) === from && index.get(link.to) === to);
  const successors = graph.pipelines.map((_, from) => [...new Set(graph.links.filter((link) => index.get(link.from) === from).map((link) => index.get(link.to)!))]);
  const cycles: TriggerCycle[] = [];
  for (const nodes of elementaryCycles(graph.pipelines.length, successors)) {
    const last = nodes[nodes.length - 1]!;
    const rest = nodes.map((node, i) => between(node, nodes[i + 1] ?? nodes[0]!)[0]!).slice(0, -1);
    const closing = between(last, nodes[0]!);
    for (const kind of ['output', 'quarantine'] as const) {
      const link = closing.find((candidate) => candidate.write.kind === kind);
      if (link) cycles.push({ links: [link, ...rest] });
    }
  }
  return cycles;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `uploads, prefix "images/", suffix .jpg`, or `the stream of orders`: what starts `to`. */
function describeTrigger(link: TriggerLink): string {
  const { on } = link.to;
  if (!isBucketTrigger(on)) return `the stream of table ${on.table}${on.filters.length ? ', whose filters cannot be proven to exclude these writes' : ''}`;
  const filter = [on.bucket];
  if (on.prefix) filter.push(`prefix ${JSON.stringify(on.prefix)}`);
  if (link.suffixes.length) filter.push(`suffix ${orList(link.suffixes)}`);
  if (filter.length === 1) filter.push('every key');
  return filter.join(', ');
}

/** `thumbnails writes uploads/images/{stem}.{ext}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg)` */
export function describeLink(link: TriggerLink): string {
  const { write, to } = link;
  const verb = write.kind === 'output' ? 'writes' : 'quarantines to';
  const target = write.resource.type === 'table' ? `table ${write.resource.name}` : `${write.resource.name}/${write.shownKey}`;
  return `${link.from.name} ${verb} ${target}, which triggers ${to.name} (${describeTrigger(link)})`;
}

/** The loop's path, from the write that closes it back to that write's pipeline. */
export function describeCycle(cycle: TriggerCycle): string {
  return cycle.links.map(describeLink).join(' → ');
}

export function cycleIssue(cycle: TriggerCycle): ConfigIssue {
  const [closing] = cycle.links as [TriggerLink, ...TriggerLink[]];
  const verb = closing.write.kind === 'output' ? 'write' : 'quarantine';
  const { on } = closing.to;
  const advice = !isBucketTrigger(on)
    ? `${verb} to another table`
    : on.prefix
      ? `${verb} to another bucket or outside the trigger's prefix`
      : `${verb} to another bucket, or give the trigger a prefix that excludes these keys`;
  return issueAt(closing.from, closing.write.field, `trigger cycle: ${describeCycle(cycle)}; ${advice}`);
}

/** Every pipeline whose writes can start itself again, directly or through other pipelines. */
export function triggerCycleIssues(pipelines: readonly Pipeline[]): ConfigIssue[] {
  return findTriggerCycles(buildProjectGraph(pipelines)).map(cycleIssue);
}
