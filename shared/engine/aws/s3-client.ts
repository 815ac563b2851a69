import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientOptions {
  /** An S3-compatible endpoint (the embedded server); omit on Lambda to use the SDK's standard settings. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * The one way Sluice builds an S3 client, locally and on Lambda. Without options every setting
 * comes from the SDK's standard sources (environment, shared config, the Lambda role), including
 * `AWS_ENDPOINT_URL_S3`, `AWS_REQUEST_CHECKSUM_CALCULATION` and `AWS_RESPONSE_CHECKSUM_VALIDATION`.
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  if (!options.endpoint) {
    return new S3Client(options.region ? { region: options.region } : {});
  }
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    forcePathStyle: true,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // S3-compatible servers do not speak the SDK's default CRC32 trailers: with them, streamed
    // bodies arrive with the checksum framing mixed into the data.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
