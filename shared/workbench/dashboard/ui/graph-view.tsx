import { useMemo, useRef } from 'preact/hooks';
import type { ProjectView } from '../api-types.ts';
import type { Live } from './app.tsx';
import { go } from './app.tsx';
import type { PlacedNode } from './graph-layout.ts';
import { layoutGraph } from './graph-layout.ts';

/** A bucket as a cylinder, a table as a box with a double border, a pipeline as a rounded box (as `sluice graph` draws them). */
function Shape({ node }: { node: PlacedNode }) {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  if (node.type === 'bucket') {
    const ry = 6;
    return (
      <g class="shape">
        <path d={`M${left},${top + ry} a${node.width / 2},${ry} 0 0,0 ${node.width},0 a${node.width / 2},${ry} 0 0,0 ${-node.width},0 v${node.height - 2 * ry} a${node.width / 2},${ry} 0 0,0 ${node.width},0 v${-(node.height - 2 * ry)}`} />
      </g>
    );
  }
  if (node.type === 'table') {
    return (
      <g class="shape">
        <rect x={left} y={top} width={node.width} height={node.height} />
        <rect x={left + 4} y={top + 4} width={node.width - 8} height={node.height - 8} />
      </g>
    );
  }
  return <rect class="shape" x={left} y={top} width={node.width} height={node.height} rx={12} />;
}

/**
 * The project drawn: buckets and tables, the pipelines they start, where those write and
 * quarantine (dashed), trigger cycles in red. A pipeline shows its counts and lights up as it runs.
 */
export function GraphView({ project, live }: { project: ProjectView; live: Live }) {
  const placed = useMemo(() => layoutGraph(project.nodes, project.edges), [project]);
  // A pipeline lights up for the runs that arrive while the drawing is shown, not for those before.
  const shownAfter = useRef(live.runs[0]?.id ?? 0);
  const latest = new Map<string, number>();
  for (const run of live.runs) if (run.id > shownAfter.current && !latest.has(run.pipeline)) latest.set(run.pipeline, run.id);
  const totals = new Map(live.totals.map((t) => [t.pipeline, t]));
  const open = (node: PlacedNode) => {
    if (node.type === 'bucket') go('buckets', { bucket: node.name });
    else if (node.type === 'table') go('tables', { table: node.name });
    else go('runs');
  };
  return (
    <section>
      <h2>Pipelines</h2>
      <div class="graph">
        <svg role="img" aria-label="graph of buckets, tables and pipelines" width={placed.width} height={placed.height} viewBox={`0 0 ${placed.width} ${placed.height}`}>
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" />
            </marker>
          </defs>
          {placed.edges.map((edge) => (
            <g class={`edge ${edge.kind} ${edge.cycle ? 'cycle' : ''}`} key={`${edge.from}>${edge.to}>${edge.kind}`}>
              <title>{edge.label}</title>
              <polyline points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')} marker-end="url(#arrow)" />
              <rect class="label" x={edge.labelX - edge.labelWidth / 2} y={edge.labelY - edge.labelHeight / 2} width={edge.labelWidth} height={edge.labelHeight} rx={3} />
              <text x={edge.labelX} y={edge.labelY - edge.labelHeight / 2 + 13} text-anchor="middle">
                {edge.lines.map((line, index) => (
                  <tspan key={index} x={edge.labelX} dy={index ? 14 : 0}>
                    {line}
                  </tspan>
                ))}
              </text>
            </g>
          ))}
          {placed.nodes.map((node) => {
            const total = totals.get(node.name);
            const runId = node.type === 'pipeline' ? latest.get(node.name) : undefined;
            return (
              <g class={`node ${node.type}`} key={`${node.id}:${runId ?? ''}`} data-node={node.id} onClick={() => open(node)}>
                <title>{`${node.type} ${node.name}`}</title>
                <Shape node={node} />
                {runId !== undefined && <rect class="flash" x={node.x - node.width / 2} y={node.y - node.height / 2} width={node.width} height={node.height} rx={12} />}
                <text x={node.x} y={node.type === 'pipeline' && total ? node.y - 3 : node.y + 4} text-anchor="middle" class="name">
                  {node.name}
                </text>
                {node.type === 'pipeline' && total && (
                  <text x={node.x} y={node.y + 13} text-anchor="middle" class="counts">
                    {`${total.itemsIn} in · ${total.processed} ok${total.quarantined + total.failed ? ` · ${total.quarantined + total.failed} failed` : ''}`}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <p class="muted small">
        S3 endpoint <code>{project.endpoints.s3}</code> · DynamoDB endpoint <code>{project.endpoints.dynamodb}</code> · dashed: where failures are quarantined · click a bucket or table to look inside
      </p>
    </section>
  );
}
