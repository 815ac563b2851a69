import { join } from 'node:path';
import type { CliResult } from '../support/cli.ts';
import { runNodeScript } from '../support/cli.ts';
import { repoRoot } from '../support/paths.ts';

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
