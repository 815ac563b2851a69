import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectView } from '../../../shared/workbench/dashboard/project-view.ts';
import { layoutGraph } from '../../../shared/workbench/dashboard/ui/graph-layout.ts';
import { loadProject } from '../../../shared/workbench/project/load-project.ts';
import { repoRoot } from '../../support/paths.ts';

describe('the dashboard drawing of the shipped project', () => {
  it('has every resource and pipeline of `sluice graph`, laid out left to right without overlaps', async () => {
    const { pipelines, resources } = await loadProject(join(repoRoot, 'pipelines'));
    const view = projectView(pipelines, resources, { s3: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:2' });
    expect(view.nodes.map((node) => node.id).sort()).toEqual(['bucket:media', 'bucket:quarantine', 'bucket:uploads', 'pipeline:orders-ingest', 'pipeline:revenue', 'pipeline:thumbnails', 'table:orders', 'table:revenue']);
    expect(view.edges).toContainEqual({ from: 'bucket:uploads', to: 'pipeline:thumbnails', kind: 'trigger', label: expect.stringContaining('prefix images/'), cycle: false });
    expect(view.edges).toContainEqual({ from: 'pipeline:revenue', to: 'bucket:quarantine', kind: 'quarantine', label: expect.stringMatching(/^on failure: /), cycle: false });

    const drawn = layoutGraph(view.nodes, view.edges);
    const at = new Map(drawn.nodes.map((node) => [node.id, node]));
    // Every arrow runs left to right: what starts a pipeline is on its left, what it writes on its right.
    for (const edge of drawn.edges) expect(at.get(edge.from)!.x, `${edge.from} → ${edge.to}`).toBeLessThan(at.get(edge.to)!.x);
    for (const a of drawn.nodes) {
      for (const b of drawn.nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
      expect(a.x - a.width / 2).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width / 2).toBeLessThanOrEqual(drawn.width);
    }
    for (const edge of drawn.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
  });
});
