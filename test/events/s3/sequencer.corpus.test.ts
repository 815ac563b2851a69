import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/contract/errors.ts';
import { compareSequencers, normalizeS3Event } from '../../../events/s3/normalize.ts';
import { loadCorpusEvent } from './corpus.ts';

describe('compareSequencers', () => {
  it('orders equal-length sequencers as hex numbers, ignoring case', () => {
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281E6')).toBeLessThan(0);
    expect(compareSequencers('0055AED6DCD90281F0', '0055AED6DCD90281E6')).toBeGreaterThan(0);
    expect(compareSequencers('0055aed6dcd90281e5', '0055AED6DCD90281E5')).toBe(0);
  });

  it('right-pads the shorter value with zeros, as the current S3 User Guide says', () => {
    expect(compareSequencers('0055AED6DC', '0055AED6DC000000')).toBe(0);
    expect(compareSequencers('0055AED6DD', '0055AED6DCFFFFFFFF')).toBeGreaterThan(0);
    expect(compareSequencers('0055AED6DC01', '0055AED6DC')).toBeGreaterThan(0);
  });

  it('sorts the sequencers of one key, of mixed lengths, into event order', () => {
    const shuffled = ['00643717FA00000001', '00643717F9F8B85355', '00643717FA000000', '00643717F9F8B85354'];
    expect(shuffled.sort(compareSequencers)).toEqual(['00643717F9F8B85354', '00643717F9F8B85355', '00643717FA000000', '00643717FA00000001']);
  });

  it('is anchored on the left: digits 3 to 10 of a real sequencer are the event time in Unix seconds', () => {
    // The reason for right-padding (see sequencer.ts): the most significant digits sit at the left.
    const [event] = normalizeS3Event(loadCorpusEvent('powertools-lambda-typescript/parser-tests-events/s3/sqs-event.json'));
    const seconds = Number.parseInt(event?.sequencer?.slice(2, 10) ?? '', 16);
    const eventSeconds = Math.floor(Date.parse(event?.eventTime ?? '') / 1000);
    expect(Math.abs(seconds - eventSeconds)).toBeLessThanOrEqual(1);
  });

  it.each(['Happy Sequencer', 'sequencer', '0066LIFECYCLE890', ''])('refuses to order the placeholder %j', (placeholder) => {
    expect(() => compareSequencers(placeholder, '0055AED6DCD90281E5')).toThrow(EventError);
    expect(() => compareSequencers('0055AED6DCD90281E5', placeholder)).toThrow(
      `cannot order S3 sequencer ${JSON.stringify(placeholder)}: expected hexadecimal digits (it is probably a sample placeholder)`,
    );
  });
});
