import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SluiceError } from '../../contract/errors.ts';

/**
 * Pipelines name buckets and tables by the names declared in resources.yml (`uploads`, `orders`).
 * On AWS, bucket names are global across every account, and one account holds several stages, so
 * the stack creates each under a prefixed name; the function is told the names it uses, and maps
 * them on its way to and from AWS: requests name the AWS bucket or table, events and answers come
 * back with the declared names, so the pipeline core, its quarantine keys and its messages are the
 * same as locally. Locally nothing is mapped.
 */
export interface ResourceNames {
  /** Declared name → name on AWS. */
  buckets: Record<string, string>;
  tables: Record<string, string>;
}

/** The environment variable through which a function learns the AWS names of what it uses. */
export const RESOURCE_NAMES_ENV = 'SLUICE_RESOURCE_NAMES';

export function resourceNamesFromEnv(env: NodeJS.ProcessEnv = process.env): ResourceNames | undefined {
  const text = env[RESOURCE_NAMES_ENV];
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SluiceError('DEPLOY_NAMES_INVALID', `${RESOURCE_NAMES_ENV} is not JSON: ${(error as Error).message}`, { permanent: true });
  }
  const { buckets, tables } = (parsed ?? {}) as Partial<ResourceNames>;
  return { buckets: { ...buckets }, tables: { ...tables } };
}

type Names = Record<string, string>;

const invert = (names: Names): Names => Object.fromEntries(Object.entries(names).map(([declared, aws]) => [aws, declared]));
const rename = (name: unknown, names: Names) => (typeof name === 'string' ? (names[name] ?? name) : name);
const renameKeys = (map: unknown, names: Names) =>
  map && typeof map === 'object' ? Object.fromEntries(Object.entries(map).map(([key, value]) => [names[key] ?? key, value])) : map;

/** Every S3 request's `Bucket` becomes the AWS name (GetObject, PutObject, multipart uploads, ListObjectsV2, ...). */
export function mapS3BucketNames(client: S3Client, names: ResourceNames): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Bucket?: unknown };
      if ('Bucket' in input) input.Bucket = rename(input.Bucket, names.buckets);
      return next(args);
    },
    { step: 'initialize', name: 'sluiceBucketNames' },
  );
}

/**
 * Every DynamoDB request's table (`TableName`, the keys of `RequestItems`, each transaction item)
 * becomes the AWS name, and the tables an answer is keyed by (`UnprocessedItems`, `Responses`)
 * the declared one again, so a partly written batch is still recognised as such.
 */
export function mapDynamoDBTableNames(client: DynamoDBClient, names: ResourceNames): void {
  const back = invert(names.tables);
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { TableName?: unknown; RequestItems?: unknown; TransactItems?: unknown };
      if ('TableName' in input) input.TableName = rename(input.TableName, names.tables);
      if ('RequestItems' in input) input.RequestItems = renameKeys(input.RequestItems, names.tables);
      if (Array.isArray(input.TransactItems)) {
        for (const item of input.TransactItems as Record<string, { TableName?: unknown }>[]) {
          for (const operation of Object.values(item)) if (operation && 'TableName' in operation) operation.TableName = rename(operation.TableName, names.tables);
        }
      }
      const result = await next(args);
      const output = result.output as { UnprocessedItems?: unknown; Responses?: unknown };
      if (output.UnprocessedItems) output.UnprocessedItems = renameKeys(output.UnprocessedItems, back);
      if (output.Responses && !Array.isArray(output.Responses)) output.Responses = renameKeys(output.Responses, back);
      return result;
    },
    { step: 'initialize', name: 'sluiceTableNames' },
  );
}

const STREAM_ARN_TABLE = /^(arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/)([^/]+)(\/stream\/.*)$/;

/**
 * The event as the pipeline expects it: an S3 notification names the declared bucket, a stream
 * record's `eventSourceARN` the declared table. A copy; other shapes are returned as they are.
 */
export function toDeclaredNames(event: unknown, names: ResourceNames): unknown {
  const records = (event as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) return event;
  const buckets = invert(names.buckets);
  const tables = invert(names.tables);
  return {
    ...(event as object),
    Records: records.map((record: unknown) => {
      if (!record || typeof record !== 'object') return record;
      const { s3, eventSourceARN } = record as { s3?: { bucket?: { name?: unknown; arn?: unknown } }; eventSourceARN?: unknown };
      if (s3?.bucket && typeof s3.bucket.name === 'string' && buckets[s3.bucket.name]) {
        const declared = buckets[s3.bucket.name]!;
        const arn = typeof s3.bucket.arn === 'string' ? s3.bucket.arn.replace(/[^:]*$/, declared) : s3.bucket.arn;
        return { ...record, s3: { ...s3, bucket: { ...s3.bucket, name: declared, arn } } };
      }
      if (typeof eventSourceARN === 'string') {
        const match = STREAM_ARN_TABLE.exec(eventSourceARN);
        const declared = match && tables[match[2]!];
        if (match && declared) return { ...record, eventSourceARN: `${match[1]}${declared}${match[3]}` };
      }
      return record;
    }),
  };
}
