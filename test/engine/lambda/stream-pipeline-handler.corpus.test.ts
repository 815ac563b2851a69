import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineLambda } from '../../../shared/engine/lambda/pipeline-handler.ts';
import { createSilentLogger } from '../../../shared/contract/logger.ts';
import type { EmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import { startEmbeddedDynamoDB } from '../../../shared/workbench/embedded-dynamodb/server.ts';
import type { EmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { startEmbeddedS3 } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import { scanItems } from '../../../shared/workbench/local/table-items.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { corpus } from '../../support/paths.ts';
import { listKeys, readObject } from '../../support/s3-read.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

const context = { awsRequestId: 'test-request' } as Context;

const definition = `name: messages
on: { table: events, startingPosition: TRIM_HORIZON }
steps:
  - aggregate:
      groupBy: [Message]
      metrics: [{ op: count, as: seen }]
to: { table: message-counts }
onError: { quarantine: { bucket: quarantine } }
`;

describe('the Lambda entry of a table-triggered pipeline', () => {
  let dir: string;
  let s3: EmbeddedS3;
  let dynamodb: EmbeddedDynamoDB;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-stream-lambda-'));
    s3 = await startEmbeddedS3({ dataDir: dir, buckets: ['quarantine'] });
    dynamodb = await startEmbeddedDynamoDB({ dataDir: dir, tables: { 'message-counts': { partitionKey: { name: 'Message', type: 'S' } } } });
  });
  afterAll(async () => {
    await dynamodb?.close();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('aggregates a real DynamoDB stream event, quarantines the record it cannot use, and counts a redelivery once', async () => {
    const parsed = parsePipeline(definition, 'messages.yml', builtInHandlers);
    expect(parsed.issues).toEqual([]);
    const handler = createPipelineLambda(parsed.pipeline!, { s3: s3.client, dynamodb: dynamodb.client, logger: createSilentLogger() });
    // Powertools' sample: one INSERT with a Message, one without.
    const event = JSON.parse(await readFile(corpus('aws-lambda-events', 'powertools-lambda-typescript', 'examples', 'sampleDynamoDBStreamsEvent.json'), 'utf8'));

    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });

    const counts = await scanItems(dynamodb.client, 'message-counts');
    expect(counts.map(({ Message, seen }) => ({ Message, seen }))).toEqual([{ Message: 'failure', seen: 1 }]);
    const quarantined = await listKeys(s3.client, 'quarantine');
    expect(quarantined).toEqual(['messages/events/8640712661-8640712661.rejected.json']);
    const report = JSON.parse((await readObject(s3.client, 'quarantine', quarantined[0]!)).body.toString('utf8'));
    expect(report).toMatchObject({ pipeline: 'messages', table: 'events', step: 'aggregate', reasons: [{ field: 'Message' }], streamRecord: { eventID: '1', dynamodb: { SequenceNumber: '8640712661' } } });
  });

  it('answers a malformed event with the batch quarantined and its reason, not an endless retry', async () => {
    const parsed = parsePipeline(definition, 'messages.yml', builtInHandlers);
    const handler = createPipelineLambda(parsed.pipeline!, { s3: s3.client, dynamodb: dynamodb.client, logger: createSilentLogger() });
    const event = JSON.parse(await readFile(corpus('aws-lambda-events', 'powertools-lambda-typescript', 'examples', 'sampleDynamoDBStreamsEvent.json'), 'utf8'));
    event.Records[1].eventName = 'UPSERT';
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    const failed = (await listKeys(s3.client, 'quarantine')).filter((key) => key.endsWith('.failed.json'));
    expect(failed).toHaveLength(1);
    const report = JSON.parse((await readObject(s3.client, 'quarantine', failed[0]!)).body.toString('utf8'));
    expect(report.error).toMatchObject({ code: 'EVENT_INVALID', message: expect.stringContaining('eventName') });
    expect(report.records.length).toBeGreaterThan(0);
  });
});
