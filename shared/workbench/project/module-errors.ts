import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigIssue } from '../../contract/errors.ts';

/**
 * Where a user's module failed to load, as a problem at `file:line:column` in the user's own
 * code: a syntax error (tsx's esbuild transform names the place), an import of a file or an
 * export that does not exist, or an exception thrown while the module ran.
 */

function toPath(file: string): string {
  return file.startsWith('file://') ? fileURLToPath(file) : file;
}

/** Where `file` imports a path ending in `base`: the opening quote of the first such specifier, or 1:1. */
function findImport(file: string, base: string): { line: number; column: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { line: 1, column: 1 };
  }
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const specifier = new RegExp(`(['"])(?:[^'"]*/)?${escaped}\\1`);
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = specifier.exec(lines[index]!);
    if (match) return { line: index + 1, column: match.index + 1 };
  }
  return { line: 1, column: 1 };
}

/** `(file:line:column)` or `at file:line:column` frames of a stack, outermost last. */
function stackFrames(stack: string): { file: string; line: number; column: number }[] {
  const frames: { file: string; line: number; column: number }[] = [];
  for (const match of stack.matchAll(/^\s+at (?:.*? \()?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?$/gm)) {
    frames.push({ file: toPath(match[1]!), line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/**
 * `file` is the module Sluice imported; `inside` the folder whose files count as the user's (the
 * project root): a frame in node_modules or in Sluice's own `shared/` is not where to look.
 */
export function moduleLoadIssue(error: unknown, file: string, displayRoot: string, inside: (path: string) => boolean): ConfigIssue {
  const shown = (path: string) => relative(displayRoot, path) || path;
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as NodeJS.ErrnoException).code;

  // tsx: "Transform failed with 1 error:\n/path/file.ts:4:8: ERROR: Unexpected ","".
  const transform = /^((?:file:\/\/)?\/[^\n]*?):(\d+):(\d+): ERROR: (.*)$/m.exec(err.message);
  if (transform) {
    // esbuild counts columns from 0.
    return { file: shown(toPath(transform[1]!)), line: Number(transform[2]), column: Number(transform[3]) + 1, path: '', message: `syntax error: ${transform[4]}` };
  }

  // "Cannot find module '/abs/nope.ts' imported from /abs/index.ts"
  const missing = /Cannot find (?:module|package) '([^']+)' imported from (.+)$/m.exec(err.message);
  if (code === 'ERR_MODULE_NOT_FOUND' && missing) {
    const importer = toPath(missing[2]!.trim());
    const wanted = missing[1]!;
    const base = wanted.split('/').pop() ?? wanted;
    const target = wanted.startsWith('/') ? shown(wanted) : wanted;
    return { file: shown(importer), ...findImport(importer, base), path: '', message: `cannot import ${target}: no such file or package` };
  }

  // A missing named export: the stack starts with "/abs/file.ts:1", the source line and a caret.
  if (err instanceof SyntaxError && err.stack) {
    const head = /^((?:file:\/\/)?\/[^\n]+?):(\d+)\n(.*)\n( *)\^/.exec(err.stack);
    if (head) return { file: shown(toPath(head[1]!)), line: Number(head[2]), column: head[4]!.length + 1, path: '', message: err.message };
  }

  // An exception thrown while the module ran: the innermost frame in the user's files.
  const frame = stackFrames(err.stack ?? '').find((candidate) => inside(candidate.file));
  if (frame) return { file: shown(frame.file), line: frame.line, column: frame.column, path: '', message: `${err.name}: ${err.message} (thrown while loading ${shown(file)})` };
  return { file: shown(file), line: 1, column: 1, path: '', message: `cannot be loaded: ${err.name}: ${err.message}` };
}
