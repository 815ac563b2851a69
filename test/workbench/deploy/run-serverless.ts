import { join } from 'node:path';
import { EMBEDDED_CREDENTIALS } from '../../../shared/workbench/embedded-s3/s3-server.ts';
import type { CliResult } from '../../support/cli.ts';
import { runNodeScript } from '../../support/cli.ts';
import { repoRoot } from '../../support/paths.ts';

const serverlessBin = join(repoRoot, 'node_modules', 'osls', 'bin', 'serverless.js');

/**
 * Runs `serverless ARGS` (osls, the project's pinned dev dependency) in `cwd`, offline: dummy
 * credentials, so nothing needs an AWS account, and no update checks or telemetry.
 */
export function runServerless(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNodeScript(serverlessBin, args, cwd, {
    AWS_ACCESS_KEY_ID: 'AKIDUMMYFORPACKAGING',
    AWS_SECRET_ACCESS_KEY: 'dummy-secret-for-packaging',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    ...env,
  });
}

/**
 * `serverless invoke local --function NAME --stage local --path EVENT_FILE` in `cwd`, against an
 * embedded S3 server at `s3Endpoint`: the function's answer (the JSON it prints), with the result.
 */
export async function invokeLocal(functionName: string, cwd: string, eventFile: string, s3Endpoint: string): Promise<{ result: CliResult; answer: unknown }> {
  const result = await runServerless(['invoke', 'local', '--function', functionName, '--stage', 'local', '--path', eventFile], cwd, {
    AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    SLUICE_LOG_LEVEL: 'silent',
  });
  const { stdout } = result;
  const json = stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1);
  return { result, answer: result.code === 0 && json ? JSON.parse(json) : undefined };
}
