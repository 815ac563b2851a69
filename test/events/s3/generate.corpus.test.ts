import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/contract/errors.ts';
import { buildS3Event, buildS3EventRecord, nextSequencer } from '../../../events/s3/generate.ts';
import { compareSequencers, normalizeS3Event } from '../../../events/s3/normalize.ts';
import { s3EventSchema } from '../../../events/s3/schema.ts';
import { loadCorpusEvent, readCorpusJson } from './corpus.ts';

/** Every key path of a JSON value (`s3.object.key`), to compare shapes, not values. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(inner, path)];
  });
}

const firstRecord = (file: string) => (loadCorpusEvent(file) as { Records: unknown[] }).Records[0];
const AWS_PUT = firstRecord('aws-s3-userguide-doc-examples/s3-objectcreated-put-example.json');

describe('buildS3EventRecord', () => {
  it('has exactly the fields of a record AWS delivers, in the same order', () => {
    const record = buildS3EventRecord({ bucket: 'mybucket', key: 'HappyFace.jpg', size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', versionId: 'v1' });
    expect(keyPaths(record)).toEqual(keyPaths(AWS_PUT));
  });

  it('fills each field the way AWS does', () => {
    const record = buildS3EventRecord({ bucket: 'uploads', key: 'a.jpg', size: 3, eTag: '"900150983cd24fb0d6963f7d28e17f72"', eventTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) });
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2024-01-02T03:04:05.000Z',
      eventName: 'ObjectCreated:Put',
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'a.jpg', size: 3, eTag: '900150983cd24fb0d6963f7d28e17f72' },
      },
    });
    expect(record.responseElements['x-amz-request-id']).toMatch(/^[0-9A-F]{16}$/);
    expect(record.responseElements['x-amz-id-2']).toMatch(/^[A-Za-z0-9+/]{75}=$/);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]{18}$/);
    expect(record.s3.object).not.toHaveProperty('versionId');
    expect(s3EventSchema.safeParse(buildS3Event([record])).success).toBe(true);
  });

  it('uses what it is given', () => {
    const record = buildS3EventRecord({
      bucket: 'b', key: 'k', eventName: 's3:ObjectCreated:Copy', eventTime: '2024-05-06T07:08:09Z', region: 'eu-west-1',
      sourceIp: '10.0.0.1', principalId: 'AWS:AIDAEXAMPLE', requestId: 'C3D13FE58DE4C810', configurationId: 'thumbs', sequencer: '0055AED6DCD90281E5',
    });
    expect(record).toMatchObject({
      eventName: 'ObjectCreated:Copy', eventTime: '2024-05-06T07:08:09.000Z', awsRegion: 'eu-west-1',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' }, requestParameters: { sourceIPAddress: '10.0.0.1' },
      responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810' }, s3: { configurationId: 'thumbs', object: { sequencer: '0055AED6DCD90281E5' } },
    });
  });

  it('rejects an eventTime that is not a date', () => {
    expect(() => buildS3EventRecord({ bucket: 'b', key: 'k', eventTime: 'yesterday' })).toThrow(EventError);
  });

  it('writes a delete as AWS does: no size, no eTag', () => {
    const record = buildS3EventRecord({ bucket: 'b', key: 'k', size: 5, eTag: 'abc', eventName: 'ObjectRemoved:Delete' });
    expect(keyPaths(record)).toEqual(keyPaths(firstRecord('powertools-lambda-typescript/parser-tests-events/s3/delete-object.json')));
    expect(record.s3.object).not.toHaveProperty('size');
    expect(record.s3.object).not.toHaveProperty('eTag');
  });

  it('writes a delete marker with the empty ETag AWS sends, and no size', () => {
    const record = buildS3EventRecord({ bucket: 'b', key: 'k', eventName: 'ObjectRemoved:DeleteMarkerCreated', versionId: 'v2' });
    expect(Object.keys(record.s3.object)).toEqual(['key', 'eTag', 'versionId', 'sequencer']);
    expect(record.s3.object.eTag).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('writes tagging and ACL events without size or sequencer, as version 2.3', () => {
    for (const eventName of ['ObjectTagging:Put', 'ObjectAcl:Put']) {
      const record = buildS3EventRecord({ bucket: 'b', key: 'k', eTag: 'abc', eventName });
      expect(record.eventVersion).toBe('2.3');
      expect(Object.keys(record.s3.object)).toEqual(['key', 'eTag']);
    }
  });
});

describe('generated sequencers', () => {
  it('increase strictly within the process', () => {
    const sequencers = Array.from({ length: 2000 }, () => buildS3EventRecord({ bucket: 'b', key: 'k' }).s3.object.sequencer as string);
    for (let i = 1; i < sequencers.length; i++) {
      expect(compareSequencers(sequencers[i - 1] as string, sequencers[i] as string)).toBeLessThan(0);
    }
  });

  it('keep increasing when the clock steps back, and carry the time like S3 sequencers', () => {
    const now = Date.UTC(2030, 0, 1);
    const first = nextSequencer(now);
    const second = nextSequencer(now - 60_000);
    expect(compareSequencers(first, second)).toBeLessThan(0);
    expect(Number.parseInt(nextSequencer(now + 3_600_000).slice(2, 10), 16)).toBe((now + 3_600_000) / 1000);
  });
});

describe('generate then normalize', () => {
  const { vectors } = readCorpusJson('synthesized-key-encoding/s3-key-encoding-vectors.json') as {
    vectors: { decodedKey: string; s3NotificationKey: string }[];
  };

  it.each(vectors)('encodes $decodedKey as S3 does', ({ decodedKey, s3NotificationKey }) => {
    expect(buildS3EventRecord({ bucket: 'b', key: decodedKey }).s3.object.key).toBe(s3NotificationKey);
  });

  it.each([
    'red flower.jpg', 'a+b.csv', '100% done.csv', 'date=2024-01-01/part,1.csv', 'café résumé.csv',
    '你好/报告.csv', '🐱 cat.png', ' leading and trailing ', '%2B literal escape', 'a//b/./../c', '~tilde_-.',
  ])('round-trips the key %j', (key) => {
    const input = { bucket: 'uploads', key, size: 42, eTag: '"0123456789abcdef0123456789abcdef"' };
    const [event] = normalizeS3Event(buildS3Event([buildS3EventRecord(input)]));
    expect(event).toMatchObject({ bucket: 'uploads', key, size: 42, eTag: '0123456789abcdef0123456789abcdef', kind: 'created', source: 'notification' });
  });

  it('round-trips a removal', () => {
    const [event] = normalizeS3Event(buildS3Event([buildS3EventRecord({ bucket: 'b', key: 'old file.csv', eventName: 'ObjectRemoved:Delete' })]));
    expect(event).toMatchObject({ key: 'old file.csv', kind: 'removed', eventName: 'ObjectRemoved:Delete' });
    expect(event).not.toHaveProperty('size');
  });
});
