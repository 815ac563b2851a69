import type { DeliveredStreamRecord } from '../../../events/dynamodb/generate.ts';
import type { StreamLog } from './stream-log.ts';
import { ITERATOR_LIFETIME_MS, decodeShardIterator, encodeShardIterator } from './shard-iterator.ts';
import { isSequenceNumber } from '../../../events/dynamodb/sequence-number.ts';
import { dynamodbError, resourceNotFound, unknownOperation, validationError } from './service-error.ts';

type Input = Record<string, unknown>;

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

function checkLimit(input: Input, field: string, max: number): number | undefined {
  const limit = input.Limit;
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw validationError(`1 validation error detected: Value '${String(limit)}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${max} and greater than or equal to 1`);
  }
  return limit;
}

function required(input: Input, member: string, field: string): string {
  const value = input[member];
  if (typeof value !== 'string' || !value) throw validationError(`1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

/** The DynamoDB Streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords) over the tables' stream logs: one open shard per stream. */
export class StreamsApi {
  private readonly streams: ReadonlyMap<string, StreamLog>;
  private readonly now: () => number;

  constructor(streams: ReadonlyMap<string, StreamLog>, now: () => number = Date.now) {
    this.streams = streams;
    this.now = now;
  }

  /** The answer to one call; refusals are thrown as ServiceError. */
  handle(operation: string, input: Input): Record<string, unknown> {
    switch (operation) {
      case 'ListStreams':
        return this.listStreams(input);
      case 'DescribeStream':
        return this.describeStream(input);
      case 'GetShardIterator':
        return this.getShardIterator(input);
      case 'GetRecords':
        return this.getRecords(input);
      default:
        throw unknownOperation();
    }
  }

  private streamByArn(arn: string): StreamLog {
    for (const stream of this.streams.values()) if (stream.streamArn === arn) return stream;
    throw resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
  }

  private listStreams(input: Input): Record<string, unknown> {
    const limit = checkLimit(input, 'limit', 100) ?? 100;
    const all = [...this.streams.values()]
      .filter((stream) => input.TableName === undefined || stream.table === input.TableName)
      .sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0));
    const start = typeof input.ExclusiveStartStreamArn === 'string' ? all.findIndex((stream) => stream.streamArn === input.ExclusiveStartStreamArn) + 1 : 0;
    const page = all.slice(start, start + limit);
    return {
      Streams: page.map((stream) => ({ StreamArn: stream.streamArn, TableName: stream.table, StreamLabel: stream.streamLabel })),
      ...(start + limit < all.length ? { LastEvaluatedStreamArn: page.at(-1)!.streamArn } : {}),
    };
  }

  private describeStream(input: Input): Record<string, unknown> {
    const stream = this.streamByArn(required(input, 'StreamArn', 'streamArn'));
    checkLimit(input, 'limit', 100);
    // One shard, which never closes and has no children.
    const listed = input.ExclusiveStartShardId === undefined && input.ShardFilter === undefined;
    return {
      StreamDescription: {
        StreamArn: stream.streamArn,
        StreamLabel: stream.streamLabel,
        StreamStatus: 'ENABLED',
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAt / 1000,
        TableName: stream.table,
        KeySchema: stream.keySchema.map((attribute, index) => ({ AttributeName: attribute.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
        Shards: listed ? [{ ShardId: stream.shardId, SequenceNumberRange: { StartingSequenceNumber: stream.startSequence } }] : [],
      },
    };
  }

  private getShardIterator(input: Input): Record<string, unknown> {
    const stream = this.streamByArn(required(input, 'StreamArn', 'streamArn'));
    const shardId = required(input, 'ShardId', 'shardId');
    const type = required(input, 'ShardIteratorType', 'shardIteratorType');
    if (!ITERATOR_TYPES.includes(type)) {
      throw validationError(`1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`);
    }
    if (shardId !== stream.shardId) throw resourceNotFound(`Requested resource not found: Shard does not exist`);
    let after: string | undefined;
    if (type === 'LATEST') after = stream.latestSequenceNumber();
    if (type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER') {
      const sequence = input.SequenceNumber;
      if (!isSequenceNumber(sequence)) throw validationError(`Invalid SequenceNumber for ShardIteratorType ${type}: ${String(sequence)}`);
      after = type === 'AFTER_SEQUENCE_NUMBER' ? sequence : (BigInt(sequence) - 1n).toString();
    }
    return { ShardIterator: encodeShardIterator({ streamArn: stream.streamArn, shardId, after, issuedAt: this.now() }) };
  }

  private getRecords(input: Input): Record<string, unknown> {
    const position = decodeShardIterator(input.ShardIterator);
    if (!position) throw validationError('Invalid ShardIterator');
    const limit = checkLimit(input, 'limit', 1000) ?? 1000;
    const stream = this.streamByArn(position.streamArn);
    if (position.shardId !== stream.shardId) throw resourceNotFound('Requested resource not found: Shard does not exist');
    const now = this.now();
    if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
      throw dynamodbError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it's ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
      );
    }
    const records = stream.read(position.after, limit);
    const after = records.at(-1)?.dynamodb.SequenceNumber ?? position.after;
    return {
      // The API's records do not name their stream: only Lambda's events carry eventSourceARN.
      Records: records.map(({ eventSourceARN: _arn, ...record }: DeliveredStreamRecord) => record),
      NextShardIterator: encodeShardIterator({ ...position, after, issuedAt: now }),
    };
  }
}
