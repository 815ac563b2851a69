import type { Command } from 'commander';
import { createDynamoDBClient } from '../../../engine/aws/dynamodb-client.ts';
import { UsageError } from '../../../contract/errors.ts';
import { startEmbeddedDynamoDB } from '../../embedded-dynamodb/server.ts';
import { readRunningEndpoints } from '../../local/endpoints-file.ts';
import { EMBEDDED_CREDENTIALS, EMBEDDED_REGION } from '../../embedded-s3/s3-server.ts';
import { NumberValue } from '../../../../events/dynamodb/attribute-values.ts';
import { formatItems, isHiddenAttribute, scanItems } from '../../local/table-items.ts';
import { loadResources } from '../../../engine/pipeline/resources.ts';
import { DEFAULT_DATA_DIR, DEFAULT_PIPELINES_DIR, resolveDataDir } from '../options.ts';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

interface ScanOptions {
  data: string;
  pipelines: string;
  json?: boolean;
  all?: boolean;
}

/** Through the running `sluice dev`/`run` if there is one (it holds the store), else a private server on the same folder. */
async function withTables<T>(dataDir: string, use: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const running = readRunningEndpoints(dataDir);
  if (running) return use(createDynamoDBClient({ endpoint: running.dynamodb, region: EMBEDDED_REGION, credentials: EMBEDDED_CREDENTIALS }));
  const server = await startEmbeddedDynamoDB({ dataDir, tables: {} });
  try {
    return await use(server.client);
  } finally {
    await server.close();
  }
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .argument('<TABLE>', 'table name')
    .description('print the items of a table of the embedded store')
    .option('--json', 'one JSON object per line instead of a table')
    .option('--all', "include Sluice's own bookkeeping attributes (the aggregates' exactly-once ledger)")
    .option('--data <DIR>', 'where local buckets, tables and state are kept', DEFAULT_DATA_DIR)
    .option('--pipelines <DIR>', 'folder of pipeline definitions (for the key order of the table)', DEFAULT_PIPELINES_DIR)
    .action(async (table: string, options: ScanOptions) => {
      const dataDir = resolveDataDir(options);
      const items = await withTables(dataDir, async (client) => {
        const { TableNames = [] } = await client.send(new ListTablesCommand({}));
        if (!TableNames.includes(table)) throw new UsageError(`no table "${table}" in ${dataDir} (tables: ${TableNames.join(', ') || 'none yet; run `sluice run` first'})`);
        return scanItems(client, table);
      });
      if (options.json) {
        for (const item of items) {
          const shown = options.all ? item : Object.fromEntries(Object.entries(item).filter(([name]) => !isHiddenAttribute(name)));
          console.log(JSON.stringify(shown, (_, value: unknown) => (value instanceof Set ? [...value] : value instanceof NumberValue ? value.toString() : value)));
        }
        return;
      }
      const { resources } = await loadResources(options.pipelines);
      console.log(formatItems(items, resources?.tables[table], { all: Boolean(options.all) }));
    });
}
