import { describe, expect, it } from 'vitest';
import { buildDynamoDBStreamRecord } from '../../../events/dynamodb/generate.ts';
import type { DynamoDBStreamRecordInput } from '../../../events/dynamodb/generate.ts';
import type { FilterPattern } from '../../../shared/engine/pipeline/filter-pattern.ts';
import { filterPatternSpec, matchesFilterPattern } from '../../../shared/engine/pipeline/filter-pattern.ts';
import { listCorpusFiles, loadCorpusEvent, readCorpusJson } from '../../events/s3/corpus.ts';
import { extractRecordedPayloads } from '../../events/dynamodb/localstack-snapshots.ts';

/**
 * Filters against real DynamoDB stream records. First LocalStack's event-filtering test, recorded
 * against AWS: for each filter, the records AWS delivered match it, and the items the test wrote
 * that AWS did not deliver (rebuilt here from the test's source, tests/aws/services/lambda_/
 * event_source_mapping/test_lambda_integration_dynamodbstreams.py) do not. Then every stream
 * record of the corpus through a few patterns.
 */

type Json = Record<string, unknown>;
const SNAPSHOT = 'localstack-recorded-snapshots/test_lambda_integration_dynamodbstreams.snapshot.json';
const recording = readCorpusJson(SNAPSHOT) as Record<string, { 'recorded-content': Json }>;

function recordedCase(name: string): { pattern: unknown; delivered: unknown[] } {
  const [, content] = Object.entries(recording).find(([id]) => id.endsWith(`test_dynamodb_event_filter[${name}]`)) ?? [];
  if (!content) throw new Error(`no recording of ${name}`);
  const mapping = content['recorded-content'].create_event_source_mapping_response as { FilterCriteria: { Filters: { Pattern: unknown }[] } };
  const delivered = extractRecordedPayloads({ [name]: { 'recorded-content': { events: content['recorded-content']['lambda-multiple-log-events'] } } as never })
    .flatMap(({ payload }) => (payload as { Records: unknown[] }).Records);
  return { pattern: mapping.FilterCriteria.Filters[0]?.Pattern, delivered };
}

const written = (input: Omit<DynamoDBStreamRecordInput, 'table' | 'eventName'> & { eventName?: DynamoDBStreamRecordInput['eventName'] }) =>
  buildDynamoDBStreamRecord({ table: 'test-table', eventName: 'INSERT', ...input });

interface AwsCase {
  /** Items the test wrote that AWS did not deliver, as the records their writes made. */
  skipped: unknown[];
  /** Sluice's verdict on the pattern itself: undefined when accepted, else the first problem. */
  refused?: string;
  /** The snapshot redacts this pattern; it is the test's source. */
  pattern?: FilterPattern;
}

const awsCases: Record<string, AwsCase> = {
  insert_same_entry_twice: { skipped: [] },
  content_or_filter: { skipped: [] },
  content_multiple_filters: { skipped: [written({ eventName: 'MODIFY', keys: { id: 'id_value' }, newImage: { id: 'id_value', id2: 'id2_new_value' }, oldImage: { id: 'id_value' } })] },
  content_filter_type: { skipped: [written({ keys: { id: 'id_value_2' } })] },
  exists_filter_type: { skipped: [written({ keys: { id: 'id_value_2' } })] },
  // AWS delivered both items: presentKey holds { "S": ... }, not a leaf, so nothing is at that path.
  exists_false_filter: { skipped: [], refused: 'dynamodb.NewImage.presentKey: expected the attribute\'s type and its matchers' },
  // 101 > 100, yet AWS did not deliver it: numeric matching does not see the text "101" as a number.
  numeric_filter: {
    skipped: [written({ keys: { id: 'id_value_2' }, newImage: { id: 'id_value_2', numericFilter: 101 } })],
    refused: 'dynamodb.NewImage.numericFilter.N[0]: numeric never matches a DynamoDB number',
  },
  prefix_filter: { skipped: [written({ eventName: 'MODIFY', keys: { id: 'id_value_1' }, newImage: { id: 'id_value_1', prefix: 'other-suffix' }, oldImage: { id: 'id_value_1', prefix: 'us-1-other-suffix' } })] },
  date_time_conversion: { skipped: [], pattern: { dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } } },
};

function firstProblem(pattern: unknown): string | undefined {
  const result = filterPatternSpec.safeParse(pattern);
  const [issue] = result.success ? [] : result.error.issues;
  return issue && `${issue.path.join('.').replace(/\.(\d+)/g, '[$1]')}: ${issue.message}`;
}

describe('filters as AWS applied them (LocalStack recording of test_dynamodb_event_filter)', () => {
  it('covers every filter case of the recording', () => {
    const recorded = Object.keys(recording).map((id) => /test_dynamodb_event_filter\[(.+)\]$/.exec(id)?.[1]).filter(Boolean);
    expect(recorded.sort()).toEqual(Object.keys(awsCases).sort());
  });

  describe.each(Object.entries(awsCases))('%s', (name, awsCase) => {
    const recorded = recordedCase(name);
    const pattern = (awsCase.pattern ?? recorded.pattern) as FilterPattern;

    it('matches every record AWS delivered, and none it skipped', () => {
      expect(recorded.delivered.length).toBeGreaterThan(0);
      for (const record of recorded.delivered) expect(matchesFilterPattern(pattern, record)).toBe(true);
      for (const record of awsCase.skipped) expect(matchesFilterPattern(pattern, record)).toBe(false);
    });

    it(awsCase.refused ? 'is refused by Sluice: it does not do what it says' : 'is accepted by Sluice', () => {
      const problem = firstProblem(pattern);
      if (awsCase.refused) expect(problem?.startsWith(awsCase.refused)).toBe(true);
      else expect(problem).toBeUndefined();
    });
  });
});

