import { describe, expect, it } from 'vitest';
import { decodeS3EventKey } from '../../../events/s3/key-encoding.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { listCorpusFiles, readCorpusJson } from './corpus.ts';
import { extractRecordedDeliveries } from './localstack-snapshots.ts';

/**
 * LocalStack's S3 notification snapshots, recorded against real AWS: every S3 event in them, as
 * the Lambda event it arrived in, normalizes. One line per delivery:
 * `via eventName kind bucket key size eTag` (placeholders such as `<object-key:1>` are real
 * strings here; `-` is an absent field).
 */
const expected: Record<string, string[]> = {
  'test_s3_notifications_eventbridge.snapshot.json': [
    'eventbridge ObjectRemoved:Delete removed <bucket-name:1> <key-name:1> - -',
    'eventbridge ObjectCreated:Put created <bucket-name:1> <key-name:1> 4 8d777f385d3dfec8815d20f7496026dc',
    'eventbridge ObjectAcl:Put other <bucket-name:1> <key-name:1> - 437b930db84b8079c2dd804a71936b5f',
    'eventbridge ObjectAcl:Put other <bucket-name:1> <key-name:1> - 437b930db84b8079c2dd804a71936b5f',
    'eventbridge ObjectAcl:Put other <bucket-name:1> <key-name:1> - 437b930db84b8079c2dd804a71936b5f',
    'eventbridge ObjectCreated:Put created <bucket-name:1> <key-name:1> 9 437b930db84b8079c2dd804a71936b5f',
    'eventbridge ObjectRestore:Post other <bucket-name:1> <key-name:1> 9 437b930db84b8079c2dd804a71936b5f',
    'eventbridge ObjectRestore:Completed restored <bucket-name:1> <key-name:1> 9 437b930db84b8079c2dd804a71936b5f',
    'eventbridge ObjectCreated:Put created <bucket-name:1> <key-name:1> 4 8d777f385d3dfec8815d20f7496026dc',
    'eventbridge ObjectCreated:Put created <bucket-name:1> <key-name:1> 4 8d777f385d3dfec8815d20f7496026dc',
    'eventbridge ObjectCreated:Put created <bucket-name:1> <key-name:1> 13 2fb1d4988881168bbcd6432d7593be5a',
    'eventbridge ObjectRemoved:Delete removed <bucket-name:1> <key-name:1> - -',
    'eventbridge ObjectCreated:Put created <bucket-name:1> <key-name:1> 13 2fb1d4988881168bbcd6432d7593be5a',
    'eventbridge ObjectRemoved:Delete removed <bucket-name:1> <key-name:1> - -',
  ],
  'test_s3_notifications_lambda.snapshot.json': [
    'lambda ObjectCreated:Put created <bucket-name:1> <object-key:1> 11 e9fb1ed1d5eaa36781088aae37acffbd',
    'lambda ObjectCreated:Post created <bucket-name:1> <object-key:1> 16 232d7472010db416df31c55fdc0490a5',
    'lambda ObjectCreated:Put created <bucket-name:1> <object-key:1> 16 b0d833b208acd18be70a25c9323f210d',
  ],
  'test_s3_notifications_sns.snapshot.json': [
    'sns-through-sqs ObjectCreated:Put created <resource:1> bucket-key 11 c8e3a3027a133355210f85cfbb1acc35',
    'sns ObjectCreated:Put created <resource:1> bucket-key 11 c8e3a3027a133355210f85cfbb1acc35',
    'sns-through-sqs ObjectCreated:Put created <resource:1> bucket-key 12 05c7c1b96e20928f6e55a881b5ca1c45',
    'sns ObjectCreated:Put created <resource:1> bucket-key 12 05c7c1b96e20928f6e55a881b5ca1c45',
    'sns-through-sqs ObjectCreated:Put created <resource:1> testupload/dir1/testfile.txt 35 f5260f0f41af2722d9fe17a57dfa9da5',
    'sns ObjectCreated:Put created <resource:1> testupload/dir1/testfile.txt 35 f5260f0f41af2722d9fe17a57dfa9da5',
  ],
  'test_s3_notifications_sqs.snapshot.json': [
    'sqs ObjectCreated:Put created <resource:1> my_key_0 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Put created <resource:1> my_key_1 14 6c7ba9c5a141421e1c03cb9807c97c74',
    'sqs ObjectCreated:Copy created <resource:1> <object-key:1> 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Copy created <resource:1> <object-key:1> 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Put created <resource:1> <object-key:2> 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectRemoved:Delete removed <resource:1> <object-key:2> - -',
    'sqs ObjectCreated:CompleteMultipartUpload created <resource:1> test-key 6144 8eabe9d6b43316e840b079170916c079-1',
    'sqs ObjectCreated:Put created <resource:1> a@b 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Put created <resource:1> key-by-hostname 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Put created <resource:2> key-by-hostname 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectTagging:Put other <resource:1> <object-key:1> - f3e6da48d914f3f04f6bd9cb092c044d',
    'sqs ObjectTagging:Delete other <resource:1> <object-key:1> - f3e6da48d914f3f04f6bd9cb092c044d',
    'sqs ObjectCreated:Put created <resource:1> test-data 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Put created <bucket> testupload/dir1/testfile.txt 32 f527a5c9f427867aeaf091c134949aa0',
    'sqs ObjectRemoved:Delete removed <resource:1> <object-key:1> - -',
    'sqs ObjectRemoved:Delete removed <resource:1> <object-key:2> - -',
    'sqs ObjectRemoved:Delete removed <resource:1> <object-key:3> - -',
    'sqs ObjectAcl:Put other <resource:1> my_key_acl - 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectAcl:Put other <resource:1> my_key_acl - 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectAcl:Put other <resource:1> my_key_acl - 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectRestore:Post other <resource:1> my_key_restore 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectRestore:Completed restored <resource:1> my_key_restore 9 437b930db84b8079c2dd804a71936b5f',
    'sqs ObjectCreated:Put created <resource:1> test-key 13 6869c34ca384e0ed836d49214f881e87',
    'sqs ObjectCreated:Put created <resource:1> test-key 4 8d777f385d3dfec8815d20f7496026dc',
    'sqs ObjectRemoved:Delete removed <resource:1> test-key - -',
    'sqs ObjectRemoved:DeleteMarkerCreated removed <resource:1> test-key - d41d8cd98f00b204e9800998ecf8427e',
    'sqs ObjectCreated:Put created <resource:1> test-key 13 2fb1d4988881168bbcd6432d7593be5a',
    'sqs ObjectRemoved:Delete removed <resource:1> test-key - -',
  ],
};

