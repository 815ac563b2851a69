export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

export const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

export const formatCount = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Cents; hundredths of a cent under one cent, as `sluice cost` prints them. */
export function formatDollars(value: number): string {
  const amount = Math.abs(value) < 0.00005 ? 0 : value;
  return `${amount < 0 ? '-' : ''}$${formatCount(Math.abs(amount), Math.abs(amount) >= 0.01 || amount === 0 ? 2 : 4)}`;
}

export const formatTime = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString('en-GB') : '');

/** `rowsIn 14, clean 10, rejected 3 (amount: 2, email: 1)` */
export function formatCounts(counts: Record<string, number | Record<string, number>> | undefined): string {
  if (!counts) return '';
  return Object.entries(counts)
    .map(([name, value]) => {
      if (typeof value === 'number') return `${name} ${value}`;
      const parts = Object.entries(value).sort(([, a], [, b]) => b - a).map(([key, count]) => `${key}: ${count}`);
      return parts.length ? `${name} (${parts.join(', ')})` : '';
    })
    .filter(Boolean)
    .join(', ');
}
