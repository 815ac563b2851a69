import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { builtInHandlers } from '../../shared/workbench/project/built-in-handlers.ts';
import { startEmbeddedDynamoDB } from '../../shared/workbench/embedded-dynamodb/server.ts';
import { startEmbeddedS3 } from '../../shared/workbench/embedded-s3/s3-server.ts';
import { loadProject } from '../../shared/workbench/project/load-project.ts';
import { corpus, repoRoot } from '../support/paths.ts';
import { listKeys, readObject } from '../support/s3-read.ts';
import { seededRandom } from '../support/seeded-random.ts';

/**
 * A workload for the shipped pipelines (thumbnails; orders-ingest → the orders table → revenue),
 * with images that resize, images that are quarantined, CSVs with bad rows and the table stream's
 * aggregation, and the state it leaves, normalized so that two runs can be compared.
 */

export const pipelinesDir = join(repoRoot, 'pipelines');
export const SALT = 'reliability-test-salt-3f9c1a';
export const env = { SLUICE_PII_SALT: SALT };

const IMAGES = [
  ...['harbour-dawn.jpg', 'café sign.png', 'forest-trail.webp', 'broken-upload.jpg'].map((name) => join(repoRoot, 'pipelines', 'samples', 'uploads', 'images', name)),
  corpus('images-jpeg-exif-orientation', 'Landscape_6.jpg'),
  corpus('pngsuite', 'png', 'basn6a08.png'),
  corpus('pngsuite', 'png', 'xcrn0g04.png'), // corrupt: quarantined
  corpus('pngsuite', 'png', 'xd0n2c08.png'), // corrupt: quarantined
];

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'];
const COLUMNS = 'order_id,customer_email,phone,amount,currency,created_at,country,note';

/** One order row, or a bad one (each kind of bad row sanitize rejects), as CSV. */
function orderRow(id: number, random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const day = `2026-11-${String(20 + Math.floor(random() * 5)).padStart(2, '0')}`;
  const row = {
    order_id: `ord-${id}`,
    customer_email: `customer${id}@example.com`,
    phone: `(415) 555-${String(1000 + (id % 9000)).padStart(4, '0')}`,
    amount: (Math.floor(random() * 50_000) / 100).toFixed(2),
    currency: pick(CURRENCIES),
    created_at: `${day}T${String(Math.floor(random() * 24)).padStart(2, '0')}:15:00Z`,
    country: pick(['US', 'DE', 'GB', 'FR']),
    note: random() < 0.2 ? `card 4111 1111 1111 1111, mail me at someone${id}@example.org` : '',
  };
  const fault = random();
  if (fault < 0.08) row.customer_email = 'not-an-email';
  else if (fault < 0.14) row.amount = '-5.00';
  else if (fault < 0.2) row.currency = 'XYZ';
  else if (fault < 0.25) row.created_at = 'yesterday';
  return Object.values(row).map((value) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',');
}

/** Writes the workload's CSVs (distinct order ids across files, a duplicate in each) under `dir`; returns the `--put` arguments of the whole workload. */
export async function writeWorkload(dir: string, seed: number, files = 4, rows = 40): Promise<string[]> {
  const random = seededRandom(seed);
  const orders = join(dir, 'orders');
  await mkdir(orders, { recursive: true });
  for (let file = 0; file < files; file++) {
    const lines = [COLUMNS];
    for (let row = 0; row < rows; row++) lines.push(orderRow(10_000 + file * 1000 + row, random));
    lines.push(lines[1]!); // a duplicate: dropped by dedupeBy
    await writeFile(join(orders, `batch-${file}.csv`), `${lines.join('\n')}\n`);
  }
  return [
    '--put', `uploads/orders=${orders}`,
    '--put', `uploads/orders=${join(repoRoot, 'pipelines', 'samples', 'uploads', 'orders', 'orders-2026-11-29.csv')}`,
    ...IMAGES.flatMap((file) => ['--put', `uploads/images=${file}`]),
  ];
}

/** Fields that say when, not what: left out of the comparison. */
const VOLATILE = new Set(['time']);

function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => !VOLATILE.has(key)).map(([key, inner]) => [key, withoutVolatile(inner)]));
  return value;
}

/**
 * Every object of every bucket (its key, content type and a hash of its content; the JSON records
 * beside quarantined and processed sources without their times, and without the error's wording) and
 * every item of every table (the aggregates without their `_sluice` bookkeeping, whose sequence
 * numbers depend on the order writes happened in).
 */
export async function captureState(dataDir: string): Promise<{ objects: Record<string, unknown>; tables: Record<string, unknown[]> }> {
  const { resources } = await loadProject(pipelinesDir, builtInHandlers);
  const s3 = await startEmbeddedS3({ dataDir });
  const objects: Record<string, unknown> = {};
  try {
    for (const bucket of Object.keys(resources.buckets).sort()) {
      for (const key of await listKeys(s3.client, bucket)) {
        const object = await readObject(s3.client, bucket, key);
        const json = key.endsWith('.json') ? (withoutVolatile(JSON.parse(object.body.toString('utf8'))) as Record<string, unknown>) : undefined;
        // libvips words the same corrupt image's error differently when images decode in parallel; the code says what happened.
        if (json && key.endsWith('.error.json')) delete (json.error as Record<string, unknown>).message;
        objects[`${bucket}/${key}`] = json ?? { contentType: object.contentType, sha256: createHash('sha256').update(object.body).digest('hex') };
      }
    }
  } finally {
    await s3.close();
  }
  const dynamodb = await startEmbeddedDynamoDB({ dataDir, tables: resources.tables });
  const tables: Record<string, unknown[]> = {};
  try {
    for (const table of Object.keys(resources.tables).sort()) {
      const items = (await dynamodb.client.send(new ScanCommand({ TableName: table }))).Items ?? [];
      tables[table] = items
        .map((item) => {
          const { _sluice: _bookkeeping, ...rest } = unmarshall(item, { wrapNumbers: true }) as Record<string, unknown>;
          return JSON.parse(JSON.stringify(rest, (_key, value: unknown) => (value && typeof value === 'object' && 'value' in value && Object.keys(value).length === 1 ? String((value as { value: string }).value) : value))) as Record<string, unknown>;
        })
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    }
  } finally {
    await dynamodb.close();
  }
  return { objects, tables };
}
