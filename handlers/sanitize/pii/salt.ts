import { SluiceError } from '../../../shared/contract/errors.ts';

/**
 * The salt of `pii: hash`, from the environment (preferred: it stays out of the repository) or
 * written in the config. Resolved when a file is processed, so a pipeline can be validated on a
 * machine that does not have the secret. Its value never appears in a message.
 */

export const MIN_SALT_LENGTH = 16;

export type SaltSource = string | { env: string };

export class SaltError extends SluiceError {
  override readonly name = 'SaltError';

  constructor(message: string) {
    // Permanent: retrying does not set a variable. The object goes to quarantine, to be replayed once it is set.
    super('SANITIZE_SALT', message, { permanent: true });
  }
}

export function resolveSalt(source: SaltSource, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof source === 'string') return source;
  const value = env[source.env];
  if (value === undefined || value === '') {
    throw new SaltError(`salt: the environment variable ${source.env} is not set; pii: hash needs it (a secret of at least ${MIN_SALT_LENGTH} characters)`);
  }
  if ([...value].length < MIN_SALT_LENGTH) {
    throw new SaltError(`salt: the environment variable ${source.env} holds fewer than ${MIN_SALT_LENGTH} characters; pii: hash needs a longer secret, or its hashes can be guessed`);
  }
  return value;
}
