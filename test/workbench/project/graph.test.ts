import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../shared/contract/errors.ts';
import { findTriggerCycles } from '../../../shared/workbench/checks/cycles.ts';
import type { GraphFormat } from '../../../shared/workbench/project/draw-graph.ts';
import { drawGraph } from '../../../shared/workbench/project/draw-graph.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { parsePipelines } from '../../../shared/workbench/project/load-project.ts';
import { buildProjectGraph } from '../../../shared/workbench/project/project-graph.ts';
import type { Pipeline } from '../../../shared/engine/pipeline/schema.ts';
import { repoRoot } from '../../support/paths.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

async function draw(dir: string, format: GraphFormat): Promise<string[]> {
  const { pipelines, issues } = await parsePipelines(join(repoRoot, dir));
  expect(issues).toEqual([]);
  const graph = buildProjectGraph(pipelines);
  return drawGraph(graph, findTriggerCycles(graph), format).split('\n');
}

function pipeline(text: string): Pipeline {
  const { pipeline: parsed, issues } = parsePipeline(text, 'p.yml', builtInHandlers);
  if (!parsed) throw new Error(issues.map(formatConfigIssue).join('\n'));
  return parsed;
}

describe('the project graph of the shipped pipelines', () => {
  const expected: Record<GraphFormat, string[]> = {
      text: [
        'bucket uploads',
        '  triggers orders-ingest (prefix orders/, suffix .csv)',
        '    writes table orders: items',
        '    on failure, copies to quarantine: orders-ingest/uploads/{key}',
        '  triggers thumbnails (prefix images/, suffix .jpg .jpeg .png .webp .JPG .JPEG .PNG .WEBP)',
        '    writes media: {dir}/{stem}/{variant}.{ext}',
        '    on failure, copies to quarantine: thumbnails/uploads/{key}',
        'table orders',
        '  triggers revenue (stream from TRIM_HORIZON, batch 100)',
        '    writes table revenue: items',
        '    on failure, copies to quarantine: revenue/orders/{first}-{last}.failed.json',
        'bucket quarantine',
        'table revenue',
        'bucket media',
        'no trigger cycles',
      ],
      mermaid: [
        'flowchart LR',
        '  b_uploads[("uploads")]',
        '  t_orders[["orders"]]',
        '  b_quarantine[("quarantine")]',
        '  t_revenue[["revenue"]]',
        '  b_media[("media")]',
        '  p_orders_ingest("orders-ingest")',
        '  p_revenue("revenue")',
        '  p_thumbnails("thumbnails")',
        '  b_uploads -->|"prefix orders/, suffix .csv"| p_orders_ingest',
        '  p_orders_ingest -->|"items"| t_orders',
        '  p_orders_ingest -.->|"on failure: orders-ingest/uploads/{key}"| b_quarantine',
        '  t_orders -->|"stream from TRIM_HORIZON, batch 100"| p_revenue',
        '  p_revenue -->|"items"| t_revenue',
        '  p_revenue -.->|"on failure: revenue/orders/{first}-{last}.failed.json"| b_quarantine',
        '  b_uploads -->|"prefix images/, suffix .jpg .jpeg .png .webp .JPG .JPEG .PNG .WEBP"| p_thumbnails',
        '  p_thumbnails -->|"{dir}/{stem}/{variant}.{ext}"| b_media',
        '  p_thumbnails -.->|"on failure: thumbnails/uploads/{key}"| b_quarantine',
      ],
      dot: [
        'digraph sluice {',
        '  rankdir=LR;',
        '  "bucket:uploads" [label="uploads", shape=cylinder];',
        '  "table:orders" [label="orders", shape=box3d];',
        '  "bucket:quarantine" [label="quarantine", shape=cylinder];',
        '  "table:revenue" [label="revenue", shape=box3d];',
        '  "bucket:media" [label="media", shape=cylinder];',
        '  "pipeline:orders-ingest" [label="orders-ingest", shape=box, style=rounded];',
        '  "pipeline:revenue" [label="revenue", shape=box, style=rounded];',
        '  "pipeline:thumbnails" [label="thumbnails", shape=box, style=rounded];',
        '  "bucket:uploads" -> "pipeline:orders-ingest" [label="prefix orders/, suffix .csv"];',
        '  "pipeline:orders-ingest" -> "table:orders" [label="items"];',
        '  "pipeline:orders-ingest" -> "bucket:quarantine" [label="on failure: orders-ingest/uploads/{key}", style=dashed];',
        '  "table:orders" -> "pipeline:revenue" [label="stream from TRIM_HORIZON, batch 100"];',
        '  "pipeline:revenue" -> "table:revenue" [label="items"];',
        '  "pipeline:revenue" -> "bucket:quarantine" [label="on failure: revenue/orders/{first}-{last}.failed.json", style=dashed];',
        '  "bucket:uploads" -> "pipeline:thumbnails" [label="prefix images/, suffix .jpg .jpeg .png .webp .JPG .JPEG .PNG .WEBP"];',
        '  "pipeline:thumbnails" -> "bucket:media" [label="{dir}/{stem}/{variant}.{ext}"];',
        '  "pipeline:thumbnails" -> "bucket:quarantine" [label="on failure: thumbnails/uploads/{key}", style=dashed];',
        '}',
      ],
  };

  it.each(Object.entries(expected))('as %s', async (format, lines) => {
    expect(await draw('pipelines', format as GraphFormat)).toEqual(lines);
  });
});

