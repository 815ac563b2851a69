import { describe, expect, it } from 'vitest';
import type { S3ObjectEvent } from '../../../events/s3/normalize.ts';
import { EventError } from '../../../shared/contract/errors.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { listCorpusFiles, loadCorpusEvent, readCorpusJson } from './corpus.ts';
import { deliveries } from './deliveries.ts';

/**
 * Every S3-related file of the corpus has an entry below: what it normalizes to, or why it is
 * rejected. A file added to the corpus without an entry fails the first test, so nothing is
 * skipped silently.
 */

type Expected = Pick<S3ObjectEvent, 'bucket' | 'key' | 'eventName' | 'kind'> & Partial<Pick<S3ObjectEvent, 'size' | 'eTag'>>;
type Expectation =
  | { events: Expected[] }
  | { rejected: string }
  | { coveredBy: string };

const MD5_EMPTY = 'd41d8cd98f00b204e9800998ecf8427e';
const SAMPLE_ETAG = '0123456789abcdef0123456789abcdef';
const put = (bucket: string, key: string, size: number, eTag: string): Expected => ({
  bucket, key, size, eTag, eventName: 'ObjectCreated:Put', kind: 'created',
});
const happyFace = put('sourcebucket', 'Happy Face.jpg', 1024, MD5_EMPTY);
const artifacts = 'lambda-artifacts-deafc19498e3f2df';
const artifactKey = 'b21b84d653bb07b05b1e6b33684dc11b';
const img = { bucket: 'example-bucket', key: 'IMG_m7fzo3.jpg' };
const imgObject = { size: 184662, eTag: '4e68adba0abe2dc8653dc3354e14c01d' };
const batchJob = 'this is an S3 Batch Operations job invocation';
const objectLambda = 'this is an S3 Object Lambda request (getObjectContext: a Lambda function transforming an object for a reader), not an S3 event notification';
const snapshots = { coveredBy: 'localstack-snapshots.test.ts' };
const vectorKeys = (readCorpusJson('synthesized-key-encoding/s3-key-encoding-vectors.json') as { vectors: { decodedKey: string }[] })
  .vectors.map((v) => v.decodedKey);

