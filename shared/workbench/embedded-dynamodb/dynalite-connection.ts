import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { ServiceError, internalServerError } from './service-error.ts';
import { JSON_CONTENT_TYPE } from './wire-response.ts';

export interface WireResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// dynalite wants a signature-shaped Authorization header but checks no signature.
const INTERNAL_AUTH = {
  authorization: 'AWS4-HMAC-SHA256 Credential=sluice/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20200101T000000Z',
};

/** Sluice's own line to dynalite on its internal port: requests forwarded as they came, and calls of its own. */
export class DynaliteConnection {
  private readonly agent = new Agent({ keepAlive: true });
  readonly port: number;

  constructor(port: number) {
    this.port = port;
  }

  send(method: string, path: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<WireResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port: this.port, method, path, headers: { ...headers, 'content-length': body.length }, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** One DynamoDB operation; a refusal is thrown as the ServiceError dynalite answered. */
  async call<T = Record<string, unknown>>(operation: string, input: unknown): Promise<T> {
    const headers = { 'content-type': JSON_CONTENT_TYPE, 'x-amz-target': `DynamoDB_20120810.${operation}`, ...INTERNAL_AUTH };
    const response = await this.send('POST', '/', headers, Buffer.from(JSON.stringify(input)));
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw internalServerError(`${operation}: the table store answered ${response.status} with a body that is not JSON`);
    }
    if (response.status !== 200) {
      const message = String(body.message ?? body.Message ?? '');
      throw new ServiceError(response.status, String(body.__type ?? 'com.amazonaws.dynamodb.v20120810#InternalServerError'), message);
    }
    return body as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
