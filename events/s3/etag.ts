/**
 * S3 event records carry the ETag bare; HTTP responses (and some emulators' events) quote it.
 * Every place that compares or stores ETags goes through this one unquoting.
 */
export function unquoteETag(eTag: string): string;
export function unquoteETag(eTag: string | undefined): string | undefined;
export function unquoteETag(eTag: string | undefined): string | undefined {
  return eTag?.replace(/^"(.*)"$/, '$1');
}
