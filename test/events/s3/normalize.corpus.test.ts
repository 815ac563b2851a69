import { describe, expect, it } from 'vitest';
import { eventNameOfEventBridge } from '../../../events/s3/eventbridge-event.ts';
import { kindOfEventName } from '../../../events/s3/object-event.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { loadCorpusEvent, renderSamTemplate } from './corpus.ts';
import { deliveries } from './deliveries.ts';
import { withField, withFields } from './edit-event.ts';

const OBJECT = ['Records', 0, 's3', 'object'] as const;
const putExample = () => loadCorpusEvent('aws-s3-userguide-doc-examples/s3-objectcreated-put-example.json');

describe('normalizeS3Event: a notification delivered to Lambda', () => {
  it('gives every field of the AWS documentation example', () => {
    expect(normalizeS3Event(putExample())).toEqual([
      {
        bucket: 'mybucket',
        key: 'HappyFace.jpg',
        rawKey: 'HappyFace.jpg',
        size: 1024,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
        sequencer: '0055AED6DCD90281E5',
        eventName: 'ObjectCreated:Put',
        kind: 'created',
        eventTime: '1970-01-01T00:00:00.000Z',
        region: 'us-west-2',
        source: 'notification',
      },
    ]);
  });

  it('takes the bucket name, not the ARN, when they disagree (aws-lambda-go sample)', () => {
    const [event] = normalizeS3Event(loadCorpusEvent('aws-lambda-go/s3-event.json'));
    expect(event).toMatchObject({ bucket: 'sourcebucket', rawKey: 'Happy%20Face.jpg', key: 'Happy Face.jpg', sequencer: 'Happy Sequencer', versionId: 'version' });
  });

  it('strips an s3: prefix from the event name', () => {
    const [event] = normalizeS3Event(loadCorpusEvent('aws-lambda-go/s3-glacier-event.json'));
    expect(event).toMatchObject({ eventName: 'ObjectRestore:Completed', kind: 'restored', region: 'us-west-2' });
  });

  it('treats an empty versionId as none (Java sample)', () => {
    const [event] = normalizeS3Event(loadCorpusEvent('aws-lambda-java-libs/s3_event.json'));
    expect(event).not.toHaveProperty('versionId');
  });

  it('leaves out what a delete does not carry', () => {
    const [event] = normalizeS3Event(renderSamTemplate('aws-sam-cli/templates/S3Delete.json'));
    expect(Object.keys(event ?? {}).sort()).toEqual(['bucket', 'eventName', 'eventTime', 'key', 'kind', 'rawKey', 'region', 'sequencer', 'source']);
  });

  it('unquotes an ETag written as in HTTP headers', () => {
    const event = withField(putExample(), [...OBJECT, 'eTag'], '"d41d8cd98f00b204e9800998ecf8427e"');
    expect(normalizeS3Event(event)[0]?.eTag).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('ignores fields it does not know, at every level, and reads any 2.x eventVersion', () => {
    const event = withFields(putExample(), [
      [['extra'], 1],
      [['Records', 0, 'newField'], { a: 1 }],
      [['Records', 0, 's3', 'bucket', 'newField'], true],
      [[...OBJECT, 'urlDecodedKey'], 'HappyFace.jpg'],
      [['Records', 0, 'eventVersion'], '2.10'],
    ]);
    expect(normalizeS3Event(event)).toEqual(normalizeS3Event(putExample()));
  });

  it('returns nothing for an empty Records list', () => {
    expect(normalizeS3Event({ Records: [] })).toEqual([]);
  });

  it('keeps the order of records', () => {
    const [record] = (putExample() as { Records: unknown[] }).Records;
    const event = { Records: [record, withField(record, ['s3', 'object', 'key'], 'second+file.jpg')] };
    expect(normalizeS3Event(event).map((e) => e.key)).toEqual(['HappyFace.jpg', 'second file.jpg']);
  });
});

describe('normalizeS3Event: envelopes', () => {
  const testEvent = loadCorpusEvent('aws-s3-userguide-doc-examples/s3-test-event.json');

  it.each(Object.entries(deliveries))('returns nothing for an s3:TestEvent delivered through %s', (_name, deliver) => {
    expect(normalizeS3Event(testEvent)).toEqual([]);
    expect(normalizeS3Event(deliver(testEvent))).toEqual([]);
  });

  it('reads the SAM CLI SQS template carrying an S3 event', () => {
    const sqs = renderSamTemplate('aws-sam-cli/templates/Sqs.json') as { Records: { body: string }[] };
    (sqs.Records[0] as { body: string }).body = JSON.stringify(renderSamTemplate('aws-sam-cli/templates/S3Put.json'));
    expect(normalizeS3Event(sqs).map((e) => [e.bucket, e.key, e.size])).toEqual([['example-bucket', 'test/key', 1024]]);
  });

  it('flattens a batch of SQS messages, each with its records, in order', () => {
    const first = deliveries.sqs(putExample()).Records[0];
    const second = deliveries.sqs(loadCorpusEvent('aws-lambda-go/s3-event.json')).Records[0];
    const batch = { Records: [first, { ...second, messageId: 'b' }] };
    expect(normalizeS3Event(batch).map((e) => e.key)).toEqual(['HappyFace.jpg', 'Happy Face.jpg']);
  });

  it('reads an EventBridge event delivered through SQS', () => {
    const eventBridge = loadCorpusEvent('powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-created.json');
    expect(normalizeS3Event(deliveries.sqs(eventBridge))).toEqual(normalizeS3Event(eventBridge));
  });

  it('maps an EventBridge event onto the notification vocabulary', () => {
    const event = loadCorpusEvent('powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-created.json');
    expect(normalizeS3Event(event)).toEqual([
      {
        bucket: 'example-bucket',
        key: 'IMG_m7fzo3.jpg',
        rawKey: 'IMG_m7fzo3.jpg',
        size: 184662,
        eTag: '4e68adba0abe2dc8653dc3354e14c01d',
        sequencer: '006408CAD69598B05E',
        eventName: 'ObjectCreated:Put',
        kind: 'created',
        eventTime: '2023-03-08T17:50:14Z',
        region: 'eu-west-1',
        source: 'eventbridge',
      },
    ]);
  });

  it('does not URL-decode EventBridge keys', () => {
    const created = loadCorpusEvent('powertools-lambda-typescript/parser-tests-events/s3/eventbridge-object-created.json');
    const event = withField(created, ['detail', 'object', 'key'], 'a+b %41.jpg');
    expect(normalizeS3Event(event)[0]).toMatchObject({ key: 'a+b %41.jpg', rawKey: 'a+b %41.jpg' });
  });
});

describe('event names and kinds', () => {
  it.each([
    ['ObjectCreated:Put', 'created'],
    ['ObjectCreated:CompleteMultipartUpload', 'created'],
    ['ObjectRemoved:Delete', 'removed'],
    ['ObjectRemoved:DeleteMarkerCreated', 'removed'],
    ['LifecycleExpiration:Delete', 'removed'],
    ['ObjectRestore:Completed', 'restored'],
    ['ObjectRestore:Post', 'other'],
    ['ObjectRestore:Delete', 'other'],
    ['ObjectTagging:Put', 'other'],
    ['ObjectAcl:Put', 'other'],
    ['LifecycleTransition', 'other'],
    ['IntelligentTiering', 'other'],
    ['Replication:OperationFailedReplication', 'other'],
    ['ReducedRedundancyLostObject', 'other'],
  ])('%s is %s', (eventName, kind) => {
    expect(kindOfEventName(eventName)).toBe(kind);
  });

  it.each([
    ['Object Created', { reason: 'PutObject' }, 'ObjectCreated:Put'],
    ['Object Created', { reason: 'POST Object' }, 'ObjectCreated:Post'],
    ['Object Created', { reason: 'CopyObject' }, 'ObjectCreated:Copy'],
    ['Object Created', { reason: 'CompleteMultipartUpload' }, 'ObjectCreated:CompleteMultipartUpload'],
    ['Object Deleted', { reason: 'DeleteObject', 'deletion-type': 'Permanently Deleted' }, 'ObjectRemoved:Delete'],
    ['Object Deleted', { reason: 'DeleteObject', 'deletion-type': 'Delete Marker Created' }, 'ObjectRemoved:DeleteMarkerCreated'],
    ['Object Deleted', { reason: 'Lifecycle Expiration', 'deletion-type': 'Permanently Deleted' }, 'LifecycleExpiration:Delete'],
    ['Object Restore Initiated', {}, 'ObjectRestore:Post'],
    ['Object Restore Completed', {}, 'ObjectRestore:Completed'],
    ['Object Restore Expired', {}, 'ObjectRestore:Delete'],
    ['Object Tags Added', {}, 'ObjectTagging:Put'],
    ['Object ACL Updated', {}, 'ObjectAcl:Put'],
    ['Object Storage Class Changed', {}, 'LifecycleTransition'],
    ['Object Access Tier Changed', {}, 'IntelligentTiering'],
    ['Object Teleported', {}, 'ObjectTeleported'],
  ])('EventBridge %s %j is %s', (detailType, extra, eventName) => {
    const detail = { bucket: { name: 'b' }, object: { key: 'k' }, ...extra };
    expect(eventNameOfEventBridge(detailType, detail)).toBe(eventName);
  });
});
