import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventError } from '../../shared/contract/errors.ts';
import { formatEventPath, parseEvent } from '../../events/parse-event.ts';

const schema = z.looseObject({
  Records: z.array(z.looseObject({ id: z.string(), tags: z.array(z.string()).max(2), kind: z.literal('a') })).min(1),
});

function messageOf(input: unknown): string {
  try {
    parseEvent(schema, input, 'test event');
  } catch (error) {
    expect(error).toBeInstanceOf(EventError);
    return (error as EventError).message;
  }
  throw new Error('expected parseEvent to throw');
}

describe('parseEvent', () => {
  it('returns the parsed event, unknown fields kept', () => {
    const input = { Records: [{ id: 'x', tags: [], kind: 'a', extra: 1 }] };
    expect(parseEvent(schema, input, 'test event')).toEqual(input);
  });

  it('names a single problem on one line', () => {
    expect(messageOf({ Records: [{ id: 1, tags: [], kind: 'a' }] })).toBe('Invalid test event: Records[0].id: expected a string, found 1 (number)');
  });

  it('lists every problem with its path', () => {
    expect(messageOf({ Records: [{ tags: ['a', 'b', 'c'], kind: 'b' }] })).toBe(
      [
        'Invalid test event (3 problems):',
        '  Records[0].id: missing; expected a string',
        '  Records[0].tags: expected at most 2 items, found a list of 3 items',
        '  Records[0].kind: expected "a", found "b" (string)',
      ].join('\n'),
    );
  });

  it('names a problem with the whole event without a path', () => {
    expect(messageOf('text')).toBe('Invalid test event: expected a mapping, found "text" (string)');
    expect(messageOf({ Records: [] })).toBe('Invalid test event: Records: expected at least 1 item, found a list of 0 items');
  });

  it('prefixes the location of a wrapped document', () => {
    expect(() => parseEvent(schema, {}, 'test event', ['Records', 2, 'body'])).toThrow(
      'Invalid test event: Records[2].body.Records: missing; expected a list',
    );
  });
});

describe('formatEventPath', () => {
  it('writes indexes in brackets and names with dots', () => {
    expect(formatEventPath(['Records', 1, 's3', 'object', 'key'])).toBe('Records[1].s3.object.key');
    expect(formatEventPath([0, 'a'])).toBe('[0].a');
    expect(formatEventPath([])).toBe('');
  });
});
