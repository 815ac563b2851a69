import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/**
 * The figures of `npm run bench`, gathered as each benchmark prints them and written to
 * docs/bench.md when the run ends: the date, the machine, and each figure, a ratio against the
 * bare library or the peer tool measured side by side in the same run (with the absolute values
 * beside it, for context). Nothing in the docs quotes a figure by hand.
 */

export interface Figure {
  /** The benchmark, as `npm run bench` prints it: resize, stream aggregation, sanitize, bundles, load. */
  bench: string;
  /** What is compared with what. */
  what: string;
  /** The ratio, or the value, as printed (`0.57x`, `209 per 1,000 records`). */
  value: string;
  /** The measurements behind it. */
  detail?: string;
}

const figures: Figure[] = [];

export function recordFigure(figure: Figure): void {
  figures.push(figure);
}

/** `1.23x` */
export const times = (ratio: number) => `${ratio.toFixed(2)}x`;

function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  return `${cores.length} cores (${model}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

export function renderFigures(at: Date = new Date()): string {
  const benches = [...new Set(figures.map((figure) => figure.bench))];
  const sections = benches.map((bench) =>
    [`## ${bench}`, '', '| what | figure | measured |', '|---|---|---|', ...figures.filter((figure) => figure.bench === bench).map((figure) => `| ${cell(figure.what)} | ${cell(figure.value)} | ${cell(figure.detail ?? '')} |`)].join('\n'),
  );
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/), not by hand: every figure is measured side by side, in one run on one machine, against the bare library or the tool a user would pick instead. Run it again to measure yours.',
    '',
    `- date: ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- machine: ${machine()}`,
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}

/** Writes docs/bench.md under `root`; returns its path. */
export async function writeFigures(root: string): Promise<string> {
  const file = join(root, 'docs', 'bench.md');
  await writeFile(file, renderFigures());
  return file;
}