const expectations: Record<string, Expectation> = {
  'aws-lambda-go/s3-batch-job-event-request-1.0.json': {
    rejected: `${batchJob} (invocationSchemaVersion "1.0", job f3cc4f60-61f6-4a2b-8a21-d07600c373ce, 1 task), not an S3 event notification`,
  },
  'aws-lambda-go/s3-batch-job-event-request-2.0.json': {
    rejected: `${batchJob} (invocationSchemaVersion "2.0", job f3cc4f60-61f6-4a2b-8a21-d07600c373ce, 1 task), not an S3 event notification`,
  },
  'aws-lambda-go/s3-batch-job-event-response.json': {
    rejected: 'this is an S3 Batch Operations result (the response a Lambda function returns to a batch job: invocationSchemaVersion "1.0", 1 result), not an S3 event notification',
  },
  'aws-lambda-go/s3-event-with-decoded.json': { events: [happyFace] },
  'aws-lambda-go/s3-event.json': { events: [happyFace] },
  'aws-lambda-go/s3-glacier-event.json': {
    events: [{ bucket: 'example-bucket', key: 'glacier-test.txt', size: 1024, eTag: SAMPLE_ETAG, eventName: 'ObjectRestore:Completed', kind: 'restored' }],
  },
  'aws-lambda-go/s3-intelligenttier-event.json': {
    events: [{ bucket: 'example-bucket', key: 'intelligent-tier-test.dat', size: 5242880, eTag: MD5_EMPTY, eventName: 'IntelligentTiering:TransitionAccess', kind: 'other' }],
  },
  'aws-lambda-go/s3-lifecycle-event.json': {
    events: [{ bucket: 'example-bucket', key: 'lifecycle-test.dat', size: 10485760, eTag: 'abcd1234ef5678901234567890abcdef', eventName: 'LifecycleTransition', kind: 'other' }],
  },
  'aws-lambda-go/s3-replication-event.json': {
    events: [{ bucket: 'amzn-s3-demo-bucket1', key: 'replication-test.png', size: 520080, eTag: 'e12345ca7e88a38428305d3ff7fcb99f', eventName: 'Replication:OperationFailedReplication', kind: 'other' }],
  },
  'aws-lambda-go/s3-restore-event.json': {
    events: [{ bucket: 'example-bucket', key: 'glacier-test.txt', size: 1024, eTag: SAMPLE_ETAG, eventName: 'ObjectRestore:Completed', kind: 'restored' }],
  },
  'aws-lambda-java-libs/s3_batch_event.json': {
    rejected: `${batchJob} (invocationSchemaVersion "1.0", job f3cc4f60-61f6-4a2b-8a21-d07600c373ce, 1 task), not an S3 event notification`,
  },
  'aws-lambda-java-libs/s3_batch_event_v2.json': {
    rejected: `${batchJob} (invocationSchemaVersion "2.0", job ry77cd60-61f6-4a2b-8a21-d07600c874gf, 1 task), not an S3 event notification`,
  },
  'aws-lambda-java-libs/s3_event.json': { events: [put('example-bucket', 'test/key', 1024, SAMPLE_ETAG)] },
  'aws-s3-userguide-doc-examples/s3-objectcreated-put-example.json': { events: [put('mybucket', 'HappyFace.jpg', 1024, MD5_EMPTY)] },
  'aws-s3-userguide-doc-examples/s3-test-event.json': { events: [] },
  'aws-sam-cli/templates/S3BatchInvocation.json': {
    rejected: `${batchJob} (invocationSchemaVersion "1.0", job f3cc4f60-61f6-4a2b-8a21-d07600c373ce, 1 task), not an S3 event notification`,
  },
  'aws-sam-cli/templates/S3Delete.json': {
    events: [{ bucket: 'example-bucket', key: 'test/key', eventName: 'ObjectRemoved:Delete', kind: 'removed' }],
  },
  'aws-sam-cli/templates/S3Put.json': { events: [put('example-bucket', 'test/key', 1024, SAMPLE_ETAG)] },
  'localstack-recorded-snapshots/test_s3_notifications_eventbridge.snapshot.json': snapshots,
  'localstack-recorded-snapshots/test_s3_notifications_lambda.snapshot.json': snapshots,
  'localstack-recorded-snapshots/test_s3_notifications_sns.snapshot.json': snapshots,
  'localstack-recorded-snapshots/test_s3_notifications_sqs.snapshot.json': snapshots,
  'powertools-lambda-typescript/commons-samples-legacy/s3-delete.json': {
    events: [{ bucket: 'example-bucket', key: 'test/key', eventName: 'ObjectRemoved:Delete', kind: 'removed' }],
  },
  'powertools-lambda-typescript/commons-samples-legacy/s3-put.json': { events: [put('example-bucket', 'test/key', 1024, SAMPLE_ETAG)] },
  'powertools-lambda-typescript/parser-tests-events/s3/base.json': { events: [put(artifacts, artifactKey, 1305107, artifactKey)] },
  'powertools-lambda-typescript/parser-tests-events/s3/decoded-key.json': { events: [happyFace] },
  'powertools-lambda-typescript/parser-tests-events/s3/delete-object.json': {
    events: [{ bucket: artifacts, key: artifactKey, eventName: 'ObjectRemoved:Delete', kind: 'removed' }],
  },
  'powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-created.json': {
    events: [{ ...img, ...imgObject, eventName: 'ObjectCreated:Put', kind: 'created' }],
  },
  'powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-deleted.json': {
    events: [{ ...img, eventName: 'ObjectRemoved:DeleteMarkerCreated', kind: 'removed' }],
  },
  'powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-expired.json': {
    events: [{ ...img, ...imgObject, eventName: 'LifecycleExpiration:DeleteMarkerCreated', kind: 'removed' }],
  },
  'powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-restored.json': {
    events: [{ ...img, ...imgObject, eventName: 'ObjectRestore:Completed', kind: 'restored' }],
  },
  'powertools-lambda-typescript/parser-tests-events/s3/glacier.json': { events: [put(artifacts, artifactKey, 1305107, artifactKey)] },
  'powertools-lambda-typescript/parser-tests-events/s3/object-iam-user.json': { rejected: objectLambda },
  'powertools-lambda-typescript/parser-tests-events/s3/object-temp-credentials.json': { rejected: objectLambda },
  'powertools-lambda-typescript/parser-tests-events/s3/s3-lifecycle-event.json': {
    events: [{ bucket: 'amzn-s3-demo-bucket', key: 'expiration/delete', eventName: 'LifecycleExpiration:Delete', kind: 'removed' }],
  },
  'powertools-lambda-typescript/parser-tests-events/s3/sqs-event.json': {
    events: [put('xxx', 'test.pdf', 104681, '2e3ad1e983318bbd8e73b080e2997980')],
  },
  'synthesized-key-encoding/S3Put-multi-record-s3-style-encoded-keys.json': {
    events: vectorKeys.map((key) => put('example-bucket', key, 1024, SAMPLE_ETAG)),
  },
  'synthesized-key-encoding/s3-key-encoding-vectors.json': { coveredBy: 'key-encoding.test.ts (key vectors, not an event)' },
};

