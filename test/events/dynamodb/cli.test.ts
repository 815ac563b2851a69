import { describe, expect, it } from 'vitest';
import { normalizeDynamoDBStreamEvent } from '../../../events/dynamodb/normalize.ts';
import { runSluice } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

const generate = (...args: string[]) => runSluice(['events', 'generate', 'dynamodb', ...args], repoRoot);

describe('sluice events generate dynamodb', () => {
  it('prints a stream event as Lambda delivers it: images marshalled and filtered by the view type', async () => {
    const { code, stdout, stderr } = await generate(
      '--table', 'orders', '--event-name', 'modify', '--keys', '{"id": "o-1"}',
      '--new-image', '{"id": "o-1", "status": "paid", "total": 12.5}', '--old-image', '{"id": "o-1", "status": "placed"}',
      '--view-type', 'NEW_IMAGE', '--region', 'eu-west-1', '--sequence-number', '4421584500000000017450439091', '--time', '2024-05-06T07:08:09Z',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const event = JSON.parse(stdout);
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventName: 'MODIFY',
      awsRegion: 'eu-west-1',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000',
      dynamodb: {
        ApproximateCreationDateTime: 1714979289,
        Keys: { id: { S: 'o-1' } },
        NewImage: { id: { S: 'o-1' }, status: { S: 'paid' }, total: { N: '12.5' } },
        SequenceNumber: '4421584500000000017450439091',
        // Keys 5, new image 5 + 10 + 8.
        SizeBytes: 28,
        StreamViewType: 'NEW_IMAGE',
      },
    });
    expect(event.Records[0].dynamodb).not.toHaveProperty('OldImage');
    expect(normalizeDynamoDBStreamEvent(event)[0]).toMatchObject({ table: 'orders', keys: { id: 'o-1' }, newImage: { status: 'paid', total: 12.5 } });
  });

  it('marks a deletion by Time to Live', async () => {
    const { code, stdout } = await generate('--table', 'sessions', '--event-name', 'REMOVE', '--keys', '{"token": "t1"}', '--ttl');
    expect(code).toBe(0);
    const [record] = JSON.parse(stdout).Records;
    expect(record.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(record.dynamodb.OldImage).toEqual({ token: { S: 't1' } });
  });

  it.each([
    [['--table', 'orders', '--keys', '{"id": "o-1"}'], 'missing --event-name; see sluice events generate dynamodb --help'],
    // What JSON.parse found is the runtime's own words (Node 24 adds the line and column): said, not asserted.
    [['--table', 'orders', '--event-name', 'INSERT', '--keys', '{id: 1}'], /^--keys: expected the attributes as JSON, such as '\{"id": "order-1"\}', found "\{id: 1\}" \(\S.*\)$/],
    [['--table', 'orders', '--event-name', 'REMOVE', '--keys', '{"id": "o-1"}', '--new-image', '{"id": "o-1"}'], '--new-image: a REMOVE has no new image: the item is gone'],
    [
      ['--table', 'orders', '--event-name', 'UPDATE', '--keys', '{"id": 1}', '--old-image', '{"id": 2}', '--view-type', 'ALL'],
      '--event-name: expected one of INSERT, MODIFY, REMOVE, found "UPDATE" (string); --view-type: expected one of NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE, KEYS_ONLY, found "ALL" (string); --old-image: id: expected the key\'s value, 1 (number), found 2 (number)',
    ],
  ] as [string[], string | RegExp][])('refuses bad options on one line: %j', async (args, message) => {
    const { code, stdout, stderr } = await generate(...args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.startsWith('sluice: ') && stderr.endsWith('\n') && !stderr.slice(0, -1).includes('\n')).toBe(true);
    if (typeof message === 'string') expect(stderr).toBe(`sluice: ${message}\n`);
    else expect(stderr.slice('sluice: '.length, -1)).toMatch(message);
  });
});