describe('a project with a trigger cycle', () => {
  // thumbnails quarantines to `failed`, where retry picks the .jpg copies up and puts them back in `uploads`.
  const expected: Record<GraphFormat, string[]> = {
      text: [
        'bucket uploads',
        '  triggers thumbnails (prefix images/, suffix .jpg) [cycle]',
        '    writes media: {dir}/{stem}/{variant}.{ext}',
        '    on failure, copies to failed: thumbnails/uploads/{key} [cycle]',
        'bucket media',
        'bucket failed',
        '  triggers retry (suffix .jpg) [cycle]',
        '    writes uploads: images/retried/{name} [cycle]',
        '    on failure, copies to quarantine: retry/failed/{key}',
        'bucket quarantine',
        'CYCLE retry writes uploads/images/retried/{name}, which triggers thumbnails (uploads, prefix "images/", suffix .jpg) → thumbnails quarantines to failed/thumbnails/uploads/{key}, which triggers retry (failed, suffix .jpg)',
      ],
      mermaid: [
        'flowchart LR',
        '  b_uploads[("uploads")]',
        '  b_media[("media")]',
        '  b_failed[("failed")]',
        '  b_quarantine[("quarantine")]',
        '  p_thumbnails("thumbnails")',
        '  p_retry("retry")',
        '  b_uploads -->|"prefix images/, suffix .jpg"| p_thumbnails',
        '  p_thumbnails -->|"{dir}/{stem}/{variant}.{ext}"| b_media',
        '  p_thumbnails -.->|"on failure: thumbnails/uploads/{key}"| b_failed',
        '  b_failed -->|"suffix .jpg"| p_retry',
        '  p_retry -->|"images/retried/{name}"| b_uploads',
        '  p_retry -.->|"on failure: retry/failed/{key}"| b_quarantine',
        '  linkStyle 0,2,3,4 stroke:red,stroke-width:2px',
      ],
      dot: [
        'digraph sluice {',
        '  rankdir=LR;',
        '  "bucket:uploads" [label="uploads", shape=cylinder];',
        '  "bucket:media" [label="media", shape=cylinder];',
        '  "bucket:failed" [label="failed", shape=cylinder];',
        '  "bucket:quarantine" [label="quarantine", shape=cylinder];',
        '  "pipeline:thumbnails" [label="thumbnails", shape=box, style=rounded];',
        '  "pipeline:retry" [label="retry", shape=box, style=rounded];',
        '  "bucket:uploads" -> "pipeline:thumbnails" [label="prefix images/, suffix .jpg", color=red, fontcolor=red];',
        '  "pipeline:thumbnails" -> "bucket:media" [label="{dir}/{stem}/{variant}.{ext}"];',
        '  "pipeline:thumbnails" -> "bucket:failed" [label="on failure: thumbnails/uploads/{key}", style=dashed, color=red, fontcolor=red];',
        '  "bucket:failed" -> "pipeline:retry" [label="suffix .jpg", color=red, fontcolor=red];',
        '  "pipeline:retry" -> "bucket:uploads" [label="images/retried/{name}", color=red, fontcolor=red];',
        '  "pipeline:retry" -> "bucket:quarantine" [label="on failure: retry/failed/{key}", style=dashed];',
        '}',
      ],
  };

  it.each(Object.entries(expected))('as %s, the loop in red', async (format, lines) => {
    expect(await draw('test/fixtures/pipelines/cycles/quarantine-chain', format as GraphFormat)).toEqual(lines);
  });
});

describe('drawing', () => {
  const odd = pipeline(`name: odd
on: { bucket: a-b, prefix: 'say "hi"\\', suffix: .txt }
steps: [{ resize: { variants: [{ name: v, width: 1 }] } }]
to: { bucket: a.b, key: "{name}" }
onError: { quarantine: { bucket: a-b-q } }
`);

  it('quotes labels for mermaid and keeps ids apart', () => {
    const graph = buildProjectGraph([odd]);
    expect(drawGraph(graph, [], 'mermaid').split('\n')).toEqual([
      'flowchart LR',
      '  b_a_b[("a-b")]',
      '  b_a_b_2[("a.b")]',
      '  b_a_b_q[("a-b-q")]',
      '  p_odd("odd")',
      '  b_a_b -->|"prefix say #quot;hi#quot;\\, suffix .txt"| p_odd',
      '  p_odd -->|"{name}"| b_a_b_2',
      '  p_odd -.->|"on failure: odd/a-b/{key}"| b_a_b_q',
    ]);
  });

  it('escapes labels for dot', () => {
    const graph = buildProjectGraph([odd]);
    expect(drawGraph(graph, [], 'dot').split('\n')).toContain('  "bucket:a-b" -> "pipeline:odd" [label="prefix say \\"hi\\"\\\\, suffix .txt"];');
  });
});
