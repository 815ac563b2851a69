import { describe, expect, it } from 'vitest';
import { recordFigure, renderFigures, times } from '../../bench/figures.ts';

describe('the benchmark figures page', () => {
  it('has the date, the machine, and each figure under its benchmark', () => {
    recordFigure({ bench: 'sanitize', what: 'rules / bare csv-parse', value: times(0.5678), detail: '155,000 vs 273,000 rows/s | tsx' });
    recordFigure({ bench: 'load', what: 'peak memory, 1000 images / 50', value: times(1.3) });
    const page = renderFigures(new Date('2026-12-07T12:34:56Z'));
    expect(page).toContain('- date: 2026-12-07 12:34 UTC');
    expect(page).toMatch(/- machine: \d+ cores \(.+\), \d+ GiB, Node v\d+/);
    expect(page).toContain('## sanitize\n\n| what | figure | measured |\n|---|---|---|\n| rules / bare csv-parse | 0.57x | 155,000 vs 273,000 rows/s \\| tsx |');
    expect(page).toContain('## load\n\n| what | figure | measured |\n|---|---|---|\n| peak memory, 1000 images / 50 | 1.30x |  |');
  });
});
