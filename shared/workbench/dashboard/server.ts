import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline as pipe } from 'node:stream/promises';
import mime from 'mime';
import { DEFAULT_EVENTS } from '../cost/estimate.ts';
import { summarizeRun } from '../local/last-run.ts';
import { listenOnLocalhost } from '../local/listen-port.ts';
import type { LocalRuntime } from '../local/local-runtime.ts';
import { itemRows, scanItems } from '../local/table-items.ts';
import type { Logger } from '../../contract/logger.ts';
import { openObject, putObject } from '../../engine/runtime/object-io.ts';
import type { TableView } from './api-types.ts';
import type { UiBundle } from './bundle.ts';
import { buildUi } from './bundle.ts';
import { costView } from './cost-view.ts';
import { FAVICON_SVG, faviconIco } from './favicon.ts';
import { listObjects, objectDetail, variantsOf } from './objects.ts';
import { projectView } from './project-view.ts';
import { listQuarantine } from './quarantine-list.ts';
import type { RunFeed } from './run-feed.ts';

/** An upload from the page is held in memory on its way to the bucket: larger ones belong to `aws s3 cp`. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
/** Content types that say nothing about the file. */
const UNTYPED = ['application/octet-stream', 'application/x-www-form-urlencoded'];
/** Rows of a table shown at once. */
const SHOWN_ROWS = 1000;

export interface DashboardOptions {
  runtime: LocalRuntime;
  feed: RunFeed;
  dataDir: string;
  startedAt: Date;
  logger: Logger;
  /** 0 picks a free port. */
  port: number;
}

export interface Dashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sluice dev</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;

