import { describe, expect, it } from 'vitest';
import { describeIssues, formatPath } from '../../../shared/contract/describe-issue.ts';
import type { FilterPattern } from '../../../shared/engine/pipeline/filter-pattern.ts';
import { MAX_FILTERS, MAX_PATTERN_LENGTH, filterPatternSpec, matchesAnyFilter, matchesFilterPattern } from '../../../shared/engine/pipeline/filter-pattern.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import { tableTriggerSpec } from '../../../shared/engine/pipeline/schema.ts';
import { ATTRIBUTE_VALUE_SHAPE, STREAM_RECORD_SHAPE } from '../../../shared/engine/pipeline/stream-record-shape.ts';
import type { RecordShape } from '../../../shared/engine/pipeline/stream-record-shape.ts';
import { ATTRIBUTE_TYPES, dynamoDBStreamRecordSchema, streamRecordDataSchema } from '../../../events/dynamodb/schema.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

/** `path: message` for every problem with a pattern, in the template every Sluice message uses. */
function problemsOf(pattern: unknown): string[] {
  const result = filterPatternSpec.safeParse(pattern);
  if (result.success) return [];
  return describeIssues(result.error.issues, pattern).map((issue) => `${formatPath(issue.path) || '(pattern)'}: ${issue.message}`);
}

const MATCHERS = 'prefix, suffix, equals-ignore-case, anything-but, numeric, exists';
const NUMERIC_EXAMPLE = 'such as ["=", 5], [">", 0] or [">", 0, "<=", 100]';
const inImage = (attribute: unknown) => ({ dynamodb: { NewImage: { status: attribute } } });

const fieldsOf = (shape: RecordShape | undefined) => (shape?.kind === 'fields' ? Object.keys(shape.fields).sort() : []);

