import type { DescribedIssue } from '../../contract/describe-issue.ts';
import { describeValue } from '../../contract/describe-issue.ts';

const LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Numbers in an item to write that the document client refuses (beyond ±2^53-1, or .inf/.nan):
 * YAML gives them as JS numbers, which cannot hold them exactly. Found here, they are a problem
 * at their position in the test file rather than an SDK error in the middle of a case.
 */
export function unwritableNumbers(value: unknown, path: PropertyKey[] = []): DescribedIssue[] {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && Math.abs(value) <= LIMIT) return [];
    return [{ path, atKey: false, message: `expected a finite number from -${LIMIT} to ${LIMIT} (beyond, JavaScript holds numbers inexactly, and they are not written), found ${describeValue(value)}` }];
  }
  if (Array.isArray(value)) return value.flatMap((inner, index) => unwritableNumbers(inner, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => unwritableNumbers(inner, [...path, key]));
  return [];
}
