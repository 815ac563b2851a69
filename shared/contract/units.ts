/**
 * How durations, sizes, counts and dollars read, in the terminal report and on the dashboard alike.
 * Plain functions with no Node or browser import: the dashboard's page bundles this file too.
 */

/** `820 ms`, `2.27 s` */
export const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

/** `512 B`, `36.9 KiB`, `1.2 MiB` */
export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

/** A step's counts: `rowsIn 14, clean 10, rejected 3 (amount: below minimum: 2, email: not an email: 1), deduplicated 1` */
export function formatCounts(counts: Record<string, number | Record<string, number>> | undefined): string {
  if (!counts) return '';
  return Object.entries(counts)
    .map(([name, value]) => {
      if (typeof value === 'number') return `${name} ${value}`;
      const parts = Object.entries(value)
        .sort(([, a], [, b]) => b - a)
        .map(([key, count]) => `${key}: ${count}`);
      return parts.length ? `${name} (${parts.join(', ')})` : '';
    })
    .filter(Boolean)
    .join(', ');
}

/** Fixed grouping, whatever the machine's locale: `400,000`, `1,234.50`. Read by people and by tests. */
export const formatCount = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Cents; hundredths of a cent for an amount under one cent, which cents would show as nothing. */
export function formatDollars(value: number): string {
  const amount = Math.abs(value) < 0.00005 ? 0 : value;
  return `${amount < 0 ? '-' : ''}$${formatCount(Math.abs(amount), Math.abs(amount) >= 0.01 || amount === 0 ? 2 : 4)}`;
}