const snapshotFiles = listCorpusFiles().filter((file) => /^localstack-recorded-snapshots\/test_s3_notifications_.*\.snapshot\.json$/.test(file));

describe('LocalStack S3 notification recordings', () => {
  it('has expectations for every S3 notification snapshot in the corpus', () => {
    expect(snapshotFiles.map((file) => file.split('/')[1])).toEqual(Object.keys(expected).sort());
  });

  describe.each(snapshotFiles)('%s', (file) => {
    const deliveries = extractRecordedDeliveries(readCorpusJson(file) as Parameters<typeof extractRecordedDeliveries>[0]);

    it('normalizes every recorded delivery to the recorded object event', () => {
      const summaries = deliveries.map(({ via, event }) => {
        const events = normalizeS3Event(event);
        expect(events).toHaveLength(1);
        const [e] = events as [(typeof events)[0]];
        return `${via} ${e.eventName} ${e.kind} ${e.bucket} ${e.key} ${e.size ?? '-'} ${e.eTag ?? '-'}`;
      });
      expect(summaries).toEqual(expected[file.split('/')[1] as string]);
    });

    it('keeps what was delivered beside what it means', () => {
      for (const { event } of deliveries) {
        for (const e of normalizeS3Event(event)) {
          expect(e.key).toBe(e.source === 'notification' ? decodeS3EventKey(e.rawKey) : e.rawKey);
          expect(e.eventName).not.toMatch(/^s3:/);
          if (e.eTag !== undefined) expect(e.eTag).toMatch(/^[0-9a-f]{32}(-\d+)?$/);
        }
      }
    });
  });

  it('decodes the key of the real key-encoding recording (a@b arrives as a%40b)', () => {
    const deliveries = extractRecordedDeliveries(
      readCorpusJson('localstack-recorded-snapshots/test_s3_notifications_sqs.snapshot.json') as Parameters<typeof extractRecordedDeliveries>[0],
    );
    const recorded = deliveries.filter((d) => d.at.startsWith('test_key_encoding'));
    expect(recorded.flatMap((d) => normalizeS3Event(d.event)).map((e) => [e.rawKey, e.key])).toEqual([['a%40b', 'a@b']]);
  });

  it('carries the version of a versioned object and omits size on removals', () => {
    const deliveries = extractRecordedDeliveries(
      readCorpusJson('localstack-recorded-snapshots/test_s3_notifications_sqs.snapshot.json') as Parameters<typeof extractRecordedDeliveries>[0],
    );
    const versioned = deliveries
      .filter((d) => d.at.includes('message-versioning-active'))
      .flatMap((d) => normalizeS3Event(d.event))
      .map(({ eventName, versionId, size }) => ({ eventName, versionId, size }));
    expect(versioned).toEqual([
      { eventName: 'ObjectCreated:Put', versionId: 'version-id', size: 13 },
      { eventName: 'ObjectCreated:Put', versionId: 'version-id', size: 4 },
      { eventName: 'ObjectRemoved:Delete', versionId: 'version-id', size: undefined },
      { eventName: 'ObjectRemoved:DeleteMarkerCreated', versionId: 'version-id', size: undefined },
    ]);
  });
});
