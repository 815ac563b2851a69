/**
 * An S3 error response as S3 sends it: its code, its HTTP status, its message, and the elements it
 * adds (`<Key>`, `<BucketName>`, `<RangeRequested>`, ...). The embedded server answers every
 * refusal with one of these, never a stack trace.
 */
export class S3ApiError extends Error {
  override readonly name = 'S3ApiError';
  readonly code: string;
  readonly status: number;
  readonly detail: Record<string, string | number>;
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, message: string, detail: Record<string, string | number> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
}

// The codes, statuses and messages of https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
export const noSuchBucket = (bucket: string) => new S3ApiError('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket });
export const noSuchKey = (key: string) => new S3ApiError('NoSuchKey', 404, 'The specified key does not exist.', { Key: key });
export const noSuchUpload = (uploadId: string) =>
  new S3ApiError('NoSuchUpload', 404, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId });
export const invalidArgument = (message: string, name?: string, value?: string) =>
  new S3ApiError('InvalidArgument', 400, message, { ...(name !== undefined ? { ArgumentName: name } : {}), ...(value !== undefined ? { ArgumentValue: value } : {}) });
export const invalidRequest = (message: string) => new S3ApiError('InvalidRequest', 400, message);
export const malformedXml = () => new S3ApiError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
export const preconditionFailed = (condition: string) => new S3ApiError('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