const s3Files = listCorpusFiles().filter((file) => /s3/i.test(file));

function summarize(event: S3ObjectEvent): Expected {
  const { bucket, key, size, eTag, eventName, kind } = event;
  return { bucket, key, eventName, kind, ...(size === undefined ? {} : { size }), ...(eTag === undefined ? {} : { eTag }) };
}

describe('S3 corpus conformance', () => {
  it('has an expectation for every S3-related file of the corpus, and a file for every expectation', () => {
    expect(s3Files.length).toBeGreaterThan(30);
    expect(s3Files.filter((file) => !(file in expectations))).toEqual([]);
    expect(Object.keys(expectations).filter((file) => !s3Files.includes(file))).toEqual([]);
  });

  describe.each(s3Files.filter((file) => expectations[file] && !('coveredBy' in expectations[file])))('%s', (file) => {
    const expectation = expectations[file] as Exclude<Expectation, { coveredBy: string }>;
    const event = loadCorpusEvent(file);

    if ('events' in expectation) {
      it('normalizes to the expected object events', () => {
        expect(normalizeS3Event(event).map(summarize)).toEqual(expectation.events);
      });
    } else {
      it('is rejected with an EventError that says what it is', () => {
        expect(() => normalizeS3Event(event)).toThrow(EventError);
        expect(() => normalizeS3Event(event)).toThrow(`Invalid S3 event: ${expectation.rejected}`);
      });
    }
  });
});

describe.each(Object.entries(deliveries))('S3 corpus delivered through %s', (_name, deliver) => {
  const direct = s3Files.filter((file) => {
    const expectation = expectations[file];
    return expectation && 'events' in expectation && !file.endsWith('/sqs-event.json');
  });

  it.each(direct)('%s normalizes to the same object events', (file) => {
    const event = loadCorpusEvent(file);
    expect(normalizeS3Event(deliver(event))).toEqual(normalizeS3Event(event));
  });

  it('names the wrapped payload when it is not an S3 notification', () => {
    const batch = loadCorpusEvent('aws-lambda-go/s3-batch-job-event-request-1.0.json');
    expect(() => normalizeS3Event(deliver(batch))).toThrow(/^Invalid S3 event: Records\[0\]\.(body|Sns\.Message)(\.Message)?: this is an S3 Batch Operations job invocation/);
  });
});
