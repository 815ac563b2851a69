import type { LocalRuntime } from './local-runtime.ts';
import { formatItems, scanItems } from './table-items.ts';

/** Shown after a run: what the pipelines that write to tables have there now (the aggregates), a table each. */
export async function describeOutputTables(runtime: LocalRuntime, limit = 20): Promise<string> {
  const tables = [...new Set(runtime.pipelines.flatMap((pipeline) => ('table' in pipeline.to ? [pipeline.to.table] : [])))];
  const sections: string[] = [];
  for (const table of tables) {
    const items = await scanItems(runtime.dynamodb.client, table);
    const shown = formatItems(items, runtime.resources.tables[table], { limit });
    sections.push(`table ${table} (${items.length} item${items.length === 1 ? '' : 's'}${items.length > limit ? `, first ${limit} shown` : ''}):\n${shown}`);
  }
  return sections.join('\n\n');
}