/** The page loads nothing from anywhere else, and nothing else may frame it. */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, status: number, body: string | Uint8Array, contentType: string): void {
  response.writeHead(status, { ...PAGE_HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const sendJson = (response: ServerResponse, body: unknown, status = 200) => send(response, status, JSON.stringify(body), 'application/json; charset=utf-8');

/**
 * A key the page may read or write: any key S3 accepts. The page reaches objects through the S3
 * client only, and the embedded store keeps every key (`..` segments, a leading `/`, ...) under its
 * own names inside its bucket's folder, so a key is never a path.
 */
export function checkKey(key: string | null, what = 'key'): string {
  if (!key) throw new HttpError(400, `${what} is required`);
  if (Buffer.byteLength(key) > 1024) throw new HttpError(400, `${what} is longer than S3's 1,024 bytes`);
  if (key.includes('\0')) throw new HttpError(400, `${what} has a NUL character, which S3 refuses`);
  return key;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_UPLOAD_BYTES) throw new HttpError(413, `uploads from the dashboard are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB: use an S3 client for larger files`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_UPLOAD_BYTES) throw new HttpError(413, `uploads from the dashboard are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * `sluice dev`'s dashboard: one page (built from ui/ as the server starts) and the JSON API it
 * reads, on 127.0.0.1 only. Runs arrive on an event stream as they finish. Uploads go to the
 * embedded S3 server through the S3 client, so they trigger the pipelines as any client's would.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { runtime, feed } = options;
  const s3 = runtime.s3.client;
  const buckets = new Set(Object.keys(runtime.resources.buckets));
  const project = projectView(runtime.pipelines, runtime.resources, { s3: runtime.s3.endpoint, dynamodb: runtime.dynamodb.endpoint });
  const ui: Promise<UiBundle> = buildUi();
  ui.catch(() => undefined); // reported when the page asks for it
  const streams = new Set<ServerResponse>();
  let port = options.port;

  const bucketParam = (params: URLSearchParams): string => {
    const bucket = params.get('bucket') ?? '';
    if (!buckets.has(bucket)) throw new HttpError(404, `no bucket "${bucket}" in resources.yml (buckets: ${[...buckets].join(', ')})`);
    return bucket;
  };

  function openEvents(response: ServerResponse): void {
    response.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    response.write('retry: 1000\n\n');
    streams.add(response);
    const unsubscribe = feed.subscribe((event) => response.write(`event: run\ndata: ${JSON.stringify(event)}\n\n`));
    response.on('close', () => {
      unsubscribe();
      streams.delete(response);
    });
  }

  async function sendBody(response: ServerResponse, bucket: string, key: string): Promise<void> {
    const object = await openObject(s3, bucket, key);
    if (!object?.Body) throw new HttpError(404, `no object ${bucket}/${key}`);
    // Whatever was uploaded is shown as data: it may not run script on the dashboard's origin.
    response.writeHead(200, {
      ...PAGE_HEADERS,
      'content-security-policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      'content-type': object.ContentType ?? 'application/octet-stream',
      ...(object.ContentLength !== undefined ? { 'content-length': object.ContentLength } : {}),
    });
    await pipe(object.Body as Readable, response);
  }

  async function upload(request: IncomingMessage, response: ServerResponse, params: URLSearchParams): Promise<void> {
    const bucket = bucketParam(params);
    const key = checkKey(params.get('key'));
    const body = await readBody(request);
    // The browser sends the file's type; a client that sends none (or a form's) gets the type the key's extension names.
    const declared = request.headers['content-type'];
    const contentType = declared && !UNTYPED.includes(declared) ? declared : (mime.getType(key) ?? 'application/octet-stream');
    await putObject(s3, { bucket, key, body, contentType });
    sendJson(response, { bucket, key, size: body.length, contentType }, 201);
  }

  async function tableView(name: string): Promise<TableView> {
    const declaration = runtime.resources.tables[name];
    if (!declaration) throw new HttpError(404, `no table "${name}" in resources.yml`);
    const items = await scanItems(runtime.dynamodb.client, name);
    return { name, ...itemRows(items, declaration, { limit: SHOWN_ROWS }), total: items.length };
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Only this page's own address: a page elsewhere that points a name of its own at 127.0.0.1 is refused.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpError(403, `unexpected Host "${host}"`);
    const url = new URL(request.url ?? '/', `http://${host}`);
    const params = url.searchParams;
    const method = request.method ?? 'GET';
    if (method === 'POST') {
      // Another site's page cannot write to the buckets through this one.
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `http://${host}`) throw new HttpError(403, `uploads from ${origin} are refused`);
      if (url.pathname === '/api/upload') return upload(request, response, params);
      throw new HttpError(404, `no ${url.pathname}`);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `${method} is not supported`);
    switch (url.pathname) {
      case '/':
        return send(response, 200, PAGE, 'text/html; charset=utf-8');
      case '/assets/app.js':
        return send(response, 200, (await ui).js, 'text/javascript; charset=utf-8');
      case '/assets/app.css':
        return send(response, 200, (await ui).css, 'text/css; charset=utf-8');
      case '/favicon.svg':
        return send(response, 200, FAVICON_SVG, 'image/svg+xml');
      case '/favicon.ico':
        return send(response, 200, await faviconIco(), 'image/x-icon');
      case '/api/project':
        return sendJson(response, project);
      case '/api/runs':
        return sendJson(response, { runs: feed.recent(), totals: feed.totals() });
      case '/api/events':
        return openEvents(response);
      case '/api/objects':
        return sendJson(response, await listObjects(s3, bucketParam(params), params.get('prefix') ?? ''));
      case '/api/object': {
        const bucket = bucketParam(params);
        const key = checkKey(params.get('key'));
        const detail = await objectDetail(s3, bucket, key);
        if (!detail) throw new HttpError(404, `no object ${bucket}/${key}`);
        return sendJson(response, detail);
      }
      case '/api/variants': {
        const bucket = bucketParam(params);
        const key = checkKey(params.get('key'));
        const view = await variantsOf(s3, runtime.pipelines, bucket, key);
        if (!view) throw new HttpError(404, `no object ${bucket}/${key}`);
        return sendJson(response, view);
      }
      case '/api/body':
        return sendBody(response, bucketParam(params), checkKey(params.get('key')));
      case '/api/quarantine':
        return sendJson(response, await listQuarantine(s3, runtime.pipelines.map((p) => p.onError.quarantine)));
      case '/api/table':
        return sendJson(response, await tableView(params.get('name') ?? ''));
      case '/api/cost': {
        const events = Number(params.get('events') ?? DEFAULT_EVENTS);
        if (!Number.isSafeInteger(events) || events < 0) throw new HttpError(400, `events: expected a whole number, found "${params.get('events')}"`);
        const session = summarizeRun(runtime.stats.all(), runtime.pipelines, { command: 'dev', startedAt: options.startedAt, finishedAt: new Date() });
        return sendJson(response, costView(session, options.dataDir, events));
      }
      default:
        throw new HttpError(404, `no ${url.pathname}`);
    }
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) options.logger.error({ err: error, url: request.url }, 'dashboard request failed');
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, { error: error instanceof Error ? error.message : String(error) }, status);
    });
  });
  port = await listenOnLocalhost(server, options.port, 'the dashboard (--ui-port N)');
  // The event streams stay open; a comment now and then keeps proxies and idle timers from closing them.
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      clearInterval(heartbeat);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
