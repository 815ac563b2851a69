import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { CaptureContext } from './change-capture.ts';
import { captureWrite, writeTargets } from './change-capture.ts';
import type { WireResponse } from './dynalite-connection.ts';
import { ServiceError, internalServerError, serializationError } from './service-error.ts';
import type { StreamsApi } from './streams-api.ts';
import { transactWriteItems } from './transact-write.ts';
import { bodyHeaders, sendJson } from './wire-response.ts';

/** dynalite's own limit on a request body. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const CAPTURED_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
// Hop-by-hop headers, and those set again for the body actually sent (which may be augmented).
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'expect', 'date', 'host', 'content-length', 'x-amz-crc32']);

export interface FrontServerOptions extends CaptureContext {
  streamsApi: StreamsApi;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw serializationError();
}

function relay(res: ServerResponse, response: WireResponse, body: Buffer = response.body): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(response.headers)) if (!NOT_RELAYED.has(name) && value !== undefined) headers[name] = value;
  res.writeHead(response.status, { ...headers, ...bodyHeaders(body) });
  res.end(body);
}

/**
 * The public endpoint, in front of dynalite: DynamoDB Streams calls are answered from the stream
 * logs, writes to tables with a stream are captured, TransactWriteItems (which dynalite lacks) is
 * made of single writes, and every other request goes through untouched (status, headers, body).
 */
export function createFrontServer(options: FrontServerOptions): Server {
  const { connection, streams, streamsApi } = options;
  const forward = (req: IncomingMessage, body: Buffer) => {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!NOT_RELAYED.has(name) && value !== undefined) headers[name] = value;
    return connection.send(req.method ?? 'POST', req.url ?? '/', headers, body);
  };

  // dynalite ignores StreamSpecification: the description of a table with a stream gets it back.
  const withStream = (response: WireResponse, member: 'Table' | 'TableDescription'): Buffer => {
    if (response.status !== 200) return response.body;
    const output = JSON.parse(response.body.toString('utf8')) as Record<string, Record<string, unknown> | undefined>;
    const table = output[member];
    const stream = typeof table?.TableName === 'string' ? streams.get(table.TableName) : undefined;
    if (!table || !stream) return response.body;
    table.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.viewType };
    table.LatestStreamLabel = stream.streamLabel;
    table.LatestStreamArn = stream.streamArn;
    return Buffer.from(JSON.stringify(output));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (!body) {
      res.writeHead(413, { 'content-length': '0' }).end();
      return;
    }
    const [api, operation = ''] = String(req.headers['x-amz-target'] ?? '').split('.');
    if (api === 'DynamoDBStreams_20120810') return sendJson(res, 200, streamsApi.handle(operation, parseJson(body)));
    if (api !== 'DynamoDB_20120810') return relay(res, await forward(req, body));
    if (operation === 'TransactWriteItems') return sendJson(res, 200, await transactWriteItems(options, parseJson(body)));
    if (CAPTURED_WRITES.has(operation) && streams.size) {
      let input: unknown;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return relay(res, await forward(req, body));
      }
      const targets = writeTargets(operation, input, streams);
      if (targets?.size) return relay(res, await captureWrite(options, targets, () => forward(req, body)));
    }
    if (operation === 'DescribeTable' || operation === 'CreateTable') {
      const response = await forward(req, body);
      return relay(res, response, withStream(response, operation === 'DescribeTable' ? 'Table' : 'TableDescription'));
    }
    relay(res, await forward(req, body));
  }

  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure = error instanceof ServiceError ? error : internalServerError(error instanceof Error ? error.message : String(error));
      if (res.headersSent) res.destroy();
      else sendJson(res, failure.status, failure.toBody());
    });
  });
}
