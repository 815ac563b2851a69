import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NumberValueImpl as NumberValue, marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { WireAttributeValue, WireImage } from './schema.ts';
import { decimalProblem, formatDecimal, parseDecimal } from './dynamodb-number.ts';

/**
 * Between the marshalled attribute values of a stream record (JSON: numbers as text, binary as
 * base64) and the plain values steps work with, through @aws-sdk/util-dynamodb. What steps
 * receive for each type:
 * - S: string; BOOL: boolean; NULL: null; M: a plain object; L: an array;
 * - N: a JS number when the number survives the trip exactly (`String(Number(text))` gives the
 *   text back once both are in DynamoDB's plain decimal form: `123.45`, `-7`, `1E+3` as 1000),
 *   otherwise a `NumberValue` holding that exact decimal text (`.value`, `.toString()`,
 *   `.toBigInt()`): 20-digit integers, 38-digit decimals, tiny fractions such as 0.0000001;
 * - B: a Uint8Array; SS: Set<string>; NS: Set<number | NumberValue>; BS: Set<Uint8Array>.
 */

export { NumberValue };

/** A DynamoDB number as steps receive it. */
export function toNativeNumber(text: string): number | NumberValue {
  const parsed = parseDecimal(text);
  if (!parsed) return new NumberValue(text);
  const exact = formatDecimal(parsed);
  return String(Number(exact)) === exact ? Number(exact) : new NumberValue(exact);
}

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** The wire form (validated by the schema) to the SDK's form, which holds binary as bytes. */
function toSdk(value: WireAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: fromBase64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(fromBase64) };
  if (value.M !== undefined) return { M: toSdkImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toSdk) };
  return value as AttributeValue;
}

const toSdkImage = (image: WireImage): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toSdk(value)]));

/** Keys or an image of a stream record, as plain values (see above for what each type becomes). */
export function unmarshallImage(image: WireImage): Record<string, unknown> {
  return unmarshall(toSdkImage(image), { wrapNumbers: toNativeNumber });
}

function exactNumberText(text: string): string {
  const parsed = parseDecimal(text);
  if (!parsed) throw new Error(`${JSON.stringify(text)} is not a number`);
  const problem = decimalProblem(parsed);
  if (problem) throw new Error(`number ${text} is ${problem}`);
  return formatDecimal(parsed);
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** The SDK's form to the wire form, numbers written as DynamoDB writes them (`1e+21` as 1000000000000000000000). */
function toWire(value: AttributeValue): WireAttributeValue {
  if (value.B !== undefined) return { B: toBase64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(toBase64) };
  if (value.N !== undefined) return { N: exactNumberText(value.N) };
  if (value.NS !== undefined) return { NS: value.NS.map(exactNumberText) };
  if (value.M !== undefined) return { M: toWireImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toWire) };
  return value as WireAttributeValue;
}

const toWireImage = (image: Record<string, AttributeValue>): WireImage =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toWire(value)]));

function childrenOf(value: unknown, path: string): (readonly [string, unknown])[] {
  if (Array.isArray(value) || value instanceof Set) return [...value].map((item, index) => [`${path}[${index}]`, item] as const);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array || value instanceof NumberValue) return [];
  return Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item] as const);
}

/** Why DynamoDB could not hold this number (given as a JS number, a bigint or a NumberValue), if it could not. */
function numberProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `expected a finite number, found ${value}`;
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return `the number ${value} is past 2^53, where a JS number may have lost digits; give it as a NumberValue or a bigint`;
  } else if (typeof value !== 'bigint' && !(value instanceof NumberValue)) {
    return undefined;
  }
  const text = String(value);
  const parsed = parseDecimal(text);
  const problem = parsed ? decimalProblem(parsed) : 'not a decimal number';
  return problem && `expected a number DynamoDB can store, found ${text}: ${problem}`;
}

/** What DynamoDB cannot hold in a plain item, and where (`prices[2]`): checked here to say where. */
function unstorableIn(value: unknown, path = ''): string | undefined {
  const problem = numberProblem(value);
  if (problem) return `${path}: ${problem}`;
  if (value instanceof Set && value.size === 0) return `${path}: expected a set with at least one value, found an empty set: DynamoDB has no empty sets`;
  for (const [at, child] of childrenOf(value, path)) {
    const found = unstorableIn(child, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * Plain values to the marshalled form a stream record carries. Throws on what DynamoDB cannot
 * hold, saying where: an empty set, a JS number past 2^53 (which may already have lost digits:
 * give a NumberValue or a bigint), a number beyond 38 significant digits or DynamoDB's range; or
 * with util-dynamodb's reason (a function, a set of mixed types). `undefined` means absent, as for
 * DynamoDB's document client.
 */
export function marshallImage(item: Record<string, unknown>): WireImage {
  const unstorable = unstorableIn(item);
  if (unstorable) throw new Error(unstorable);
  return toWireImage(marshall(item, { removeUndefinedValues: true }));
}
