import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatConfigIssue } from '../../shared/contract/errors.ts';
import { parsePipeline } from '../../shared/engine/pipeline/load.ts';
import { parseResources } from '../../shared/engine/pipeline/resources.ts';
import { createProgram } from '../../shared/workbench/cli/program.ts';
import { testFileSpec } from '../../shared/workbench/pipeline-tests/test-file-spec.ts';
import { loadProjectRegistry } from '../../shared/workbench/project/project-handlers.ts';
import { codeBlocks, documentationFiles } from '../support/docs.ts';
import { repoRoot } from '../support/paths.ts';

/**
 * Every example of the user documentation (the README, docs/ and the handlers' READMEs) as
 * written: pipelines, resources and pipeline tests validate; `sluice` commands name a command and
 * options it has; `npm run` names a script package.json has.
 */

describe('pipeline, resources and pipeline-test examples in the docs', () => {
  it('are valid, exactly as written', async () => {
    // With the project's own handlers too: a forked handler's README shows its own name.
    const registry = await loadProjectRegistry(repoRoot);
    const checked = new Map<string, number>();
    for (const page of await documentationFiles()) {
      for (const yaml of await codeBlocks(page, 'yaml')) {
        if (/^buckets:/m.test(yaml)) {
          expect(parseResources(yaml, page).issues.map(formatConfigIssue), page).toEqual([]);
        } else if (/^pipeline:/m.test(yaml)) {
          // A pipeline test file: its shape only, since its files are relative to a folder the page has not.
          const parsed = testFileSpec.safeParse(parseYaml(yaml));
          expect(parsed.error?.issues ?? [], page).toEqual([]);
        } else if (/^name:/m.test(yaml) && /^steps:/m.test(yaml)) {
          const { issues } = parsePipeline(yaml, page, registry);
          expect(issues.map(formatConfigIssue), page).toEqual([]);
        } else continue;
        checked.set(page, (checked.get(page) ?? 0) + 1);
      }
    }
    for (const page of ['README.md', 'docs/pipelines.md', 'docs/testing-pipelines.md']) expect(checked.get(page) ?? 0, page).toBeGreaterThan(0);
  });
});

/** The command lines of the shell examples: comments and line continuations removed. */
async function commandLines(page: string): Promise<string[]> {
  const lines: string[] = [];
  for (const block of await codeBlocks(page, 'sh')) {
    for (const line of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command) lines.push(...command.split(/\s*&&\s*/));
    }
  }
  return lines;
}

/** Words of a shell line, quotes removed (what the examples use: no variables in sluice commands). */
const words = (line: string) => [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);

/** Why `args` (after `sluice`) would not parse: an unknown command or option, a missing argument or value. */
function commandProblem(program: Command, args: string[]): string | undefined {
  let command = program;
  let rest = args;
  while (rest.length && command.commands.length) {
    const sub = command.commands.find((candidate) => candidate.name() === rest[0] || candidate.aliases().includes(rest[0]!));
    if (!sub) return `unknown command "${rest[0]}"`;
    command = sub;
    rest = rest.slice(1);
  }
  const options: readonly Option[] = command.options;
  const positional: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const word = rest[index]!;
    if (!word.startsWith('-')) {
      positional.push(word);
      continue;
    }
    const [flag] = word.split('=');
    const option = options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (!option) return `${command.name()} has no option ${flag}`;
    if ((option.required || option.optional) && !word.includes('=') && option.required) index++;
  }
  const required = command.registeredArguments.filter((argument) => argument.required).length;
  if (positional.length < required) return `${command.name()} needs ${required} argument(s), found ${positional.length}`;
  for (const option of options.filter((candidate) => candidate.mandatory)) {
    if (!rest.some((word) => word === option.long || word.startsWith(`${option.long}=`))) return `${command.name()} needs ${option.long}`;
  }
  return undefined;
}

describe('command examples in the docs', () => {
  it('name sluice commands and options that exist, and npm scripts that package.json has', async () => {
    const program = createProgram();
    const scripts = Object.keys((JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const problems: string[] = [];
    let checked = 0;
    for (const page of await documentationFiles()) {
      for (const line of await commandLines(page)) {
        const argv = words(line);
        const at = argv[0] === 'npx' ? 1 : 0;
        if (argv[at] === 'sluice') {
          const problem = commandProblem(program, argv.slice(at + 1));
          if (problem) problems.push(`${page}: ${line}: ${problem}`);
          checked++;
        } else if (argv[0] === 'npm' && argv[1] === 'run') {
          if (!scripts.includes(argv[2]!)) problems.push(`${page}: ${line}: no script "${argv[2]}" in package.json`);
          checked++;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('would notice a command or an option that does not exist', () => {
    const program = createProgram();
    expect(commandProblem(program, ['fork', 'resize', '--as', 'watermark'])).toBeUndefined();
    expect(commandProblem(program, ['run', '--put', 'uploads/images=x'])).toBeUndefined();
    expect(commandProblem(program, ['frok', 'resize'])).toBe('unknown command "frok"');
    expect(commandProblem(program, ['run', '--upload', 'x'])).toBe('run has no option --upload');
    expect(commandProblem(program, ['fork', 'resize'])).toBe('fork needs --as');
  });
});
