import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigIssue } from '../errors.ts';
import type { DescribedIssue } from './describe-issue.ts';
import { formatPath } from './describe-issue.ts';

/**
 * A YAML document that remembers where every value came from, so that a problem found in the
 * parsed data can be reported as `file:line:column`.
 */
export class YamlSource {
  readonly file: string;
  readonly document: Document;
  private readonly lines = new LineCounter();

  constructor(text: string, file: string) {
    this.file = file;
    this.document = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
  }

  /**
   * Syntax errors and duplicate keys, each with its position. The parser often reports follow-on
   * errors at the very spot of the first one; only the first per position is kept.
   */
  syntaxIssues(): ConfigIssue[] {
    const seen = new Set<string>();
    const issues: ConfigIssue[] = [];
    for (const error of this.document.errors) {
      const { line, col } = this.lines.linePos(error.pos[0]);
      if (seen.has(`${line}:${col}`)) continue;
      seen.add(`${line}:${col}`);
      const message = error.message.split('\n')[0] ?? error.message;
      issues.push({ file: this.file, line, column: col, path: '', message: `invalid YAML: ${message.replace(/ at line \d+, column \d+:?$/, '')}` });
    }
    return issues;
  }

  toJS(): unknown {
    return this.document.toJS();
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
