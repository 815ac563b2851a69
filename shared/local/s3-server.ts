import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/s3-client.ts';

/** s3rver accepts exactly this key pair; any S3 client pointed at the embedded server uses it. */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const EMBEDDED_REGION = 'us-east-1';

/** What s3rver emits for every object write or delete (its own, loosely AWS-shaped record). */
export interface S3rverEvent {
  Records: {
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

export interface EmbeddedS3 {
  endpoint: string;
  port: number;
  directory: string;
  client: S3Client;
  /** Called synchronously, before the client's request completes, for every object written or deleted. */
  onObjectEvent(listener: (event: S3rverEvent) => void): void;
  createBuckets(names: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an S3-compatible server inside this process, on 127.0.0.1 only, keeping buckets as
 * folders under `<dataDir>/s3`.
 */
export async function startEmbeddedS3(options: { dataDir: string; port?: number; buckets?: Iterable<string> }): Promise<EmbeddedS3> {
  const directory = join(options.dataDir, 's3');
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [...(options.buckets ?? [])].map((name) => ({ name, configs: [] })),
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = createS3Client({ endpoint, region: EMBEDDED_REGION, credentials: EMBEDDED_CREDENTIALS });
  return {
    endpoint,
    port: address.port,
    directory,
    client,
    onObjectEvent(listener) {
      server.on('event', listener);
    },
    async createBuckets(names) {
      await Promise.all([...names].map((name) => server.store.putBucket(name)));
    },
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
