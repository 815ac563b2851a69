export { formatBytes, formatCount, formatCounts, formatDollars, formatMs } from '../../../contract/units.ts';

export const formatTime = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString('en-GB') : '');
