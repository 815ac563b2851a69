import { SluiceError } from '../../contract/errors.ts';

/** The project cannot be deployed as it is (a name too long for S3, overlapping bucket triggers, sharp unavailable for Lambda's platform). */
export class DeployError extends SluiceError {
  override readonly name = 'DeployError';

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, permanent: true });
  }
}
