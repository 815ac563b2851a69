import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigIssue } from '../../contract/errors.ts';
import type { DescribedIssue } from '../../contract/describe-issue.ts';
import { formatPath } from '../../contract/describe-issue.ts';

/** A configuration file larger than this is refused before it is parsed: no pipeline needs more, and parsing 10 MB takes seconds and gigabytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Aliases a document may expand (the yaml library's default): more is an alias bomb ("billion laughs"). */
const MAX_ALIAS_COUNT = 100;
/** Longest syntax message kept: the parser quotes the offending text, which in a binary file is a screenful. */
const MAX_MESSAGE_LENGTH = 160;

const megabytes = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
const shorten = (message: string) => (message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message);

/**
 * A YAML document that remembers where every value came from, so that a problem found in the
 * parsed data can be reported as `file:line:column`. Hostile files get one clear problem, never a
 * stack trace: too large, not UTF-8 text, nested too deeply, or an alias bomb.
 */
export class YamlSource {
  readonly file: string;
  readonly document: Document;
  private readonly lines = new LineCounter();
  /** A problem with the file as a whole, found before or instead of the parser's own. */
  private readonly refusal?: ConfigIssue;
  private data: unknown;

  constructor(text: string, file: string) {
    this.file = file;
    const bytes = Buffer.byteLength(text);
    const binary = text.search(/[\0\uFFFD]/);
    if (bytes > MAX_CONFIG_BYTES) {
      this.refusal = { file, line: 1, column: 1, path: '', message: `the file is ${megabytes(bytes)}; a configuration file may be at most ${megabytes(MAX_CONFIG_BYTES)}` };
      text = '';
    } else if (binary !== -1) {
      const before = text.slice(0, binary).split('\n');
      this.refusal = { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1, path: '', message: `not UTF-8 text: ${text[binary] === '\0' ? 'a NUL character' : 'bytes that are not UTF-8'} (a binary file?)` };
      text = '';
    }
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /**
   * Syntax errors and duplicate keys, each with its position. The parser often reports follow-on
   * errors at the very spot of the first one; only the first per position is kept.
   */
  syntaxIssues(): ConfigIssue[] {
    if (this.refusal) return [this.refusal];
    const seen = new Set<string>();
    const issues: ConfigIssue[] = [];
    for (const error of this.document.errors) {
      const { line, col } = this.lines.linePos(error.pos[0]);
      if (seen.has(`${line}:${col}`)) continue;
      seen.add(`${line}:${col}`);
      const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '').replace(/^Maximum call stack size exceeded$/, 'nested too deeply');
      issues.push({ file: this.file, line, column: col, path: '', message: `invalid YAML: ${shorten(message)}` });
    }
    if (issues.length) return issues;
    try {
      this.data = this.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const { line, col } = this.lines.linePos(this.firstAliasOffset());
      const bomb = /alias/i.test((error as Error).message);
      return [{ file: this.file, line, column: col, path: '', message: bomb ? `invalid YAML: its aliases expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb?)` : 'invalid YAML: nested too deeply' }];
    }
    return [];
  }

  private firstAliasOffset(): number {
    let offset = 0;
    visit(this.document, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return offset;
  }

  /** The document's data; call after `syntaxIssues()` found none. */
  toJS(): unknown {
    if (this.data === undefined && !this.refusal) this.data = this.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return this.data;
  }

  /** Position of the value at `path` (or of its key), or of the nearest ancestor that exists. */
  positionOf(path: readonly PropertyKey[], atKey = false): { line: number; column: number } {
    let node: unknown = this.document.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const target = last && atKey ? pair.key : (pair.value ?? pair.key);
        offset = (target as Node | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        node = node.items[segment];
        offset = (node as Node | null)?.range?.[0] ?? offset;
      } else {
        break;
      }
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * The position of every value written in the document, by field path (`steps[0].resize.width`,
   * as `formatPath` writes it): for checks made once the document is gone, which must point at a
   * field and tell whether it was written at all or left to its default.
   */
  writtenPositions(): Record<string, { line: number; column: number }> {
    const out: Record<string, { line: number; column: number }> = {};
    const at = (node: Node | null | undefined) => {
      const { line, col } = this.lines.linePos(node?.range?.[0] ?? 0);
      return { line, column: col };
    };
    const walk = (node: unknown, path: PropertyKey[]) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const child = [...path, String(pair.key.value)];
          out[formatPath(child)] = at((pair.value ?? pair.key) as Node);
          walk(pair.value, child);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          out[formatPath([...path, index])] = at(item as Node);
          walk(item, [...path, index]);
        });
      }
    };
    walk(this.document.contents, []);
    return out;
  }

  /** Places described issues in the file. `prefix` is the path of the validated part inside the document. */
  locate(issues: readonly DescribedIssue[], prefix: readonly PropertyKey[] = []): ConfigIssue[] {
    return issues.map((issue) => {
      const fullPath = [...prefix, ...issue.path];
      return { file: this.file, ...this.positionOf(fullPath, issue.atKey), path: formatPath(fullPath), message: issue.message };
    });
  }
}
