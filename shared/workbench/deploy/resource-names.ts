import type { Resources } from '../../engine/pipeline/resources.ts';
import type { ResourceNames } from '../../engine/lambda/name-mapping.ts';
import { DeployError } from './deploy-error.ts';

/** How the stack names what resources.yml declares (see ResourceNames). */
export interface NamePrefixes {
  /** Put before every bucket the stack creates (not before `existing` ones). */
  bucketPrefix: string;
  tablePrefix: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** The AWS name of every declared bucket and table; every name S3 or DynamoDB would refuse is reported at once. */
export function awsResourceNames(resources: Resources, prefixes: NamePrefixes): ResourceNames {
  const problems: string[] = [];
  const buckets: Record<string, string> = {};
  for (const [name, bucket] of Object.entries(resources.buckets)) {
    const aws = bucket.existing ? name : `${prefixes.bucketPrefix}${name}`;
    if (!BUCKET_NAME.test(aws) || aws.includes('..')) {
      problems.push(`bucket "${name}" would be created as "${aws}" (${aws.length} characters), which S3 refuses: 3-63 lowercase letters, digits, dots or hyphens; shorten the bucket prefix or the name`);
    }
    buckets[name] = aws;
  }
  const tables: Record<string, string> = {};
  for (const name of Object.keys(resources.tables)) {
    const aws = `${prefixes.tablePrefix}${name}`;
    if (!TABLE_NAME.test(aws)) problems.push(`table "${name}" would be created as "${aws}", which DynamoDB refuses: 3-255 letters, digits, "_", "-" or "."`);
    tables[name] = aws;
  }
  if (problems.length) throw new DeployError('DEPLOY_NAME_INVALID', `Cannot name the resources on AWS:\n${problems.join('\n')}`);
  return { buckets, tables };
}

/** Only the names `used` lists: a function is told about what it touches, nothing more. */
export function pickResourceNames(names: ResourceNames, used: { buckets: Iterable<string>; tables: Iterable<string> }): ResourceNames {
  const pick = (all: Record<string, string>, keys: Iterable<string>) => Object.fromEntries([...new Set(keys)].sort().map((key) => [key, all[key] ?? key]));
  return { buckets: pick(names.buckets, used.buckets), tables: pick(names.tables, used.tables) };
}
