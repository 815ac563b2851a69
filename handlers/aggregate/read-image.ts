import type { RejectReason } from '../../shared/contract/handler.ts';
import type { Exact } from './exact-number.ts';
import { canonical, describeKind, isNumberLike, readNumber } from './exact-number.ts';
import type { AggregatePlan, GroupPart } from './plan.ts';
import { readTime, windowOf } from './time-window.ts';

/** What one version of a record brings to the aggregate: its group and its numbers. */
export interface ImageReading {
  /** The group's identity as one string: equal for equal groups (1.50 and 1.5 alike). */
  key: string;
  /** The group's output attributes; numbers as exact decimals. */
  group: Record<string, unknown>;
  numbers: Map<string, Exact>;
}

export type ImageResult = { ok: true; reading: ImageReading } | { ok: false; reasons: RejectReason[] };

const GROUP_VALUE = 'a string, number or boolean to group by';

type PartReading = { ok: true; value: unknown; identity: string } | { ok: false; expected: string };

function readGroupPart(value: unknown, part: GroupPart): PartReading {
  if (part.window) {
    const time = readTime(value);
    if (!time.ok) return time;
    const window = windowOf(time.ms, part.window);
    return window.ok ? { ok: true, value: window.value, identity: `s:${window.value}` } : window;
  }
  if (typeof value === 'string') {
    // An empty string cannot be a key in DynamoDB, and an empty group name helps nobody.
    return value === '' ? { ok: false, expected: `${GROUP_VALUE}, found an empty string` } : { ok: true, value, identity: `s:${value}` };
  }
  if (typeof value === 'boolean') return { ok: true, value, identity: `b:${String(value)}` };
  if (!isNumberLike(value)) return { ok: false, expected: `${GROUP_VALUE}, found ${describeKind(value)}` };
  const number = readNumber(value);
  return number.ok ? { ok: true, value: number.value, identity: `n:${canonical(number.value)}` } : number;
}

const missing = (part: GroupPart) =>
  part.window ? 'missing; expected an ISO-8601 date-time with a time zone, or epoch seconds or milliseconds' : `missing; expected ${GROUP_VALUE}`;

/**
 * Reads the group and numbers of one image (a table item as it was or is, or a row), or says what
 * is wrong with it: every bad field, each by name and what was expected, never by value.
 */
export function readImage(image: Record<string, unknown>, plan: AggregatePlan): ImageResult {
  const reasons: RejectReason[] = [];
  const group: Record<string, unknown> = {};
  const identity: string[] = [];
  for (const part of plan.groupBy) {
    const value = image[part.field];
    if (value === undefined) {
      reasons.push({ field: part.field, message: missing(part) });
      continue;
    }
    const read = readGroupPart(value, part);
    if (!read.ok) {
      reasons.push({ field: part.field, message: `expected ${read.expected}` });
      continue;
    }
    group[part.as] = read.value;
    identity.push(read.identity);
  }
  const numbers = new Map<string, Exact>();
  for (const field of plan.numericFields) {
    const value = image[field];
    if (value === undefined) {
      reasons.push({ field, message: 'missing; expected a number' });
      continue;
    }
    const read = readNumber(value);
    if (!read.ok) reasons.push({ field, message: `expected ${read.expected}` });
    else numbers.set(field, read.value);
  }
  if (reasons.length) return { ok: false, reasons };
  return { ok: true, reading: { key: JSON.stringify(identity), group, numbers } };
}
