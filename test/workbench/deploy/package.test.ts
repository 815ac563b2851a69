import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionSettings } from '../../../shared/workbench/deploy/function-settings.ts';
import { loadProject } from '../../../shared/workbench/project/load-project.ts';
import type { Project } from '../../../shared/workbench/project/load-project.ts';
import { repoRoot } from '../../support/paths.ts';
import { runServerless } from './run-serverless.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a CloudFormation template: any shape, asserted field by field
type Resource = { Type: string; DependsOn?: string[]; Properties: Record<string, any> };
type Statement = { Sid: string; Effect: string; Action: string[]; Resource: unknown[] };

/** An ARN as the template builds it, with the partition shown as `aws`. */
function show(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : (part as { Ref?: string }).Ref === 'AWS::Partition' ? 'aws' : show(part))).join(join[0]);
  const sub = (value as { 'Fn::Sub'?: string })['Fn::Sub'];
  if (sub) return sub.replace('${AWS::Partition}', 'aws');
  const getAtt = (value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
  if (getAtt) return `${getAtt[0]}.${getAtt[1]}`;
  return JSON.stringify(value);
}

function statementsOf(role: Resource): Record<string, { actions: string[]; resources: string[] }> {
  const statements = role.Properties.Policies.flatMap((policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement) as Statement[];
  return Object.fromEntries(statements.map((statement) => [statement.Sid, { actions: [...statement.Action].sort(), resources: statement.Resource.map(show) }]));
}

const run = promisify(execFile);

describe('serverless package of the shipped project', () => {
  let template: { Resources: Record<string, Resource>; Outputs: Record<string, { Value: unknown }> };
  let resources: Record<string, Resource>;
  let project: Project;
  let out: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'sluice-package-'));
    const result = await runServerless(['package', '--stage', 'test', '--region', 'eu-west-1', '--package', out], repoRoot);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    resources = template.Resources;
    project = await loadProject(join(repoRoot, 'pipelines'), undefined, repoRoot);
  }, 240_000);

  it('has one function per pipeline, with its settings, entry and pipeline file', () => {
    const functions = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(['OrdersDashingestLambdaFunction', 'RevenueLambdaFunction', 'ThumbnailsLambdaFunction']);
    for (const pipeline of project.pipelines) {
      const id = `${pipeline.name.replace(/-/g, 'Dash').replace(/^./, (c) => c.toUpperCase())}LambdaFunction`;
      const settings = functionSettings(pipeline);
      expect(resources[id]!.Properties).toMatchObject({
        FunctionName: `sluice-test-${pipeline.name}`,
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        MemorySize: settings.memorySize,
        Timeout: settings.timeout,
        Architectures: ['arm64'],
        Environment: { Variables: { SLUICE_PIPELINE_FILE: `pipelines/${pipeline.name}.yml` } },
      });
    }
    // Handlers' defaults: resize needs more memory than sanitize, sanitize more than aggregate.
    expect(resources.ThumbnailsLambdaFunction!.Properties.MemorySize).toBeGreaterThan(resources.OrdersDashingestLambdaFunction!.Properties.MemorySize);
    expect(resources.OrdersDashingestLambdaFunction!.Properties.MemorySize).toBeGreaterThan(resources.RevenueLambdaFunction!.Properties.MemorySize);
    expect(JSON.parse(resources.ThumbnailsLambdaFunction!.Properties.Environment.Variables.SLUICE_RESOURCE_NAMES)).toEqual({
      buckets: { media: 'sluice-test-media', quarantine: 'sluice-test-quarantine', uploads: 'sluice-test-uploads' },
      tables: {},
    });
    expect(JSON.parse(resources.RevenueLambdaFunction!.Properties.Environment.Variables.SLUICE_RESOURCE_NAMES)).toEqual({
      buckets: { quarantine: 'sluice-test-quarantine' },
      tables: { orders: 'sluice-test-orders', revenue: 'sluice-test-revenue' },
    });
  });

  it('creates every declared bucket, private, and the uploads bucket notifies each pipeline for each suffix', () => {
    const buckets = Object.values(resources).filter((resource) => resource.Type === 'AWS::S3::Bucket' && resource.Properties.BucketName);
    expect(buckets.map((bucket) => bucket.Properties.BucketName).sort()).toEqual(['sluice-test-media', 'sluice-test-quarantine', 'sluice-test-uploads']);
    for (const bucket of buckets) expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });

    const uploads = resources.S3BucketUploads!;
    const configurations = uploads.Properties.NotificationConfiguration.LambdaConfigurations as { Event: string; Function: unknown; Filter: { S3Key: { Rules: { Name: string; Value: string }[] } } }[];
    const shown = configurations.map((c) => `${show(c.Function)} ${c.Event} ${c.Filter.S3Key.Rules.map((rule) => `${rule.Name}=${rule.Value}`).join(' ')}`).sort();
    const thumbnails = ['.jpg', '.jpeg', '.png', '.webp', '.JPG', '.JPEG', '.PNG', '.WEBP'].map((suffix) => `ThumbnailsLambdaFunction.Arn s3:ObjectCreated:* prefix=images/ suffix=${suffix}`);
    expect(shown).toEqual([...thumbnails, 'OrdersDashingestLambdaFunction.Arn s3:ObjectCreated:* prefix=orders/ suffix=.csv'].sort());
    expect([...new Set(uploads.DependsOn)].sort()).toEqual(['OrdersDashingestLambdaPermissionUploadsS3', 'ThumbnailsLambdaPermissionUploadsS3']);
    for (const id of ['OrdersDashingestLambdaPermissionUploadsS3', 'ThumbnailsLambdaPermissionUploadsS3']) {
      expect(resources[id]!.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' });
      expect(show(resources[id]!.Properties.SourceArn)).toBe('arn:aws:s3:::sluice-test-uploads');
    }
    // Lambda's own retry policy for S3's asynchronous invocations, written out.
    expect(resources.ThumbnailsLambdaEvConf!.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 });
  });

  it('creates the tables on demand, with the declared keys and streams', () => {
    expect(resources.DynamoDbTableOrders!.Properties).toEqual({
      TableName: 'sluice-test-orders',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'order_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(resources.DynamoDbTableRevenue!.Properties).toEqual({
      TableName: 'sluice-test-revenue',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'currency', AttributeType: 'S' },
        { AttributeName: 'day', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'currency', KeyType: 'HASH' },
        { AttributeName: 'day', KeyType: 'RANGE' },
      ],
    });
  });

  it("maps the orders stream to revenue with every setting written out, Lambda's defaults included", () => {
    const mappings = Object.values(resources).filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]!;
    expect(mapping.Properties).toEqual({
      Enabled: true,
      EventSourceArn: { 'Fn::GetAtt': ['DynamoDbTableOrders', 'StreamArn'] },
      FunctionName: { 'Fn::GetAtt': ['RevenueLambdaFunction', 'Arn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
    expect(show(mapping.Properties.DestinationConfig.OnFailure.Destination)).toBe('arn:aws:s3:::sluice-test-quarantine');
    expect(mapping.DependsOn?.sort()).toEqual(['RevenueIamRoleLambdaExecution', 'S3BucketQuarantine']);
  });

  it('gives each function its own role, with exactly what its pipeline reads and writes', () => {
    expect(resources.ThumbnailsLambdaFunction!.Properties.Role).toEqual({ 'Fn::GetAtt': ['ThumbnailsIamRoleLambdaExecution', 'Arn'] });
    expect(resources.IamRoleLambdaExecution).toBeUndefined(); // no role shared by every function
    const logs = (name: string) => ({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`arn:aws:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/sluice-test-${name}:*`] });
    const list = (...buckets: string[]) => ({ actions: ['s3:ListBucket'], resources: buckets.map((bucket) => `arn:aws:s3:::sluice-test-${bucket}`) });

    expect(statementsOf(resources.ThumbnailsIamRoleLambdaExecution!)).toEqual({
      Logs: logs('thumbnails'),
      ReadSource: { actions: ['s3:GetObject'], resources: ['.jpg', '.jpeg', '.png', '.webp', '.JPG', '.JPEG', '.PNG', '.WEBP'].map((suffix) => `arn:aws:s3:::sluice-test-uploads/images/*${suffix}`) },
      WriteOutputs: { actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::sluice-test-media/images*'] },
      Quarantine: { actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::sluice-test-quarantine/thumbnails/uploads/images/*'] },
      ListBuckets: list('media', 'quarantine', 'uploads'),
    });
    expect(statementsOf(resources.OrdersDashingestIamRoleLambdaExecution!)).toEqual({
      Logs: logs('orders-ingest'),
      ReadSource: { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::sluice-test-uploads/orders/*.csv'] },
      WriteTable: { actions: ['dynamodb:BatchWriteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem'], resources: ['DynamoDbTableOrders.Arn'] },
      Quarantine: { actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::sluice-test-quarantine/orders-ingest/uploads/orders/*'] },
      ListBuckets: list('quarantine', 'uploads'),
    });
    expect(statementsOf(resources.RevenueIamRoleLambdaExecution!)).toEqual({
      Logs: logs('revenue'),
      ReadStream: { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'], resources: ['DynamoDbTableOrders.StreamArn'] },
      WriteTable: { actions: ['dynamodb:BatchWriteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem'], resources: ['DynamoDbTableRevenue.Arn'] },
      Quarantine: { actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::sluice-test-quarantine/revenue/orders/*'] },
      OnFailureDestination: { actions: ['s3:PutObject'], resources: ['arn:aws:s3:::sluice-test-quarantine/aws/lambda/*'] },
      ListBuckets: list('quarantine'),
    });
  });

  it('grants no data action on a wildcard resource, in any role of the stack', () => {
    const roles = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThanOrEqual(3);
    for (const [id, role] of roles) {
      for (const statement of (role.Properties.Policies ?? []).flatMap((policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement) as Statement[]) {
        const data = statement.Action.filter((action) => /^(s3|dynamodb):/.test(action));
        if (!data.length) continue;
        for (const resource of [statement.Resource].flat().map(show)) {
          expect(resource, `${id} ${statement.Sid}`).not.toBe('*');
          expect(resource, `${id} ${statement.Sid}`).not.toMatch(/:::\*|:table\/\*|^arn:aws:s3:::[^/]*\*$/);
        }
      }
    }
  });

  it('bundles each function on its own: sharp for linux-arm64 only where a step needs it', async () => {
    const list = async (zip: string) => (await run('unzip', ['-Z1', join(out, 'sluice', zip)])).stdout.trim().split('\n').sort();
    const thumbnails = await list('thumbnails.zip');
    expect(thumbnails).toEqual(expect.arrayContaining(['index.mjs', 'pipelines/thumbnails.yml', 'node_modules/sharp/package.json', 'node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64.node']));
    expect(thumbnails.some((file) => /linux-x64|darwin|win32/.test(file))).toBe(false);
    expect(await list('revenue.zip')).toEqual(['index.mjs', 'pipelines/revenue.yml']);
    expect(await list('orders-ingest.zip')).toEqual(['index.mjs', 'pipelines/orders-ingest.yml']);
    expect(Object.values(resources).find((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName === 'sluice-test-thumbnails')!.Properties.Code.S3Key).toMatch(/thumbnails\.zip$/);
  });

  it('stops on a broken project with the same file:line:column messages as sluice validate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-broken-'));
    await mkdir(join(dir, 'pipelines'));
    await writeFile(join(dir, 'sluice-plugin.mjs'), `export { default } from ${JSON.stringify(join(repoRoot, 'shared/workbench/deploy/serverless-plugin.mjs'))};\n`);
    await writeFile(join(dir, 'serverless.yml'), "service: broken\nframeworkVersion: '>=3'\nplugins: [./sluice-plugin.mjs]\nprovider: { name: aws, runtime: nodejs22.x }\n");
    await writeFile(join(dir, 'pipelines', 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    await writeFile(
      join(dir, 'pipelines', 'copy.yml'),
      'name: copy\non: { bucket: uploads, prefix: in/ }\nsteps:\n  - resize: { variants: [{ name: a, width: 10 }] }\nto: { bucket: medai, key: "{key}" }\nonError: { quarantine: { bucket: quarantine } }\n',
    );
    const result = await runServerless(['package'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('pipelines/copy.yml:5:15: to.bucket: bucket "medai" is not declared in pipelines/resources.yml (did you mean "media"?)');
    // A problem of the project, not a crash: the message alone, no stack.
    expect(result.stdout + result.stderr).not.toContain('at loadProject');
  }, 120_000);

  it('stops when a pre-flight check fails: a function too small for the images its step accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-preflight-'));
    await mkdir(join(dir, 'pipelines'));
    await writeFile(join(dir, 'sluice-plugin.mjs'), `export { default } from ${JSON.stringify(join(repoRoot, 'shared/workbench/deploy/serverless-plugin.mjs'))};\n`);
    await writeFile(join(dir, 'serverless.yml'), "service: small\nframeworkVersion: '>=3'\nplugins: [./sluice-plugin.mjs]\nprovider: { name: aws, runtime: nodejs22.x }\n");
    await writeFile(join(dir, 'pipelines', 'resources.yml'), 'buckets: { uploads: {}, media: {}, quarantine: {} }\n');
    await writeFile(
      join(dir, 'pipelines', 'thumbs.yml'),
      'name: thumbs\non: { bucket: uploads, prefix: in/ }\nsteps:\n  - resize: { variants: [{ name: a, width: 10 }], limitInputPixels: 24000000 }\nto: { bucket: media, key: "{key}" }\nonError: { quarantine: { bucket: quarantine } }\nlambda: { memorySize: 256 }\n',
    );
    const result = await runServerless(['package'], dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/pipelines\/thumbs\.yml:\d+:\d+: steps\[0\]\.resize\.limitInputPixels: an image within the step's limits .* more than the function's 256 MB/);
  }, 120_000);
});
