/**
 * How JSON problems read in record problems and errors. None quotes the text it is about: an input
 * line may hold personal data, which must never reach a log, an error or the report.
 */

/** `an array`, `a string`, `null`: what a JSON value is, for "expected an object" messages. */
export function kindOfJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * What JSON.parse found wrong, from V8's message without the quoted input it may end with:
 * `unexpected token 'x'`, `unterminated string at column 8`.
 */
export function describeJsonSyntaxError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let what = message;
  // `Unexpected token 'x', "{"a": x}" is not valid JSON`, the quoted input shortened with `...` when long.
  if (/ is not valid JSON$/.test(message)) what = /^(Unexpected token '.+?'), /s.exec(message)?.[1] ?? 'not a JSON value';
  const position = / in JSON at position (\d+)/.exec(what);
  if (position) what = `${what.slice(0, position.index)} at column ${Number(position[1]) + 1}`;
  else if (what === 'Unexpected end of JSON input') what = 'it ends before the value does';
  return what.charAt(0).toLowerCase() + what.slice(1);
}
