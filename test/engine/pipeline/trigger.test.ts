import { describe, expect, it } from 'vitest';
import type { S3ObjectEvent } from '../../../events/s3/normalize.ts';
import { matchesTrigger } from '../../../shared/engine/pipeline/trigger.ts';

const event = (key: string, overrides: Partial<S3ObjectEvent> = {}): S3ObjectEvent => ({
  bucket: 'uploads',
  key,
  rawKey: key,
  eventName: 'ObjectCreated:Put',
  kind: 'created',
  eventTime: '2026-01-01T00:00:00.000Z',
  region: 'us-east-1',
  source: 'notification',
  ...overrides,
});

const trigger = { bucket: 'uploads', events: ['created' as const], prefix: 'images/', suffix: ['.jpg', '.png'] };

describe('trigger matching, as S3 filters notifications', () => {
  it('matches bucket, event type, prefix and any suffix', () => {
    expect(matchesTrigger(trigger, event('images/a.jpg'))).toBe(true);
    expect(matchesTrigger(trigger, event('images/deep/b c.png'))).toBe(true);
    expect(matchesTrigger(trigger, event('images/a.jpg', { bucket: 'media' }))).toBe(false);
    expect(matchesTrigger(trigger, event('images/a.jpg', { kind: 'removed', eventName: 'ObjectRemoved:Delete' }))).toBe(false);
    expect(matchesTrigger(trigger, event('other/a.jpg'))).toBe(false);
    expect(matchesTrigger(trigger, event('images/a.gif'))).toBe(false);
  });

  it('is case-sensitive and has no wildcards, like S3', () => {
    expect(matchesTrigger(trigger, event('images/A.JPG'))).toBe(false);
    expect(matchesTrigger(trigger, event('Images/a.jpg'))).toBe(false);
    expect(matchesTrigger({ ...trigger, prefix: 'images/*' }, event('images/a.jpg'))).toBe(false);
  });

  it('matches the decoded key, not the encoded one', () => {
    expect(matchesTrigger({ ...trigger, prefix: 'images/my photos/' }, event('images/my photos/a.jpg', { rawKey: 'images/my+photos/a.jpg' }))).toBe(true);
  });

  it('without suffixes, matches every key under the prefix', () => {
    expect(matchesTrigger({ ...trigger, suffix: [] }, event('images/anything'))).toBe(true);
  });
});
