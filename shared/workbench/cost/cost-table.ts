import { formatCount, formatDollars } from '../../contract/units.ts';
import type { LastRun } from '../local/last-run.ts';
import type { CostEstimate, PipelineCost } from './estimate.ts';
import type { Prices } from './prices.ts';

const gbSeconds = (value: number) => formatCount(value, value >= 100 || value === 0 ? 0 : 2);
/** What the free tier takes off: `-400,000`, or `0` when it takes nothing. */
const off = (text: string) => (/[1-9]/.test(text) ? `-${text}` : text);
/** `0.0000133334`: a price as published, without exponent or trailing zeros. */
const price = (value: number) => `$${value.toFixed(10).replace(/\.?0+$/, '')}`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd()).join('\n');
}

function perInvocation(cost: PipelineCost): string {
  const unit = cost.unit === 'objects' ? 'object' : 'record';
  const count = Number.isInteger(cost.eventsPerInvocation) ? String(cost.eventsPerInvocation) : cost.eventsPerInvocation.toFixed(1);
  return `${count} ${unit}${cost.eventsPerInvocation === 1 ? '' : 's'}`;
}

/**
 * The estimate as printed by `sluice cost`: one row per pipeline, the sum, the free tier taken off
 * once, the total; then the prices used and what the figures rest on.
 */
export function formatCostTable(estimate: CostEstimate, run: LastRun, prices: Prices): string {
  const rows = [['pipeline', 'events/month', 'per invocation', 'invocations', 'billed ms', 'memory', 'arch', 'GB-seconds', 'requests', 'duration', 'total']];
  for (const cost of estimate.pipelines) {
    rows.push([
      cost.pipeline,
      formatCount(cost.events),
      perInvocation(cost),
      formatCount(cost.invocations),
      formatCount(cost.billedMs, 1),
      `${cost.memorySize} MB`,
      cost.architecture,
      gbSeconds(cost.gbSeconds),
      formatDollars(cost.requestCost),
      formatDollars(cost.durationCost),
      formatDollars(cost.requestCost + cost.durationCost),
    ]);
  }
  const { total, freeTier } = estimate;
  rows.push(['all pipelines', '', '', formatCount(total.invocations), '', '', '', gbSeconds(total.gbSeconds), formatDollars(total.requestCost), formatDollars(total.durationCost), formatDollars(total.requestCost + total.durationCost)]);
  rows.push(['free tier', '', '', off(formatCount(freeTier.requests)), '', '', '', off(gbSeconds(freeTier.gbSeconds)), formatDollars(-freeTier.requestCost), formatDollars(-freeTier.durationCost), formatDollars(-(freeTier.requestCost + freeTier.durationCost))]);
  rows.push(['per month', '', '', '', '', '', '', '', '', '', formatDollars(estimate.cost)]);

  const earlier = estimate.pipelines.some((cost) => cost.measured.from);
  const lines = [
    `Estimated AWS Lambda cost per month, from the durations measured by \`sluice ${run.command}\` at ${run.finishedAt.replace(/\.\d+Z$/, 'Z')}${earlier ? ', and by earlier runs for the pipelines it did no work for (below)' : ''}`,
    table(rows),
  ];
  for (const note of [...estimate.notes, ...estimate.unpriced]) lines.push(`${note.pipeline}: ${note.message}`);
  lines.push(
    'events: objects for a bucket trigger, stream records for a table trigger, whose batches are taken as full as when measured (--events N, or PIPELINE=N, to change).',
    'billed ms: the mean duration of an invocation that did work (an object processed, a stream batch handled; those that skipped a version already processed, handled a removal or were quarantined are left out), each rounded up to the millisecond as Lambda bills it; GB-seconds: billed time x memory.',
    `free tier: ${formatCount(prices.freeTier.requests)} requests and ${formatCount(prices.freeTier.gbSeconds)} GB-seconds a month, once per account: taken off the sum of the pipelines, not off each.`,
    `prices (${prices.region}): ${price(prices.gbSecond.arm64)} per GB-second on arm64, ${price(prices.gbSecond.x86_64)} on x86_64, ${price(prices.requestsPerMillion)} per million requests; --prices FILE to change them.`,
    'Durations were measured on this machine: Lambda gives a function CPU in proportion to its memory (a whole vCPU at 1,769 MB), so they only approximate its own; cold starts, whose initialization is billed too, are left out.',
  );
  return lines.join('\n');
}