describe('filter pattern validation', () => {
  it('knows the fields of a stream record as its schema declares them', () => {
    const record = STREAM_RECORD_SHAPE.kind === 'fields' ? STREAM_RECORD_SHAPE.fields : {};
    expect(fieldsOf(STREAM_RECORD_SHAPE)).toEqual(Object.keys(dynamoDBStreamRecordSchema.shape).sort());
    expect(fieldsOf(record.dynamodb)).toEqual(Object.keys(streamRecordDataSchema.shape).sort());
    expect(fieldsOf(record.userIdentity)).toEqual(Object.keys(dynamoDBStreamRecordSchema.shape.userIdentity.unwrap().shape).sort());
    expect(fieldsOf(ATTRIBUTE_VALUE_SHAPE)).toEqual([...ATTRIBUTE_TYPES].sort());
  });

  it.each([
    ['event names', { eventName: ['INSERT', 'MODIFY'] }],
    ['a typed attribute of the new image', { dynamodb: { NewImage: { status: { S: ['paid'] } } } }],
    ['every matcher on a string', inImage({ S: ['', 'paid', { prefix: 'pa' }, { suffix: 'id' }, { 'equals-ignore-case': 'PAID' }, { 'anything-but': ['void', 'refunded'] }, { 'anything-but': { prefix: 're' } }, { exists: true }] })],
    ['DynamoDB numbers as text', { dynamodb: { Keys: { id: { N: ['42', '-1.5', { prefix: '4' }, { 'anything-but': '0' }] } } } }],
    ['booleans and NULL', inImage({ BOOL: [true, false], NULL: [true] })],
    ['numeric matching on the record\'s own numbers', { dynamodb: { SizeBytes: [{ numeric: ['>', 0, '<=', 400000] }], ApproximateCreationDateTime: [{ numeric: ['>=', 1700000000] }] } }],
    ['a deletion made by Time to Live', { eventName: ['REMOVE'], userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }],
    ['inside maps and lists', { dynamodb: { NewImage: { address: { M: { city: { S: ['Oslo'] } } }, tags: { L: { S: [{ exists: true }] } }, sizes: { NS: ['1'] } } } }],
    ['$or at any level, with AND beside it', { eventName: ['MODIFY'], $or: [{ dynamodb: { NewImage: { a: { S: ['x'] } } } }, { dynamodb: { $or: [{ OldImage: { a: { S: ['y'] } } }, { SizeBytes: [{ numeric: ['<', 100] }] }] } }] }],
  ])('accepts %s', (_name, pattern) => {
    expect(problemsOf(pattern)).toEqual([]);
  });

  it.each([
    ['the numeric comparison on N from the docs\' own idea of a filter', { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { status: { S: ['paid'] }, amount: { N: [{ numeric: ['>', 0] }] } } } }, [
      'dynamodb.NewImage.amount.N[0]: numeric never matches a DynamoDB number: N values are strings in the record ("42"), and Lambda compares JSON numbers only, so this filter would drop every record; match the text (N: ["42"], { prefix: "4" }) or filter in a step',
    ]],
    ['a field the record does not have', { eventNme: ['INSERT'] }, [
      'eventNme: unknown field "eventNme" in a DynamoDB stream record (did you mean "eventName"?); expected one of eventID, eventName, eventVersion, eventSource, awsRegion, eventSourceARN, userIdentity, dynamodb',
    ]],
    ['a field dynamodb does not have', { dynamodb: { NewImages: { a: { S: ['x'] } } } }, [
      'dynamodb.NewImages: unknown field "NewImages" in dynamodb (did you mean "NewImage"?); expected one of ApproximateCreationDateTime, Keys, NewImage, OldImage, SequenceNumber, SizeBytes, StreamViewType',
    ]],
    ['an attribute without its type', inImage(['paid']), [
      'dynamodb.NewImage.status: expected the attribute\'s type and its matchers, such as { S: [...] } or { N: ["42"] } (and { S: [{ exists: true }] } to test that it is there), found a list: image values are typed in the record, and matchers apply to leaves only',
    ]],
    ['an unknown attribute type', inImage({ STRING: ['paid'] }), ['dynamodb.NewImage.status.STRING: unknown attribute type "STRING"; expected one of S, N, B, SS, NS, BS, M, L, NULL, BOOL']],
    ['matchers on a mapping of the record', { dynamodb: [{ exists: true }] }, [
      'dynamodb: expected a mapping of the fields of dynamodb (ApproximateCreationDateTime, Keys, NewImage, OldImage, SequenceNumber, SizeBytes, StreamViewType), found a list: matchers apply to leaves only',
    ]],
    ['matchers on an image', { dynamodb: { Keys: ['x'] } }, ['dynamodb.Keys: expected a mapping of attribute names, found a list: Keys holds attributes by name in the record']],
    ['one value not in a list', { eventName: 'INSERT' }, ['eventName: expected a list of matchers (["INSERT"] for one value), found "INSERT" (string)']],
    ['a matcher not in a list', { eventName: { prefix: 'IN' } }, ['eventName: expected a list of matchers, found a mapping: put the matcher in a list, [{"prefix":"IN"}]']],
    ['fields under a leaf', { eventName: { name: ['INSERT'] } }, ['eventName: expected a list of matchers, found a mapping: eventName holds a string in the record, it has no fields']],
    ['an empty list', { eventName: [] }, ['eventName: expected at least one matcher, found an empty list']],
    ['an empty pattern', {}, ['(pattern): expected at least one field to match, found an empty mapping']],
    ['a list instead of a pattern', [{ eventName: ['INSERT'] }], ['(pattern): expected a filter pattern (a mapping of the record\'s fields to lists of matchers), found a list of 1 item']],
    ['a JSON string instead of a pattern', '{"eventName": ["INSERT"]}', ['(pattern): expected a filter pattern (a mapping of the record\'s fields to lists of matchers), found "{\\"eventName\\": [\\"INSERT\\"]}" (string)']],
    ['a number where N holds text', { dynamodb: { Keys: { id: { N: [42] } } } }, ['dynamodb.Keys.id.N[0]: expected "42", a string: DynamoDB numbers are strings in the record, found 42 (number)']],
    ['a number DynamoDB never writes so', { dynamodb: { Keys: { id: { N: ['42.0', '007'] } } } }, [
      'dynamodb.Keys.id.N[0]: expected the number as DynamoDB writes it, "42", found "42.0" (string): exact matching compares text',
      'dynamodb.Keys.id.N[1]: expected the number as DynamoDB writes it, "7", found "007" (string): exact matching compares text',
    ]],
    ['text that is no number under N', { dynamodb: { Keys: { id: { N: ['forty'] } } } }, ['dynamodb.Keys.id.N[0]: expected a DynamoDB number as text, such as "42" or "-1.5", found "forty" (string)']],
    ['a number for a string field', { eventName: [1] }, ['eventName[0]: expected a string, what eventName holds in the record, found 1 (number)']],
    ['text for a number field', { dynamodb: { SizeBytes: ['26'] } }, ['dynamodb.SizeBytes[0]: expected a number, what SizeBytes holds in the record, found "26" (string)']],
    ['text for BOOL, false for NULL, null for a string', inImage({ BOOL: ['true'], NULL: [false], S: [null] }), [
      'dynamodb.NewImage.status.BOOL[0]: expected true or false, what BOOL holds in the record, found "true" (string)',
      'dynamodb.NewImage.status.NULL[0]: expected true, what NULL holds in the record, found false (boolean)',
      'dynamodb.NewImage.status.S[0]: expected a string, what S holds in the record, found null',
    ]],
    ['string matchers on a number field', { dynamodb: { SizeBytes: [{ prefix: '2' }, { 'anything-but': { prefix: '1' } }] } }, [
      'dynamodb.SizeBytes[0]: prefix matches strings only, and SizeBytes holds a number in the record',
      'dynamodb.SizeBytes[1]: anything-but prefix matches strings only, and SizeBytes holds a number in the record',
    ]],
    ['numeric on a string field', { eventName: [{ numeric: ['>', 0] }] }, ['eventName[0]: numeric matches numbers only, and eventName holds a string in the record']],
    ['matchers that are not', inImage({ S: [{ prefx: 'a' }, { prefix: 'a', suffix: 'b' }, {}, { exists: 'yes' }, { prefix: 1 }, []] }), [
      `dynamodb.NewImage.status.S[0].prefx: unknown matcher "prefx" (did you mean "prefix"?); expected one of ${MATCHERS}`,
      `dynamodb.NewImage.status.S[1]: expected one matcher per mapping (one of ${MATCHERS}), found prefix and suffix`,
      `dynamodb.NewImage.status.S[2]: expected one matcher per mapping (one of ${MATCHERS}), found an empty mapping`,
      'dynamodb.NewImage.status.S[3].exists: expected true or false, found "yes" (string)',
      'dynamodb.NewImage.status.S[4].prefix: expected a string, found 1 (number)',
      'dynamodb.NewImage.status.S[5]: expected a value to match, or a mapping such as { prefix: "..." }, found a list of 0 items',
    ]],
    ['anything-but forms Lambda refuses', inImage({ S: [{ 'anything-but': ['a', 1] }, { 'anything-but': [] }, { 'anything-but': [null] }, { 'anything-but': { suffix: 'x' } }, { 'anything-but': { prefix: '' } }, { 'anything-but': true }] }), [
      'dynamodb.NewImage.status.S[0].anything-but[1]: expected a string, what S holds in the record, found 1 (number)',
      'dynamodb.NewImage.status.S[0].anything-but: expected only strings or only numbers, found both',
      'dynamodb.NewImage.status.S[1].anything-but: expected a string, a number, a list of strings or of numbers, or { prefix: "..." }, found an empty list',
      'dynamodb.NewImage.status.S[2].anything-but[0]: expected a string, a number, a list of strings or of numbers, or { prefix: "..." }, found null',
      'dynamodb.NewImage.status.S[3].anything-but: expected { prefix: "..." } (the one matcher anything-but takes), found suffix',
      'dynamodb.NewImage.status.S[4].anything-but.prefix: expected a non-empty string, found "" (string)',
      'dynamodb.NewImage.status.S[5].anything-but: expected a string, a number, a list of strings or of numbers, or { prefix: "..." }, found true (boolean)',
    ]],
    ['numeric ranges that are empty or malformed', { dynamodb: { SizeBytes: [
      { numeric: ['>', 10, '<=', 5] }, { numeric: ['>=', 5, '<=', 5] }, { numeric: ['<', 1, '>', 0] }, { numeric: ['=', 1, '<', 2] }, { numeric: ['=>', 1] }, { numeric: ['>', '0'] }, { numeric: [1] }, { numeric: '>0' }, { numeric: ['<', 6e9] },
    ] } }, [
      'dynamodb.SizeBytes[0].numeric: expected the lower bound below the upper bound, found > 10 and <= 5: no number is in this range',
      'dynamodb.SizeBytes[1].numeric: expected the lower bound below the upper bound, found >= 5 and <= 5 (for one value, write ["=", 5])',
      'dynamodb.SizeBytes[2].numeric: expected a lower bound (">" or ">=") then an upper bound ("<" or "<="), found "<" then ">"',
      'dynamodb.SizeBytes[3].numeric: expected a lower bound (">" or ">=") then an upper bound ("<" or "<="), found "=" then "<"',
      'dynamodb.SizeBytes[4].numeric[0]: expected one of "=", "<", "<=", ">", ">=", found "=>" (string)',
      'dynamodb.SizeBytes[5].numeric[1]: expected a number, found "0" (string)',
      `dynamodb.SizeBytes[6].numeric: expected an operator and a number, or a lower then an upper bound, ${NUMERIC_EXAMPLE}, found a list of 1 item`,
      `dynamodb.SizeBytes[7].numeric: expected an operator and a number, or a lower then an upper bound, ${NUMERIC_EXAMPLE}, found ">0" (string)`,
      'dynamodb.SizeBytes[8].numeric[1]: expected a number from -5000000000 to 5000000000 (the range Lambda compares), found 6000000000 (number)',
    ]],
    ['$or with one pattern, or not a list', { $or: [{ eventName: ['INSERT'] }], dynamodb: { $or: { Keys: { id: { S: ['a'] } } } } }, [
      '$or: expected at least 2 patterns (a single one needs no $or), found a list of 1 item',
      'dynamodb.$or: expected a list of at least 2 patterns, one of which must match, found a mapping',
    ]],
    ['problems inside $or, at their own path', { $or: [{ eventName: ['INSERT'] }, { dynamodb: { SizeBytes: ['1'] } }] }, [
      '$or[1].dynamodb.SizeBytes[0]: expected a number, what SizeBytes holds in the record, found "1" (string)',
    ]],
  ])('refuses %s', (_name, pattern, expected) => {
    expect(problemsOf(pattern)).toEqual(expected);
  });

  it(`refuses a pattern longer than Lambda's ${MAX_PATTERN_LENGTH} characters as JSON, not one that long`, () => {
    const ofLength = (length: number) => {
      const pattern = { eventID: ['x'] };
      pattern.eventID[0] = 'x'.repeat(length - JSON.stringify(pattern).length + 1);
      return pattern;
    };
    expect(JSON.stringify(ofLength(MAX_PATTERN_LENGTH))).toHaveLength(MAX_PATTERN_LENGTH);
    expect(problemsOf(ofLength(MAX_PATTERN_LENGTH))).toEqual([]);
    expect(problemsOf(ofLength(MAX_PATTERN_LENGTH + 1))).toEqual([`(pattern): expected a pattern of at most ${MAX_PATTERN_LENGTH} characters as JSON (Lambda's limit for one filter), found ${MAX_PATTERN_LENGTH + 1}`]);
  });

  it(`lets a trigger have at most ${MAX_FILTERS} filters, Lambda's default quota`, () => {
    const trigger = (count: number) => ({ table: 'orders', startingPosition: 'LATEST', filters: Array.from({ length: count }, () => ({ eventName: ['INSERT'] })) });
    expect(tableTriggerSpec.safeParse(trigger(MAX_FILTERS)).success).toBe(true);
    const result = tableTriggerSpec.safeParse(trigger(MAX_FILTERS + 1));
    expect(result.success).toBe(false);
    expect(describeIssues(result.error?.issues ?? [], trigger(MAX_FILTERS + 1)).map((issue) => `${formatPath(issue.path)}: ${issue.message}`)).toEqual(['filters: expected at most 5 items, found a list of 6 items']);
  });

  it('is reported by the pipeline loader at file:line:column', () => {
    const yaml = [
      'name: paid-orders',
      'on:',
      '  table: orders',
      '  startingPosition: LATEST',
      '  filters:',
      '    - eventName: [INSERT, MODIFY]',
      '      dynamodb:',
      '        NewImage:',
      '          amount: { N: [{ numeric: [">", 0] }] }',
      '    - eventNme: [REMOVE]',
    ].join('\n');
    const messages = parsePipeline(yaml, 'pipelines/paid-orders.yml', builtInHandlers).issues.map((issue) => `${issue.file}:${issue.line}:${issue.column}: ${issue.path}: ${issue.message}`);
    expect(messages).toContain('pipelines/paid-orders.yml:9:25: on.filters[0].dynamodb.NewImage.amount.N[0]: numeric never matches a DynamoDB number: N values are strings in the record ("42"), and Lambda compares JSON numbers only, so this filter would drop every record; match the text (N: ["42"], { prefix: "4" }) or filter in a step');
    expect(messages.some((message) => message.startsWith('pipelines/paid-orders.yml:10:17: on.filters[1].eventNme: unknown field "eventNme"'))).toBe(true);
  });
});

