import type { Resources } from '../../engine/pipeline/resources.ts';
import type { StreamQuarantineFile } from './stream-quarantine.ts';
import { itemLabel, sameKey } from './table-keys.ts';
import type { ExpectedRejected } from './test-file-spec.ts';

type Rejected = Extract<StreamQuarantineFile, { kind: 'rejected' }>;

export interface RejectedCheck {
  expected: readonly ExpectedRejected[];
  /** What every table-triggered pipeline quarantined during the case. */
  files: readonly StreamQuarantineFile[];
  /** The pipeline under test: only its rejections can be expected. */
  pipeline: string;
  resources: Resources;
}

const reasonsText = (file: Rejected) => file.reasons.map((r) => (r.field ? `${r.field}: ${r.message}` : r.message)).join('; ') || 'no reason given';

const MAX_RECORDS_SHOWN = 3;

function matches(expected: ExpectedRejected, file: Rejected, resources: Resources): boolean {
  const declaration = resources.tables[expected.table];
  return !!declaration && file.table === expected.table && sameKey(expected.keys, file.keys, declaration);
}

const forField = (expected: ExpectedRejected, file: Rejected) => expected.field === undefined || file.reasons.some((reason) => reason.field === expected.field);

/**
 * How the stream quarantine differs from what the case expects, one message each. Each case
 * starts on an empty store, so a batch given up on, or a record rejected that the case does not
 * list, is a failure; so is a listed record that was not rejected (for the listed field).
 */
export function checkRejected(check: RejectedCheck): string[] {
  const problems: string[] = [];
  const label = (table: string, keys: Record<string, unknown>) => itemLabel(table, keys, check.resources.tables[table]);
  for (const file of check.files) {
    if (file.kind === 'failed') {
      const shown = file.records.slice(0, MAX_RECORDS_SHOWN).map((keys) => label(file.table, keys));
      const more = file.records.length > MAX_RECORDS_SHOWN ? `, and ${file.records.length - MAX_RECORDS_SHOWN} more` : '';
      const records = `${file.records.length} record${file.records.length === 1 ? '' : 's'}`;
      problems.push(`${file.where}: a batch of ${records} (${shown.join(', ')}${more}) quarantined by ${file.pipeline}, not expected (${file.error.code ?? 'no code'}: ${file.error.message ?? 'no message'})`);
      continue;
    }
    // A listed record rejected for another field is reported once, below, as the expectation it fails.
    const listed = file.pipeline === check.pipeline && check.expected.some((expected) => matches(expected, file, check.resources));
    if (!listed) problems.push(`${label(file.table, file.keys)}: rejected by ${file.pipeline}, not expected (${reasonsText(file)}; see ${file.where})`);
  }
  const ours = check.files.filter((file): file is Rejected => file.kind === 'rejected' && file.pipeline === check.pipeline);
  for (const expected of check.expected) {
    const found = ours.filter((file) => matches(expected, file, check.resources));
    const name = label(expected.table, expected.keys);
    if (!found.length) problems.push(`${name}: expected rejected by ${check.pipeline}${expected.field ? ` for ${expected.field}` : ''}, not rejected`);
    else if (!found.some((file) => forField(expected, file))) problems.push(`${name}: expected rejected for ${expected.field}, rejected for ${found.map(reasonsText).join(' / ')}`);
  }
  return problems;
}
