import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.ts';

/**
 * The floor plan, checked from the code itself: shared/ in three wings that import one way
 * (contract ← engine ← workbench), the event model and the handlers on the contract alone, names
 * that say one thing each, and the corpus convention of the tests.
 */

const SOURCE_EXTENSIONS = /\.(ts|tsx|mts|mjs)$/;

/** Every file under `dir` (relative to the project, with `/`), but node_modules. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(join(repoRoot, at), { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = `${at}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

/** A handler's own tests and their helpers live in its `test/` folder. */
const isTestFile = (file: string) => file.startsWith('test/') || /^handlers\/[^/]+\/test\//.test(file) || /\.test\.ts$/.test(file);

const sources = ['shared', 'events', 'handlers'].flatMap(filesUnder).filter((file) => SOURCE_EXTENSIONS.test(file) && !isTestFile(file));

/** The project files a file imports (relative imports only: packages are not the project's). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(repoRoot, normalize(join(repoRoot, dirname(file), name))).split(sep).join('/'));
}

const wingOf = (file: string) => /^shared\/(contract|engine|workbench)\//.exec(file)?.[1] ?? file.split('/')[0];
const handlerOf = (file: string) => /^handlers\/([^/]+)\//.exec(file)?.[1];

/** What a file may import, by where it is: [allowed, the rule in words]. */
function rule(file: string): [(target: string) => boolean, string] {
  const wing = wingOf(file);
  if (wing === 'contract') return [(target) => target.startsWith('shared/contract/'), 'shared/contract imports only shared/contract'];
  if (wing === 'events') return [(target) => target.startsWith('shared/contract/') || target.startsWith('events/'), 'events/ imports only shared/contract and events/'];
  if (wing === 'handlers') {
    const own = `handlers/${handlerOf(file)}/`;
    return [(target) => target.startsWith('shared/contract/') || target.startsWith('events/') || target.startsWith(own), `${own} imports only shared/contract, events/ and its own folder`];
  }
  if (wing === 'engine') return [(target) => !target.startsWith('shared/workbench/'), 'shared/engine imports nothing of shared/workbench'];
  if (wing === 'workbench') return [() => true, ''];
  return [() => false, `${file} is in none of the wings of shared/ (contract, engine, workbench)`];
}

describe('the floor plan', () => {
  it('has source files in every wing', () => {
    for (const wing of ['shared/contract/', 'shared/engine/', 'shared/workbench/', 'events/', 'handlers/']) {
      expect(sources.filter((file) => file.startsWith(wing)).length, wing).toBeGreaterThan(3);
    }
    expect(sources.filter((file) => file.startsWith('shared/') && !/^shared\/(contract|engine|workbench)\//.test(file))).toEqual([]);
  });

  it('imports run one way: contract ← events ← handlers ← engine ← workbench', () => {
    const broken: string[] = [];
    for (const file of sources) {
      const [allowed, words] = rule(file);
      for (const target of importsOf(file)) if (!allowed(target)) broken.push(`${file} imports ${target}: ${words}`);
    }
    expect(broken).toEqual([]);
  });

  it('would notice an import against the rules', () => {
    const [contract] = rule('shared/contract/errors.ts');
    const [handler] = rule('handlers/resize/core.ts');
    const [engine] = rule('shared/engine/runtime/compile.ts');
    expect([contract('shared/engine/registry.ts'), handler('handlers/sanitize/spec.ts'), handler('shared/engine/registry.ts'), engine('shared/workbench/cli/main.ts')]).toEqual([false, false, false, false]);
    expect([handler('handlers/resize/spec.ts'), handler('events/dynamodb/dynamodb-number.ts'), engine('handlers/resize/index.ts')]).toEqual([true, true, true]);
  });

  it('names each folder of shared/ and events/ once (a handler folder keeps its own shape, as a fork copies it)', () => {
    const folders = new Map<string, string[]>();
    for (const file of sources.filter((source) => !source.startsWith('handlers/') || source.split('/').length === 3)) {
      const parts = file.split('/').slice(0, -1);
      parts.forEach((name, index) => {
        if (index === 0) return;
        const path = parts.slice(0, index + 1).join('/');
        const seen = folders.get(name) ?? [];
        if (!seen.includes(path)) folders.set(name, [...seen, path]);
      });
    }
    const twice = [...folders].filter(([, paths]) => paths.length > 1).map(([name, paths]) => `${name}: ${paths.join(', ')}`);
    expect(twice).toEqual([]);
  });

  it('exports each type name from one file of shared/ and events/, and no handler exports a type of the same name as they do', () => {
    const declared = new Map<string, string[]>();
    const pattern = /^export (?:declare )?(?:interface|type|class|enum) ([A-Za-z0-9_]+)/gm;
    for (const file of sources) {
      for (const match of readFileSync(join(repoRoot, file), 'utf8').matchAll(pattern)) declared.set(match[1]!, [...(declared.get(match[1]!) ?? []), file]);
    }
    const clashes = [...declared].filter(([, files]) => files.filter((file) => !file.startsWith('handlers/')).length > 1 || (files.length > 1 && files.some((file) => !file.startsWith('handlers/'))));
    expect(clashes.map(([name, files]) => `${name}: ${files.join(', ')}`)).toEqual([]);
  });
});

describe('the tests', () => {
  const tests = ['test', 'handlers'].flatMap(filesUnder).filter((file) => file.endsWith('.test.ts'));

  /** The project files a test reaches through its imports. */
  function reached(file: string): Set<string> {
    const seen = new Set<string>();
    const visit = (at: string) => {
      if (seen.has(at) || at.startsWith('node_modules/')) return;
      seen.add(at);
      let imports: string[] = [];
      try {
        imports = importsOf(at);
      } catch {
        return; // a file the test writes, or a package
      }
      for (const target of imports) if (target.startsWith('test/') || /^handlers\/[^/]+\/test\//.test(target)) visit(target);
    };
    visit(file);
    return seen;
  }

  const readsCorpora = (file: string) => /\bcorpus\(|\bcorporaDir\b|shared\/corpora/.test(readFileSync(join(repoRoot, file), 'utf8'));

  it('that read ../shared/corpora are named *.corpus.test.ts, so a clone without the corpora skips them', () => {
    const unnamed = tests.filter((file) => !file.endsWith('.corpus.test.ts') && file !== 'test/architecture/layout.test.ts' && [...reached(file)].some((at) => at !== 'test/support/paths.ts' && at !== 'test/support/temp-project.ts' && readsCorpora(at)));
    expect(unnamed).toEqual([]);
  });
});
