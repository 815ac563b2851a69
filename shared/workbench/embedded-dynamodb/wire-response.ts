import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

// zlib.crc32 arrived in Node 20.15; before it the header is left out (clients do not require it).
const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;

/** The headers DynamoDB puts on a JSON body: its length and CRC32 (which some clients check). */
export function bodyHeaders(body: Buffer): Record<string, string> {
  return { 'content-length': String(body.length), ...(crc32 ? { 'x-amz-crc32': String(crc32(body)) } : {}) };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'x-amzn-requestid': randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0'),
    ...bodyHeaders(body),
  });
  res.end(body);
}
