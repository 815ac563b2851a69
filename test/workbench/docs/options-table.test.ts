import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OPTIONS_END, OPTIONS_START, renderOptionsTable, replaceOptionsSection } from '../../../shared/workbench/docs/options-table.ts';
import { resizeSpec } from '../../../handlers/resize/spec.ts';

/** The table row of `option` in the block of rows that follows `heading` (or the first table). */
function row(markdown: string, option: string, heading?: string): string[] {
  const from = heading ? markdown.indexOf(heading) : 0;
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const line = markdown.slice(from).split('\n').find((text) => text.startsWith(`| \`${option}\` |`));
  expect(line, option).toBeDefined();
  return line!.slice(2, -2).split(' | ');
}

describe('renderOptionsTable', () => {
  it('gives each option its type, default or requirement, and description', () => {
    const spec = z.strictObject({
      size: z.int().min(1).max(100).describe('How big.'),
      count: z.int().min(0).default(3).describe('How many.'),
      ratio: z.number().gt(0).optional().describe('A ratio.'),
      mode: z.enum(['fast', 'slow']).default('fast').describe('Speed.'),
      label: z.string().min(1).max(8).describe('A label.'),
      tags: z.array(z.string().min(1)).min(1).optional().describe('Tags.'),
      prefix: z.string().default('').describe('A prefix.'),
      pipe: z.string().regex(/^(a|b)$/).optional().describe('Either a | b.'),
    });
    const table = renderOptionsTable(spec);
    expect(table.split('\n').slice(0, 2)).toEqual(['| Option | Type | Default | Description |', '|---|---|---|---|']);
    expect(row(table, 'size')).toEqual(['`size`', 'integer 1-100', 'required', 'How big.']);
    expect(row(table, 'count')).toEqual(['`count`', 'integer ≥ 0', '`3`', 'How many.']);
    expect(row(table, 'ratio')).toEqual(['`ratio`', 'number > 0', 'optional', 'A ratio.']);
    expect(row(table, 'mode')).toEqual(['`mode`', '`fast`, `slow`', '`fast`', 'Speed.']);
    expect(row(table, 'label')).toEqual(['`label`', 'string, 1-8 characters', 'required', 'A label.']);
    expect(row(table, 'tags')).toEqual(['`tags`', 'list of non-empty strings, at least 1', 'optional', 'Tags.']);
    expect(row(table, 'prefix')).toEqual(['`prefix`', 'string', '`""`', 'A prefix.']);
    // Pipes are escaped, so they do not split the cell.
    expect(table).toContain('| `pipe` | string, matching `^(a\\|b)$` | optional | Either a \\| b. |');
  });

  it('gives nested objects and lists of objects tables of their own, named by their path', () => {
    const spec = z.strictObject({
      outputs: z.array(z.strictObject({ name: z.string().describe('Its name.'), crop: z.strictObject({ x: z.int().describe('Left.') }).optional().describe('Where.') }).describe('One output.')).min(1).describe('The outputs.'),
    });
    const markdown = renderOptionsTable(spec);
    expect(row(markdown, 'outputs')).toEqual(['`outputs`', 'list of objects (`outputs[]` below), at least 1', 'required', 'The outputs.']);
    expect(markdown).toContain('Each item of `outputs` (`outputs[]`): One output.');
    expect(row(markdown, 'crop', '(`outputs[]`)')).toEqual(['`crop`', 'object (`outputs[].crop` below)', 'optional', 'Where.']);
    expect(markdown).toContain('`outputs[].crop`: Where.');
    expect(row(markdown, 'x', '`outputs[].crop`:')).toEqual(['`x`', 'integer', 'required', 'Left.']);
  });

  it('is at least as informative as resize\'s hand-written tables were', () => {
    const markdown = renderOptionsTable(resizeSpec);
    expect(row(markdown, 'variants')[1]).toBe('list of objects (`variants[]` below), at least 1');
    expect(row(markdown, 'limitInputPixels').slice(1, 3)).toEqual(['integer ≥ 1', 'optional']);
    expect(row(markdown, 'limitInputPixels')[3]).toContain("Default: the largest image the function's memory can resize");
    expect(row(markdown, 'width', '(`variants[]`)').slice(1, 3)).toEqual(['integer 1-16384', 'optional']);
    expect(row(markdown, 'fit', '(`variants[]`)').slice(1, 3)).toEqual(['`cover`, `contain`, `fill`, `inside`, `outside`', '`cover`']);
    expect(row(markdown, 'position', '(`variants[]`)')[1]).toContain('`attention`, `entropy`');
    expect(row(markdown, 'quality', '(`variants[]`)')[3]).toContain('jpeg 80, webp 80, avif 50');
    expect(row(markdown, 'background', '(`variants[]`)')[3]).toMatch(/#rrggbb.*white for jpeg, transparent/);
  });

  it('refuses a spec that is not an object', () => {
    expect(() => renderOptionsTable(z.string())).toThrow(/needs an object spec/);
  });
});

describe('replaceOptionsSection', () => {
  it('replaces only what is between the markers', () => {
    const readme = `# x\n\n## Options\n\n${OPTIONS_START}\nold table\n${OPTIONS_END}\n\n## Errors\n`;
    const out = replaceOptionsSection(readme, '| new |', 'README.md');
    expect(out.startsWith(`# x\n\n## Options\n\n${OPTIONS_START}\n`)).toBe(true);
    expect(out.endsWith(`\n\n| new |\n\n${OPTIONS_END}\n\n## Errors\n`)).toBe(true);
    expect(out).not.toContain('old table');
    expect(replaceOptionsSection(out, '| new |', 'README.md')).toBe(out);
  });

  it('names the README that lacks the markers', () => {
    expect(() => replaceOptionsSection('# x\n', '| t |', 'handlers/x/README.md')).toThrow('handlers/x/README.md: no <!-- options:start --> ... <!-- options:end --> markers');
  });
});
