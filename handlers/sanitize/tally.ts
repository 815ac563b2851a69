import type { StepSummary } from '../../shared/contract/handler.ts';
import type { FindCounts } from './pii/scan.ts';
import { emptyCounts } from './pii/scan.ts';
import type { RejectionReason } from './rules/record-cleaner.ts';

/**
 * What sanitize did with the records of a source, for the summary beside it and the report:
 * counts only. `rowsIn = clean + rejected + deduplicated` always holds, since every record read is
 * counted in exactly one of the three. `rejectedByReason` counts each reason (`amount: below
 * minimum`): a row rejected for two reasons counts under both. Keys are column names and fixed
 * phrases, never values.
 */
export interface SanitizeSummary extends StepSummary {
  rowsIn: number;
  clean: number;
  rejected: number;
  deduplicated: number;
  rejectedByReason: Record<string, number>;
  /** Finds replaced by `[REDACTED]` in scanned columns, clean and quarantined rows alike. */
  redacted: FindCounts;
}

export const reasonKey = (reason: Pick<RejectionReason, 'field' | 'short'>) => `${reason.field ?? 'record'}: ${reason.short}`;

export class SanitizeTally {
  rowsIn = 0;
  clean = 0;
  rejected = 0;
  deduplicated = 0;
  private readonly byReason = new Map<string, number>();
  /** Counted into by the record cleaner as it scans. */
  readonly redacted = emptyCounts();

  reject(reasons: readonly RejectionReason[]): void {
    this.rejected++;
    for (const reason of reasons) {
      const key = reasonKey(reason);
      this.byReason.set(key, (this.byReason.get(key) ?? 0) + 1);
    }
  }

  summary(): SanitizeSummary {
    return {
      rowsIn: this.rowsIn,
      clean: this.clean,
      rejected: this.rejected,
      deduplicated: this.deduplicated,
      rejectedByReason: Object.fromEntries(this.byReason),
      redacted: { ...this.redacted },
    };
  }
}
