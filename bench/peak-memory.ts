import { readFile } from 'node:fs/promises';

/**
 * This process's peak resident set size, in KiB. On Linux from /proc (VmHWM): getrusage's maxRSS
 * carries over the parent's peak across fork and exec, and a bench process is far larger than the
 * child it measures in.
 */
export async function peakRssKiB(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) : process.resourceUsage().maxRSS;
}
