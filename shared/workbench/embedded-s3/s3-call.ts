import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { S3FileStore } from './s3-file-store.ts';

/** One request to the embedded S3 server, as its operations see it. */
export interface S3Call {
  request: IncomingMessage;
  method: string;
  /** Decoded from the path, once. */
  bucket: string;
  /** Decoded from the path, once; '' for a request on the bucket. */
  key: string;
  query: URLSearchParams;
  header(name: string): string | undefined;
  store: S3FileStore;
  /** Reports an object event, before the answer is sent, as S3 commits it before it answers. */
  report(event: { eventName: string; bucket: string; key: string; size?: number; eTag?: string }): void;
  /** Runs a write or delete of one object under an intent of its own in the notification journal (see s3-server.ts). */
  intend<T>(write: { method: string; bucket: string; key: string }, work: () => Promise<T>): Promise<T>;
}

/** What an operation answers: its status, its headers, and a body (an XML document, or an object's content). */
export interface S3Answer {
  status: number;
  headers?: Record<string, string | number>;
  body?: string | Readable;
}

/** An XML answer. */
export const xmlAnswer = (body: string, status = 200): S3Answer => ({ status, headers: { 'content-type': 'application/xml' }, body });
