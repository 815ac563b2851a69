import { describe, expect, it } from 'vitest';
import { overlappingNotifications } from '../../../shared/workbench/deploy/bucket-events.ts';
import { functionSettings } from '../../../shared/workbench/deploy/function-settings.ts';
import { pipelineStatements } from '../../../shared/workbench/deploy/iam-statements.ts';
import { toDeclaredNames } from '../../../shared/engine/lambda/name-mapping.ts';
import { awsResourceNames } from '../../../shared/workbench/deploy/resource-names.ts';
import { parsePipeline } from '../../../shared/engine/pipeline/load.ts';
import type { Pipeline } from '../../../shared/engine/pipeline/schema.ts';
import { builtInHandlers } from '../../../shared/workbench/project/built-in-handlers.ts';

function pipeline(text: string): Pipeline {
  const parsed = parsePipeline(text, 'p.yml', builtInHandlers);
  if (!parsed.pipeline) throw new Error(parsed.issues.map((issue) => issue.message).join('\n'));
  return parsed.pipeline;
}

const thumbs = (lambda = '') =>
  pipeline(`name: thumbs\non: { bucket: uploads, prefix: images/, suffix: [.jpg, .png] }\nsteps: [{ resize: { variants: [{ name: a, width: 10 }] } }]\nto: { bucket: media }\nonError: { quarantine: { bucket: quarantine } }\n${lambda}`);

describe('function settings', () => {
  it("take the pipeline's own, else the largest its handlers ask for", () => {
    expect(functionSettings(thumbs())).toMatchObject({ architecture: 'arm64', from: { memorySize: 'handlers', timeout: 'handlers', architecture: 'default' } });
    expect(functionSettings(thumbs('lambda: { memorySize: 3008, architecture: x86_64 }\n'))).toMatchObject({ memorySize: 3008, architecture: 'x86_64', from: { memorySize: 'pipeline', timeout: 'handlers' } });
  });
});

describe('resource names on AWS', () => {
  it('prefix the buckets the stack creates, keep existing ones, and refuse names S3 would refuse', () => {
    const resources = { buckets: { uploads: {}, legacy: { existing: true } }, tables: { orders: { partitionKey: { name: 'id', type: 'S' as const } } } };
    expect(awsResourceNames(resources, { bucketPrefix: 'acme-dev-', tablePrefix: 'sluice-dev-' })).toEqual({
      buckets: { uploads: 'acme-dev-uploads', legacy: 'legacy' },
      tables: { orders: 'sluice-dev-orders' },
    });
    expect(() => awsResourceNames(resources, { bucketPrefix: `${'x'.repeat(60)}-`, tablePrefix: '' })).toThrow(/bucket "uploads" would be created as "x+-uploads" \(68 characters\)/);
  });

  it('turn an event back to the declared names before the pipeline sees it', () => {
    const names = { buckets: { uploads: 'acme-dev-uploads' }, tables: { orders: 'sluice-dev-orders' } };
    const s3 = { Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'acme-dev-uploads', arn: 'arn:aws:s3:::acme-dev-uploads' }, object: { key: 'a.jpg' } } }] };
    expect(toDeclaredNames(s3, names)).toEqual({ Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' }, object: { key: 'a.jpg' } } }] });
    const stream = { Records: [{ eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/sluice-dev-orders/stream/2026-11-29T00:00:00.000' }] };
    expect(toDeclaredNames(stream, names)).toEqual({ Records: [{ eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-11-29T00:00:00.000' }] });
  });
});

describe('bucket triggers S3 can deliver', () => {
  it('finds two pipelines whose rules can match one key for the same event', () => {
    const other = pipeline('name: other\non: { bucket: uploads, prefix: images/raw/, suffix: .jpg }\nsteps: [{ resize: { variants: [{ name: a, width: 10 }] } }]\nto: { bucket: media, key: "x/{name}" }\nonError: { quarantine: { bucket: quarantine } }\n');
    expect(overlappingNotifications([thumbs(), other])).toEqual([
      'bucket uploads: thumbs (prefix "images/", suffix ".jpg") and other (prefix "images/raw/", suffix ".jpg") can both match one key for s3:ObjectCreated:*, which S3 refuses; make their prefixes or suffixes disjoint',
    ]);
    expect(overlappingNotifications([thumbs()])).toEqual([]);
  });
});

describe('the role of a pipeline that takes removed events', () => {
  it('may delete its outputs, and the record of a removed source in the quarantine, and nothing else there', () => {
    const removing = pipeline('name: thumbs\non: { bucket: uploads, events: [created, removed], prefix: images/, suffix: [.jpg] }\nsteps: [{ resize: { variants: [{ name: a, width: 10 }] } }]\nto: { bucket: media, key: "{dir}/{stem}/{variant}.{ext}" }\nonError: { quarantine: { bucket: quarantine, prefix: failed/ } }\n');
    const statements = pipelineStatements(removing, { buckets: { uploads: 'acme-uploads', media: 'acme-media', quarantine: 'acme-quarantine' }, tables: {} });
    const deleting = statements.filter((statement) => statement.Action.includes('s3:DeleteObject'));
    const arn = (resource: unknown) => ((resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'aws')).join(''));
    expect(deleting.map((statement) => [statement.Sid, statement.Resource.map(arn)])).toEqual([
      ['WriteOutputs', ['arn:aws:s3:::acme-media/images*']],
      ['ForgetRemovedSources', ['arn:aws:s3:::acme-quarantine/failed/thumbs/uploads/images/*.summary.json']],
    ]);
    expect(pipelineStatements(thumbs(), { buckets: {}, tables: {} }).some((statement) => statement.Action.includes('s3:DeleteObject'))).toBe(false);
  });
});
