import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DeployError } from './deploy-error.ts';
import type { LambdaArchitecture } from './function-settings.ts';

const run = promisify(execFile);

/** Lambda's names for its architectures, as npm's `--cpu` and sharp's `@img/sharp-linux-*` packages spell them. */
const NPM_CPU: Record<LambdaArchitecture, string> = { arm64: 'arm64', x86_64: 'x64' };

/** What Lambda needs of a package: its code and licence, not its C++ sources, docs or install scripts. */
const LEFT_OUT = new Set(['src', 'install', 'binding.gyp', 'README.md', 'CHANGELOG.md']);

export interface SharpRuntime {
  /** A `node_modules` folder with sharp and its native packages for Lambda's platform (linux, glibc). */
  nodeModules: string;
  version: string;
  cpu: string;
}

/** The sharp version the project runs, which the bundle must get too. */
export async function projectSharpVersion(projectRoot: string): Promise<string> {
  const file = createRequire(join(projectRoot, 'package.json')).resolve('sharp/package.json');
  return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * sharp for Lambda's platform, whatever the build machine: `npm install --os=linux --cpu=<arch>
 * --libc=glibc` of the project's sharp version into a cache folder, with install scripts off
 * (sharp ships prebuilt binaries as the `@img/sharp-linux-*` and `@img/sharp-libvips-linux-*`
 * packages). npm's own cache is tried first, so once fetched it works offline; the folder under
 * `cacheDir` is kept and reused until the version changes.
 */
export async function stageSharpRuntime(options: { projectRoot: string; cacheDir: string; architecture: LambdaArchitecture }): Promise<SharpRuntime> {
  const version = await projectSharpVersion(options.projectRoot);
  const cpu = NPM_CPU[options.architecture];
  const target = join(options.cacheDir, `sharp-${version}-linux-${cpu}`);
  const nodeModules = join(target, 'node_modules');
  if (await exists(join(nodeModules, '@img', `sharp-linux-${cpu}`, 'package.json'))) return { nodeModules, version, cpu };

  const staging = `${target}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const args = ['install', `sharp@${version}`, '--prefix', staging, '--os=linux', `--cpu=${cpu}`, '--libc=glibc', '--ignore-scripts', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--omit=dev'];
  let failure: unknown;
  for (const mode of ['--offline', '--prefer-offline']) {
    try {
      await run('npm', [...args, mode], { cwd: staging, env: { ...process.env, npm_config_loglevel: 'error' } });
      failure = undefined;
      break;
    } catch (error) {
      failure = error;
    }
  }
  if (failure !== undefined || !(await exists(join(staging, 'node_modules', '@img', `sharp-linux-${cpu}`)))) {
    await rm(staging, { recursive: true, force: true });
    const detail = failure instanceof Error ? ((failure as { stderr?: string }).stderr || failure.message).trim().split('\n').slice(-3).join(' ') : 'the platform package was not installed';
    throw new DeployError(
      'DEPLOY_SHARP_UNAVAILABLE',
      `Cannot get sharp ${version} for Lambda's linux-${cpu} (npm install --os=linux --cpu=${cpu} sharp@${version}): ${detail}. ` +
        'It is fetched from the npm registry once, then kept in npm\'s cache and in ' + target + ': run the packaging once with access to the registry.',
      { cause: failure },
    );
  }
  for (const entry of LEFT_OUT) await rm(join(staging, 'node_modules', 'sharp', entry), { recursive: true, force: true });
  await rm(join(staging, 'node_modules', '.bin'), { recursive: true, force: true });
  await rm(join(staging, 'node_modules', '.package-lock.json'), { force: true });
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return { nodeModules, version, cpu };
}
