import { JSONParser, TokenType } from '@streamparser/json';
import type { ParsedElementInfo, ParsedTokenInfo } from '@streamparser/json';
import { InputError } from '../../../shared/contract/errors.ts';
import type { DecodedText } from './decode-text.ts';
import { kindOfJson } from './json-messages.ts';
import { LineFinder } from './line-finder.ts';
import type { SourceRecord } from './source-record.ts';

/** How a token reads in "unexpected ..." messages: its kind, never its value. */
const TOKEN_NAMES: Readonly<Record<string, string>> = {
  LEFT_BRACE: "'{'",
  RIGHT_BRACE: "'}'",
  LEFT_BRACKET: "'['",
  RIGHT_BRACKET: "']'",
  COLON: "':'",
  COMMA: "','",
  TRUE: 'true',
  FALSE: 'false',
  NULL: 'null',
  STRING: 'a string',
  NUMBER: 'a number',
  SEPARATOR: 'a separator',
};

const FIRST_TOKEN_KINDS: Readonly<Record<string, string>> = {
  LEFT_BRACE: 'an object',
  STRING: 'a string',
  NUMBER: 'a number',
  TRUE: 'a boolean',
  FALSE: 'a boolean',
  NULL: 'null',
};

/**
 * What @streamparser/json found wrong, and where (a byte offset in the text). Its messages are
 * rewritten because the token parser's quote the token's value, which may be personal data.
 */
function describeParserError(error: Error, lastTokenOffset: number, textEnd: number): { what: string; offset: number } {
  const { message } = error;
  if (/ended in (the )?mid/.test(message)) return { what: 'the document ends before its array does (is it truncated?)', offset: textEnd };
  const character = /^Unexpected "(.+)" at chunk position "\d+" \(absolute position "(\d+)"\)/s.exec(message);
  if (character) return { what: `unexpected character ${JSON.stringify(character[1])}`, offset: Number(character[2]) };
  const token = /^Unexpected (?:partial )?([A-Z_]+) /.exec(message);
  if (token) return { what: `unexpected ${TOKEN_NAMES[token[1]!] ?? 'token'}`, offset: lastTokenOffset };
  return { what: 'not valid JSON', offset: lastTokenOffset };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The records of a JSON document that is one array of objects, streamed with @streamparser/json:
 * each element is built, handed on and forgotten (`keepStack: false`), so memory holds one
 * element at a time. An element that is not an object is a record with the reason; a document
 * that is not JSON, or not an array, is an InputError naming the line and byte, after the records
 * before it.
 */
export async function* readJsonArray(text: DecodedText, maxRecordBytes: number): AsyncGenerator<SourceRecord> {
  const { faults } = text;
  const lines = new LineFinder();
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const ready: SourceRecord[] = [];
  /** The last element read, until the `,` or `]` after it says where it ends (for encoding faults). */
  let last: { record: SourceRecord; end: number } | undefined;
  let depth = 0;
  let tokens = 0;
  let elements = 0;
  let lastTokenOffset = 0;
  let elementStart = 0;
  let written = 0;
  let failure: Error | undefined;

  /** The element after `elementStart` is too long to keep: the rest of the document is refused. */
  const tooLarge = () =>
    new InputError('RECORD_TOO_LARGE', `element ${elements + (last ? 0 : 1)}, from ${lines.describe(elementStart)}, is longer than ${maxRecordBytes} bytes (maxRecordBytes)`);

  const settle = (end: number) => {
    if (last === undefined) return;
    const fault = faults.pending ? faults.takeBefore(end) : undefined;
    if (fault !== undefined) last.record.problems.push(fault);
    ready.push(last.record);
    last = undefined;
  };

  parser.onToken = ({ token, offset }: ParsedTokenInfo) => {
    lastTokenOffset = offset;
    if (tokens++ === 0 && token !== TokenType.LEFT_BRACKET) {
      const kind = FIRST_TOKEN_KINDS[TokenType[token]] ?? 'something else';
      const hint = token === TokenType.LEFT_BRACE ? '; for one object per line, set format: ndjson' : '';
      throw new InputError('JSON_NOT_ARRAY', `expected a JSON array of objects, found ${kind} at ${lines.describe(offset)}${hint}`);
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    if ((depth === 1 && token === TokenType.COMMA) || (depth === 0 && token === TokenType.RIGHT_BRACKET)) {
      if (offset - elementStart > maxRecordBytes) {
        const error = tooLarge();
        last = undefined;
        throw error;
      }
      settle(offset);
      elementStart = offset;
    }
  };
  parser.onValue = ({ value }: ParsedElementInfo) => {
    const row = ++elements;
    const record: SourceRecord = isObject(value)
      ? { row, values: value, problems: [] }
      : { row, values: {}, problems: [`element ${row} is ${kindOfJson(value)}, not a JSON object`] };
    last = { record, end: lastTokenOffset + 1 };
  };
  parser.onError = (error: Error) => {
    failure ??= error;
  };

  const failed = (): InputError => {
    // The last element was read whole before the document broke: it is a record like the others.
    if (last) settle(last.end);
    if (failure instanceof InputError) return failure;
    // No `cause`: the parser's own message may quote a value from the document.
    const { what, offset } = describeParserError(failure!, lastTokenOffset, written);
    return new InputError('JSON_MALFORMED', `invalid JSON at ${lines.describe(offset)}: ${what}`);
  };

  for await (const chunk of text.chunks) {
    lines.add(chunk);
    // Also after the array has closed: anything but white space after it is an error.
    parser.write(chunk);
    written += chunk.length;
    // Not only once the element ends: an element that never does must not fill the memory first.
    if (failure === undefined && tokens > 0 && !parser.isEnded && written - elementStart > maxRecordBytes) failure = tooLarge();
    if (failure !== undefined) break;
    yield* ready.splice(0);
  }
  if (failure === undefined && tokens > 0 && !parser.isEnded) parser.end();
  if (failure !== undefined) {
    const error = failed();
    yield* ready.splice(0);
    throw error;
  }
  yield* ready.splice(0);
}
