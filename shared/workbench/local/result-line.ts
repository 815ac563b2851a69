import { formatBytes, formatCount, formatMs } from '../../contract/units.ts';
import { countOutputs } from '../../engine/runtime/bucket-output.ts';
import type { OutputRef } from '../../engine/runtime/bucket-output.ts';
import type { StreamBatchResult } from '../../engine/runtime/handle-stream-event.ts';
import type { ObjectResult } from '../../engine/runtime/process-object.ts';

/**
 * One short line per invocation, as `sluice dev` logs them: what was written, rejected and
 * quarantined, and where. Its length does not grow with the data: items written to a table are a
 * count, and objects are named up to a few, then counted.
 */

/** Objects named in a line; the rest are counted. */
const NAMED_OBJECTS = 3;

/** `8 item(s) to table orders`, `3 object(s) (35.2 KiB): media/a/thumb.webp, media/a/medium.jpg, ...` */
export function describeOutputs(outputs: readonly OutputRef[]): string {
  const parts: string[] = [];
  const tables = new Map<string, number>();
  for (const output of outputs) if (output.table !== undefined) tables.set(output.table, (tables.get(output.table) ?? 0) + (output.items ?? 1));
  for (const [table, items] of tables) parts.push(`${formatCount(items)} item(s) to table ${table}`);
  const objects = outputs.filter((output) => output.table === undefined);
  if (objects.length) {
    const named = objects.slice(0, NAMED_OBJECTS).map((output) => `${output.bucket}/${output.key}`);
    if (objects.length > NAMED_OBJECTS) named.push(`and ${formatCount(objects.length - NAMED_OBJECTS)} more`);
    const bytes = objects.reduce((sum, output) => sum + output.size, 0);
    parts.push(`${formatCount(objects.length)} object(s) (${formatBytes(bytes)}): ${named.join(', ')}`);
  }
  return parts.join(', ');
}

function what(result: ObjectResult): string {
  switch (result.status) {
    case 'processed': {
      const parts = [result.outputs.length ? `wrote ${describeOutputs(result.outputs)}` : 'wrote nothing'];
      if (result.rejected) parts.push(`rejected ${formatCount(result.rejected)} record(s), quarantined as ${result.rejectedKey ?? '(unknown)'}`);
      return parts.join('; ');
    }
    case 'deleted': {
      const named = result.outputs.slice(0, NAMED_OBJECTS).map((output) => `${output.bucket}/${output.key}`);
      if (result.outputs.length > NAMED_OBJECTS) named.push(`and ${formatCount(result.outputs.length - NAMED_OBJECTS)} more`);
      return `source removed; deleted ${formatCount(result.outputs.length)} output(s)${named.length ? `: ${named.join(', ')}` : ''}`;
    }
    case 'quarantined':
      return `quarantined: ${result.error?.message ?? 'unknown reason'}`;
    case 'skipped':
      return `skipped: ${result.reason ?? ''}`;
  }
}

/** `[orders-ingest] uploads/orders/a.csv: wrote 8 item(s) to table orders; rejected 5 record(s), quarantined as quarantine/... (247 ms)` */
export function describeObjectResult(result: ObjectResult): string {
  return `[${result.pipeline}] ${result.source.bucket}/${result.source.key}: ${what(result)} (${formatMs(result.durationMs)})`;
}

/** `[revenue] orders stream: 8 record(s), 6 item(s) written to table revenue (93 ms)` */
export function describeBatchResult(result: StreamBatchResult): string {
  const written = countOutputs(result.outputs);
  const tables = [...new Set(result.outputs.flatMap((output) => (output.table !== undefined ? [output.table] : [])))];
  const parts = [`${formatCount(result.records)} record(s)`, `${formatCount(written)} item(s) written${tables.length ? ` to table ${tables.join(', ')}` : ''}`];
  if (result.rejected) parts.push(`${formatCount(result.rejected)} rejected, quarantined as ${result.rejections[0]?.key ?? '(unknown)'}${result.rejections.length > 1 ? ` and ${formatCount(result.rejections.length - 1)} more` : ''}`);
  if (result.batchItemFailures.length) parts.push(`${formatCount(result.batchItemFailures.length)} to retry`);
  if (result.quarantined) parts.push(`quarantined: ${result.quarantined.error.message}`);
  return `[${result.pipeline}] ${result.table} stream: ${parts.join(', ')} (${formatMs(result.durationMs)})`;
}
