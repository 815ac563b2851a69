import { describe, expect, it } from 'vitest';
import { EventError } from '../../../shared/contract/errors.ts';
import { decodeS3EventKey, encodeS3EventKey } from '../../../events/s3/key-encoding.ts';
import { normalizeS3Event } from '../../../events/s3/normalize.ts';
import { readCorpusJson } from './corpus.ts';

interface Vector {
  decodedKey: string;
  s3NotificationKey: string;
  samCliGenerateEventKey: string;
}

const { vectors } = readCorpusJson('synthesized-key-encoding/s3-key-encoding-vectors.json') as { vectors: Vector[] };

describe('S3 key encoding vectors', () => {
  it('has the vectors the corpus describes', () => {
    expect(vectors.length).toBe(9);
  });

  describe.each(vectors)('$decodedKey', (vector) => {
    it('decodes the key S3 writes into a notification', () => {
      expect(decodeS3EventKey(vector.s3NotificationKey)).toBe(vector.decodedKey);
    });
    it('decodes the key `sam local generate-event` writes (%20 for a space)', () => {
      expect(decodeS3EventKey(vector.samCliGenerateEventKey)).toBe(vector.decodedKey);
    });
    it('encodes the key exactly as S3 does', () => {
      expect(encodeS3EventKey(vector.decodedKey)).toBe(vector.s3NotificationKey);
    });
  });

  it('normalizes S3Put-multi-record-s3-style-encoded-keys.json to the decoded keys, in order', () => {
    const event = readCorpusJson('synthesized-key-encoding/S3Put-multi-record-s3-style-encoded-keys.json');
    const normalized = normalizeS3Event(event);
    expect(normalized.map((e) => e.key)).toEqual(vectors.map((v) => v.decodedKey));
    expect(normalized.map((e) => e.rawKey)).toEqual(vectors.map((v) => v.s3NotificationKey));
  });
});

describe('encodeS3EventKey', () => {
  it('keeps unreserved characters and "/", writes a space as "+" and everything else as uppercase %XX', () => {
    expect(encodeS3EventKey('AZaz09_.-~/')).toBe('AZaz09_.-~/');
    expect(encodeS3EventKey('a b+c')).toBe('a+b%2Bc');
    expect(encodeS3EventKey("!*'();:@&=+$,?#[]%")).toBe('%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D%25');
    expect(encodeS3EventKey('\u00ff\n')).toBe('%C3%BF%0A');
    expect(encodeS3EventKey('')).toBe('');
  });

  it('refuses a string that is not valid Unicode instead of writing U+FFFD', () => {
    expect(() => encodeS3EventKey('a\uD800b')).toThrow(EventError);
    expect(() => encodeS3EventKey('a\uD800b')).toThrow('cannot encode S3 object key "a\\ud800b": it is not valid Unicode (unpaired surrogate)');
  });
});

describe('decodeS3EventKey', () => {
  it('reads "+" as a space, %2B as a plus, and over-encoded characters', () => {
    expect(decodeS3EventKey('red+flower.jpg')).toBe('red flower.jpg');
    expect(decodeS3EventKey('a%2Bb')).toBe('a+b');
    expect(decodeS3EventKey('Happy%20Face.jpg')).toBe('Happy Face.jpg');
    expect(decodeS3EventKey('glacier%2Dtest.txt')).toBe('glacier-test.txt');
    expect(decodeS3EventKey('lower%c3%a9')).toBe('loweré');
    expect(decodeS3EventKey('%2F%2f')).toBe('//');
  });

  it('keeps a leading byte-order mark, which is part of the key', () => {
    expect(decodeS3EventKey('%EF%BB%BFa.csv')).toBe('\uFEFFa.csv');
    expect(decodeS3EventKey(encodeS3EventKey('\uFEFF'))).toBe('\uFEFF');
  });

  it('takes characters an emulator left unencoded as they are', () => {
    expect(decodeS3EventKey('<object-key:1>')).toBe('<object-key:1>');
    expect(decodeS3EventKey('café/🐱')).toBe('café/🐱');
  });

  it.each([
    ['%E0%A4%A', '"%A" at position 6 is not a percent escape (expected "%" and two hex digits)'],
    ['a%zz', '"%zz" at position 1 is not a percent escape (expected "%" and two hex digits)'],
    ['100%', '"%" at position 3 is not a percent escape (expected "%" and two hex digits)'],
    ['%C3%28', 'its percent escapes do not form valid UTF-8'],
    ['%FF', 'its percent escapes do not form valid UTF-8'],
    ['%E0%A4', 'its percent escapes do not form valid UTF-8'],
    ['%ED%A0%80', 'its percent escapes do not form valid UTF-8'],
  ])('throws an EventError naming %s and the problem', (encoded, problem) => {
    let caught: unknown;
    try {
      decodeS3EventKey(encoded);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EventError);
    expect((caught as EventError).message).toBe(`cannot decode S3 object key ${JSON.stringify(encoded)}: ${problem}`);
  });
});