const order = { eventName: 'INSERT', dynamodb: { Keys: { id: { S: 'o-1' } }, NewImage: { id: { S: 'o-1' }, status: { S: 'paid' }, total: { N: '12.5' } }, SizeBytes: 26 } };

describe('filter pattern matching', () => {
  it.each([
    ['an exact string', { a: ['x'] }, { a: 'x' }, true],
    ['another string', { a: ['x'] }, { a: 'y' }, false],
    ['one of several values (OR)', { a: ['x', 'y'] }, { a: 'y' }, true],
    ['a number as a number', { a: [5] }, { a: 5 }, true],
    ['a number written otherwise (300 and 3.0e2 parse alike)', { a: [300] }, { a: 3.0e2 }, true],
    ['a number against its text', { a: [5] }, { a: '5' }, false],
    ['text against a number', { a: ['5'] }, { a: 5 }, false],
    ['null', { a: [null] }, { a: null }, true],
    ['null against an absent field', { a: [null] }, {}, false],
    ['the empty string', { a: [''] }, { a: '' }, true],
    ['a boolean', { a: [true] }, { a: true }, true],
    ['a boolean against its text', { a: [true] }, { a: 'true' }, false],
    ['a prefix', { a: [{ prefix: 'us-' }] }, { a: 'us-east-1' }, true],
    ['a prefix not there', { a: [{ prefix: 'us-' }] }, { a: 'eu-west-1' }, false],
    ['a prefix on a number', { a: [{ prefix: '4' }] }, { a: 42 }, false],
    ['a suffix', { a: [{ suffix: '.png' }] }, { a: 'a.png' }, true],
    ['a suffix not there', { a: [{ suffix: '.png' }] }, { a: 'a.PNG' }, false],
    ['equals-ignore-case', { a: [{ 'equals-ignore-case': 'alice' }] }, { a: 'ALICE' }, true],
    ['equals-ignore-case, other text', { a: [{ 'equals-ignore-case': 'alice' }] }, { a: 'alicia' }, false],
    ['anything-but one value', { a: [{ 'anything-but': 'x' }] }, { a: 'y' }, true],
    ['anything-but that value', { a: [{ 'anything-but': 'x' }] }, { a: 'x' }, false],
    ['anything-but a list', { a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'y' }, false],
    ['anything-but numbers, another number', { a: [{ 'anything-but': [100, 200] }] }, { a: 300 }, true],
    ['anything-but numbers, one of them', { a: [{ 'anything-but': [100, 200] }] }, { a: 200 }, false],
    ['anything-but a number, its text', { a: [{ 'anything-but': 100 }] }, { a: '100' }, true],
    ['anything-but a prefix, other text', { a: [{ 'anything-but': { prefix: 'init' } }] }, { a: 'running' }, true],
    ['anything-but a prefix, text with it', { a: [{ 'anything-but': { prefix: 'init' } }] }, { a: 'initializing' }, false],
    ['anything-but on an absent field', { a: [{ 'anything-but': 'x' }] }, {}, false],
    ['numeric =', { a: [{ numeric: ['=', 3.018e2] }] }, { a: 301.8 }, true],
    ['numeric = elsewhere', { a: [{ numeric: ['=', 3] }] }, { a: 4 }, false],
    ['numeric <', { a: [{ numeric: ['<', 10] }] }, { a: 9.5 }, true],
    ['numeric < at the bound', { a: [{ numeric: ['<', 10] }] }, { a: 10 }, false],
    ['numeric <= at the bound', { a: [{ numeric: ['<=', 10] }] }, { a: 10 }, true],
    ['numeric >', { a: [{ numeric: ['>', 0] }] }, { a: 0.5 }, true],
    ['numeric > at the bound', { a: [{ numeric: ['>', 0] }] }, { a: 0 }, false],
    ['numeric >= at the bound', { a: [{ numeric: ['>=', 0] }] }, { a: 0 }, true],
    ['numeric in a range', { a: [{ numeric: ['>', 0, '<=', 5] }] }, { a: 5 }, true],
    ['numeric past a range', { a: [{ numeric: ['>', 0, '<=', 5] }] }, { a: 5.5 }, false],
    ['numeric to six decimals, as Lambda compares', { a: [{ numeric: ['=', 0.1] }] }, { a: 0.1000001 }, true],
    ['numeric on a value past ±5e9', { a: [{ numeric: ['>', 0] }] }, { a: 6e9 }, false],
    ['numeric on text', { a: [{ numeric: ['>', 0] }] }, { a: '42' }, false],
    ['exists on a present field', { a: [{ exists: true }] }, { a: 'x' }, true],
    ['exists on an absent field', { a: [{ exists: true }] }, {}, false],
    ['exists false on an absent field', { a: [{ exists: false }] }, {}, true],
    ['exists false on a present field', { a: [{ exists: false }] }, { a: 0 }, false],
    ['exists on a mapping (not a leaf)', { a: [{ exists: true }] }, { a: { b: 1 } }, false],
    ['exists false on a mapping (no leaf there, as AWS recorded)', { a: [{ exists: false }] }, { a: { b: 1 } }, true],
    ['exists false on an empty list', { a: [{ exists: false }] }, { a: [] }, true],
    ['a value in a list', { a: ['x'] }, { a: ['w', 'x'] }, true],
    ['a value not in a list', { a: ['x'] }, { a: ['w', 'y'] }, false],
    ['a value in nested lists', { a: ['x'] }, { a: [['w'], ['x']] }, true],
    ['fields of one element of a list', { e: { first: ['Anna'], last: ['Smith'] } }, { e: [{ first: 'John', last: 'Doe' }, { first: 'Anna', last: 'Smith' }] }, true],
    ['fields of different elements of a list', { e: { first: ['Anna'], last: ['Jones'] } }, { e: [{ first: 'Anna', last: 'Smith' }, { first: 'Peter', last: 'Jones' }] }, false],
    ['every field (AND)', { a: ['x'], b: ['y'] }, { a: 'x', b: 'y' }, true],
    ['every field, one failing', { a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }, false],
    ['nested fields', { a: { b: { c: ['x'] } } }, { a: { b: { c: 'x' } } }, true],
    ['nested fields under a leaf', { a: { b: ['x'] } }, { a: 'x' }, false],
    ['nested absence under a leaf', { a: { b: [{ exists: false }] } }, { a: 'x' }, true],
    ['$or, second alternative', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: 'y' }, true],
    ['$or, neither', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { a: 'y', b: 'x' }, false],
    ['$or beside a field (AND)', { c: ['z'], $or: [{ a: ['x'] }, { b: ['y'] }] }, { a: 'x', c: 'w' }, false],
    ['$or nested', { d: { $or: [{ a: ['x'] }, { b: ['y'] }] } }, { d: { b: 'y' } }, true],
  ] as [string, FilterPattern, unknown, boolean][])('%s', (_name, pattern, record, expected) => {
    expect(matchesFilterPattern(pattern, record)).toBe(expected);
  });

  it('matches a stream record as Lambda delivers it (images marshalled)', () => {
    expect(matchesFilterPattern({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { status: { S: ['paid'] }, total: { N: [{ prefix: '12' }] } } } }, order)).toBe(true);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { status: ['paid'] } } }, order)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 0] }] } } } }, order)).toBe(false);
    expect(matchesFilterPattern({ dynamodb: { SizeBytes: [{ numeric: ['>', 0] }] } }, order)).toBe(true);
  });

  it('delivers a record matching any filter; with no filters, every record', () => {
    const filters: FilterPattern[] = [{ eventName: ['REMOVE'] }, { dynamodb: { NewImage: { status: { S: ['paid'] } } } }];
    expect(matchesAnyFilter(filters, order)).toBe(true);
    expect(matchesAnyFilter(filters.slice(0, 1), order)).toBe(false);
    expect(matchesAnyFilter([], order)).toBe(true);
  });
});
