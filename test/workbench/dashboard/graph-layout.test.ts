import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectView } from '../../../shared/workbench/dashboard/project-view.ts';
import { layoutGraph, wrapLabel } from '../../../shared/workbench/dashboard/ui/graph-layout.ts';
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

  it('draws every arrow label whole, wrapped onto lines between words, its box clear of the nodes (they were cut: "created and removed, prefix i…")', async () => {
    // The shipped project with thumbnails also deleting the variants of a removed image: its trigger's label is the longest.
    const dir = await mkdtemp(join(tmpdir(), 'sluice-graph-'));
    await cp(join(repoRoot, 'pipelines'), dir, { recursive: true });
    const file = join(dir, 'thumbnails.yml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('events: [created]', 'events: [created, removed]'));
    const { pipelines, resources } = await loadProject(dir);
    const view = projectView(pipelines, resources, { s3: 'http://127.0.0.1:1', dynamodb: 'http://127.0.0.1:2' });
    const drawn = layoutGraph(view.nodes, view.edges);
    const trigger = drawn.edges.find((edge) => edge.to === 'pipeline:thumbnails')!;
    expect(trigger.label).toBe('created and removed, prefix images/, suffix .jpg .jpeg .png .webp .JPG .JPEG .PNG .WEBP');
    expect(trigger.lines).toEqual(['created and removed, prefix', 'images/, suffix .jpg .jpeg', '.png .webp .JPG .JPEG .PNG', '.WEBP']);
    for (const edge of drawn.edges) {
      expect(edge.lines.join(' '), edge.label).toBe(edge.label);
      expect(edge.labelHeight).toBeGreaterThanOrEqual(edge.lines.length * 14);
      for (const line of edge.lines) expect(line.length <= 30 || !line.includes(' '), line).toBe(true);
      for (const node of drawn.nodes) {
        const apart = Math.abs(edge.labelX - node.x) >= (edge.labelWidth + node.width) / 2 || Math.abs(edge.labelY - node.y) >= (edge.labelHeight + node.height) / 2;
        expect(apart, `the label of ${edge.from} → ${edge.to} and ${node.id} overlap`).toBe(true);
      }
    }
    expect(wrapLabel('a-single-word-longer-than-a-line-of-thirty-characters and more')).toEqual(['a-single-word-longer-than-a-line-of-thirty-characters', 'and more']);
  });
});
