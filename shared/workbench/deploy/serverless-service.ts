import { join, relative } from 'node:path';
import type { Project } from '../project/load-project.ts';
import { ConfigError } from '../../contract/errors.ts';
import { loadProject } from '../project/load-project.ts';
import { formatPreflightIssue, preflightIssues } from '../checks/preflight.ts';
import type { CfnValue } from './iam-statements.ts';
import { packageFunction, prepareLocalFunction } from './package-functions.ts';
import type { GeneratedService } from './service-config.ts';
import { bucketLogicalId, generateService, normalizedFunctionName } from './service-config.ts';

/** What the plugin reads of the framework's object; osls (Serverless Framework v3) has these. */
export interface Serverless {
  serviceDir: string;
  service: {
    service: string;
    custom?: { sluice?: SluiceSettings };
    provider: { compiledCloudFormationTemplate?: { Resources: Record<string, { Type: string; DependsOn?: string | string[]; Properties: Record<string, unknown> }> } };
    functions: Record<string, { handler: string }>;
  };
  getProvider(name: 'aws'): { getStage(): string };
  extendConfiguration(path: string[], value: unknown): void;
}

/** `custom.sluice` in serverless.yml. */
export interface SluiceSettings {
  /** The folder with the pipelines and resources.yml. Default `pipelines`. */
  pipelines?: string;
  bucketPrefix?: string;
  tablePrefix?: string;
  environment?: Record<string, Record<string, string>>;
}

export interface Log {
  notice(message: string): void;
  info(message: string): void;
}

const ARTIFACT_DIR = '.serverless/sluice';

/**
 * The plugin's work, called by serverless-plugin.cjs. At load: the project is read through the
 * same loader as `sluice run` (so every project check runs, and a broken project stops the
 * framework with file:line:column messages), and functions, buckets, tables and roles are added
 * to the service. When packaging: each function is bundled and zipped.
 */
export class SluiceDeployment {
  readonly project: Project;
  readonly generated: GeneratedService;
  private readonly serverless: Serverless;

  private constructor(serverless: Serverless, project: Project, generated: GeneratedService) {
    this.serverless = serverless;
    this.project = project;
    this.generated = generated;
  }

  static async load(serverless: Serverless): Promise<SluiceDeployment> {
    const settings = serverless.service.custom?.sluice ?? {};
    const root = serverless.serviceDir;
    // The built-in handlers and the project's own (handlers/, module steps), found from the service folder.
    const project = await loadProject(join(root, settings.pipelines ?? 'pipelines'), undefined, root, root);
    // The pre-flight checks of `sluice validate`: an error (too little memory for the images a step
    // accepts) stops packaging; a warning (a setting whose default differs between tools) is shown.
    const preflight = preflightIssues(project);
    for (const warning of preflight.filter((issue) => issue.severity === 'warning')) console.error(formatPreflightIssue(warning));
    const errors = preflight.filter((issue) => issue.severity === 'error');
    if (errors.length) throw new ConfigError(errors);
    const stage = serverless.getProvider('aws').getStage();
    const service = serverless.service.service;
    const generated = generateService(project, {
      service,
      stage,
      bucketPrefix: settings.bucketPrefix ?? `${service}-${stage}-`,
      tablePrefix: settings.tablePrefix ?? `${service}-${stage}-`,
      artifactDir: ARTIFACT_DIR,
      ...(settings.environment ? { environment: settings.environment } : {}),
    });
    for (const [key, config] of Object.entries(generated.functions)) {
      if (serverless.service.functions?.[key]) throw new Error(`serverless.yml defines a function "${key}", which is the name of a pipeline: pipelines' functions are generated, remove it`);
      serverless.extendConfiguration(['functions', key], config);
    }
    for (const [key, bucket] of Object.entries(generated.providerS3)) serverless.extendConfiguration(['provider', 's3', key], bucket);
    for (const [id, resource] of Object.entries(generated.resources)) serverless.extendConfiguration(['resources', 'Resources', id], resource);
    for (const [id, output] of Object.entries(generated.outputs)) serverless.extendConfiguration(['resources', 'Outputs', id], output);
    return new SluiceDeployment(serverless, project, generated);
  }

  private packageOptions() {
    const root = this.serverless.serviceDir;
    const cacheDir = join(root, 'node_modules', '.cache', 'sluice-deploy');
    return { projectRoot: root, buildDir: join(cacheDir, 'build'), cacheDir };
  }

  /** Bundles and zips the functions (`only`: one of them, for `serverless deploy function`). */
  async packageFunctions(log: Log, only?: string): Promise<void> {
    const options = this.packageOptions();
    for (const pipeline of this.project.pipelines) {
      if (only && pipeline.name !== only) continue;
      const zip = join(this.serverless.serviceDir, this.generated.functions[pipeline.name]!.package.artifact);
      const packaged = await packageFunction(pipeline, zip, options);
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
      log.info(`sluice: ${pipeline.name}: bundle ${kib(packaged.bundle.bytes)}, zip ${kib(packaged.zipBytes)}${packaged.native.length ? `, with ${packaged.native.join(', ')}` : ''} → ${relative(this.serverless.serviceDir, zip)}`);
    }
  }

  /**
   * The S3 on-failure destination on each table trigger's event source mapping (Lambda accepts S3
   * for DynamoDB streams; serverless.yml's schema still lists only SQS and SNS), created after the
   * bucket it writes to.
   */
  setOnFailureDestinations(): void {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate?.Resources ?? {};
    for (const [key, destination] of Object.entries(this.generated.onFailure)) {
      const functionId = `${normalizedFunctionName(key)}LambdaFunction`;
      for (const resource of Object.values(resources)) {
        if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
        const target = (resource.Properties.FunctionName as { 'Fn::GetAtt'?: CfnValue[] })?.['Fn::GetAtt']?.[0];
        if (target !== functionId) continue;
        resource.Properties.DestinationConfig = { OnFailure: { Destination: destination } };
        const quarantine = this.project.pipelines.find((pipeline) => pipeline.name === key)!.onError.quarantine.bucket;
        if (!this.project.resources.buckets[quarantine]?.existing) {
          const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
          resource.DependsOn = [...new Set([...dependsOn, bucketLogicalId(quarantine)])];
        }
      }
    }
  }

  /** Points `serverless invoke local -f KEY` at a local build of the function's bundle. */
  async prepareInvokeLocal(key: string): Promise<void> {
    const pipeline = this.project.pipelines.find((candidate) => candidate.name === key);
    const fn = this.serverless.service.functions[key];
    if (!pipeline || !fn) return;
    const { dir, handler } = await prepareLocalFunction(pipeline, this.packageOptions());
    fn.handler = `${relative(this.serverless.serviceDir, dir).split(/[\\/]/).join('/')}/${handler}`;
    process.env.LAMBDA_TASK_ROOT = dir;
  }
}
