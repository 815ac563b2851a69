import { formatBytes, formatCounts, formatMs } from '../../contract/units.ts';
import type { PipelineStats } from './run-stats.ts';


function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

/**
 * The report printed after `sluice run`: per pipeline, what came in (objects or stream records),
 * what was processed and written, what was quarantined or rejected, and time; then why each
 * quarantined item failed.
 */
export function formatReport(stats: readonly PipelineStats[], wallMs: number, stepNames: ReadonlyMap<string, readonly string[]>): string {
  const rows = [['pipeline', 'in', 'processed', 'outputs', 'written', 'quarantined', 'rejected', 'skipped', 'busy']];
  for (const s of stats) {
    rows.push([
      s.pipeline,
      `${s.itemsIn} ${s.unit}`,
      String(s.processed),
      String(s.outputs),
      s.writesTable ? '-' : formatBytes(s.outputBytes),
      String(s.quarantined + s.failedInvocations),
      String(s.rejected),
      String(s.skipped),
      formatMs(s.busyMs),
    ]);
  }
  const lines = [table(rows)];
  for (const s of stats) {
    const names = stepNames.get(s.pipeline) ?? [];
    if (s.itemsIn > 0 && names.length) {
      lines.push(`  ${s.pipeline} steps: ${names.map((name, index) => `${index + 1}. ${name} ${formatMs(s.stepMs[index] ?? 0)}`).join(', ')}`);
    }
    for (const [step, summary] of s.summaries) lines.push(`  ${s.pipeline} ${step}: ${formatCounts(summary)}`);
    if (s.deleted) lines.push(`  ${s.pipeline} deleted ${s.deleted} output(s) of removed sources`);
    if (s.retriedBatches) lines.push(`  ${s.pipeline}: ${s.retriedBatches} batch(es) delivered again after a failure`);
    for (const q of s.quarantineReasons) lines.push(`  quarantined ${q.key}: ${q.reason}`);
    for (const r of s.rejections) lines.push(s.unit === 'records' ? `  rejected a record, quarantined as ${r.key}: ${r.reason}` : `  rejected ${r.reason}, quarantined as ${r.key}`);
    if (s.failedInvocations) lines.push(`  ${s.failedInvocations} invocation(s) of ${s.pipeline} failed and could not be quarantined (see the log)`);
  }
  lines.push(`done in ${formatMs(wallMs)} (busy: the sum of invocation durations, what Lambda bills)`);
  return lines.join('\n');
}