const corpusRecords: [string, unknown][] = listCorpusFiles()
  .filter((file) => !file.startsWith('localstack-recorded-snapshots/'))
  .flatMap((file) => {
    let event: { Records?: { eventSource?: unknown }[] };
    try {
      event = loadCorpusEvent(file) as typeof event;
    } catch {
      return [];
    }
    if (!Array.isArray(event.Records) || event.Records[0]?.eventSource !== 'aws:dynamodb') return [];
    return event.Records.map((record, index) => [`${file}#${index}`, record] as [string, unknown]);
  });

const captures = (...names: string[]) => names.map((name) => `ankcorn-dynamodb-streams-test-captures/${name}.json#0`);
const SAMPLES_OF_101 = [
  'aws-lambda-go/dynamodb-time-window-event.json',
  'aws-lambda-java-libs/ddb/dynamo_event.json',
  'aws-lambda-java-libs/ddb/dynamo_event_roundtrip.json',
  'aws-lambda-java-libs/ddb/dynamo_time_window_event.json',
  'aws-sam-cli/templates/DynamoDBUpdate.json',
  'powertools-lambda-typescript/commons-samples-legacy/dynamodb-update-2.json',
  'powertools-lambda-typescript/commons-samples-legacy/dynamodb-update.json',
  'powertools-lambda-typescript/examples/exampleDynamoDBStreamPayload.json',
  'powertools-lambda-typescript/parser-tests-events/dynamodb/base.json',
];
const at = (index: number, files: string[]) => files.map((file) => `${file}#${index}`);
const without = (files: string[], ...left: string[]) => files.filter((file) => !left.some((name) => file.includes(name)));

describe('filters over every stream record of the corpus', () => {
  it('reads 40 records', () => {
    expect(corpusRecords).toHaveLength(40);
  });

  it.each([
    ['deletions', { eventName: ['REMOVE'] }, [
      ...captures('KEYS_ONLY_REMOVE', 'NEW_AND_OLD_IMAGES_REMOVE', 'NEW_IMAGE_REMOVE', 'OLD_IMAGE_REMOVE'),
      ...at(2, without(SAMPLES_OF_101, 'dynamo_time_window', 'exampleDynamoDB', 'dynamodb/base')),
    ]],
    ['deletions by TTL (samples put userIdentity on an INSERT)', { userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }, [
      'aws-lambda-go/dynamodb-event.json#0', 'aws-lambda-java-libs/ddb/dynamo_event.json#0', 'aws-lambda-java-libs/ddb/dynamo_event_roundtrip.json#0',
    ]],
    ['a view type', { dynamodb: { StreamViewType: ['KEYS_ONLY'] } }, captures('KEYS_ONLY_INSERT', 'KEYS_ONLY_MODIFY', 'KEYS_ONLY_REMOVE')],
    ['a new value', { dynamodb: { NewImage: { data: { S: ['hello'] } } } }, captures('NEW_AND_OLD_IMAGES_MODIFY', 'NEW_IMAGE_MODIFY')],
    ['a change from a value (AND)', { eventName: ['MODIFY'], dynamodb: { OldImage: { Message: { S: [{ prefix: 'New' }] } } } }, at(1, SAMPLES_OF_101)],
    ['record size, a JSON number', { dynamodb: { SizeBytes: [{ numeric: ['>', 50] }] } }, ['aws-lambda-go/dynamodb-event.json#0', 'aws-lambda-go/dynamodb-event.json#1', ...at(1, SAMPLES_OF_101)]],
    ['an element of a list', { dynamodb: { NewImage: { List: { L: { N: ['3.14159'] } } } } }, ['aws-lambda-go/dynamodb-event.json#1']],
    ['a set member and a key ignoring case', { dynamodb: { NewImage: { StringSet: { SS: ['Zebra'] } }, Keys: { key: { S: [{ 'equals-ignore-case': 'BINARY' }] } } } }, ['aws-lambda-go/dynamodb-event.json#1']],
    ['either of two shapes ($or)', { $or: [
      { dynamodb: { Keys: { pk: { S: ['a'] } }, NewImage: { data: { S: [{ exists: true }] } } } },
      { dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>=', 1600000000] }], Keys: { Id: { N: ['101'] } } } },
    ] }, [
      ...captures('NEW_AND_OLD_IMAGES_INSERT', 'NEW_AND_OLD_IMAGES_MODIFY', 'NEW_IMAGE_INSERT', 'NEW_IMAGE_MODIFY'),
      'aws-lambda-java-libs/ddb/dynamo_event.json#1', 'aws-lambda-java-libs/ddb/dynamo_event_roundtrip.json#1',
      'powertools-lambda-typescript/examples/exampleDynamoDBStreamPayload.json#0', 'powertools-lambda-typescript/parser-tests-events/dynamodb/base.json#0',
    ]],
  ] as [string, FilterPattern, string[]][])('%s', (_name, pattern, expected) => {
    expect(firstProblem(pattern)).toBeUndefined();
    const matching = corpusRecords.filter(([, record]) => matchesFilterPattern(pattern, record)).map(([where]) => where);
    expect(matching.sort()).toEqual([...expected].sort());
  });
});
