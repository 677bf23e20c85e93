import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { API_VERSION, type ContainersResponse } from '../../../src/core/sidecar-api';
import type { ContainerSource } from '../container-source';
import { healthOf, healthStatusCode } from './health';
import { parseTimeRange, RequestError } from './time-range';

export interface SidecarServerOptions {
  source: ContainerSource;
  registry: Registry;
  scope: ContainersResponse['scope'];
  node: string | null;
  log: Logger;
  now?: () => number;
}

const CONTAINER_PATH = /^\/v1\/containers\/([^/]+)$/;

/**
 * The sidecar's HTTP server: `/v1/containers`, `/v1/containers/:id`, `/metrics` and `/healthz`, GET and HEAD only.
 * It serves numbers read from the source and nothing else.
 */
export function createSidecarServer(options: SidecarServerOptions): Server {
  const now = options.now ?? Date.now;

  const server = createServer((request, response) => {
    handle(request, response, options, now).catch((error: unknown) => {
      options.log.error({ err: error, method: request.method, url: request.url }, 'request failed');
      if (!response.headersSent) {
        sendJson(request, response, 500, { apiVersion: API_VERSION, error: 'internal error; see the sidecar log' });
      } else {
        response.destroy();
      }
    });
  });

  // Bounded waits so a slow or idle client cannot hold a connection open for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

/** Starts listening and resolves with the bound address (the real port when asked for port 0). */
export function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Stops accepting connections, ends idle and open ones, and resolves once the server is closed. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: SidecarServerOptions,
  now: () => number
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendJson(request, response, 405, { apiVersion: API_VERSION, error: `method ${request.method} is not allowed` });
    return;
  }

  try {
    const url = requestTarget(request.url ?? '/');
    if (url.pathname === '/v1/containers') {
      sendJson(request, response, 200, containersResponse(options, url.searchParams, now()));
      return;
    }

    const match = CONTAINER_PATH.exec(url.pathname);
    if (match) {
      sendJson(request, response, 200, oneContainer(options.source, decodeId(match[1]), url.searchParams, now()));
      return;
    }

    if (url.pathname === '/metrics') {
      const body = await options.registry.metrics();
      send(request, response, 200, options.registry.contentType, body);
      return;
    }

    if (url.pathname === '/healthz') {
      const health = healthOf(options.source, now());
      sendJson(request, response, healthStatusCode(health), health);
      return;
    }

    throw new RequestError(404, `no such path: ${url.pathname}`);
  } catch (error) {
    if (error instanceof RequestError) {
      sendJson(request, response, error.statusCode, { apiVersion: API_VERSION, error: error.message });
      return;
    }
    throw error;
  }
}

function containersResponse(options: SidecarServerOptions, params: URLSearchParams, nowMs: number): ContainersResponse {
  const { fromMs, toMs } = parseTimeRange(params, nowMs);
  return {
    apiVersion: API_VERSION,
    scope: options.scope,
    node: options.node,
    timeMs: nowMs,
    fromMs,
    toMs,
    containers: options.source.containers(fromMs, toMs),
    notices: options.source.notices(),
  };
}

function oneContainer(source: ContainerSource, id: string, params: URLSearchParams, nowMs: number) {
  const { fromMs, toMs } = parseTimeRange(params, nowMs);
  const container = source.containers(fromMs, toMs).find((candidate) => candidate.id === id);
  if (container === undefined) {
    throw new RequestError(404, `no watched container has the id "${id}"`);
  }
  return container;
}

/**
 * The path and query of a request target. Only the origin form (`/path?query`) is read as a path: `//host/...`,
 * `http://host/...` or `*` are not resolved against a base (where `//[` would throw and `//evil/v1/containers` would
 * serve `/v1/containers`), they are simply paths that do not exist.
 */
function requestTarget(target: string): { pathname: string; searchParams: URLSearchParams } {
  const queryAt = target.indexOf('?');
  const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1);
  return { pathname, searchParams: new URLSearchParams(query) };
}

function decodeId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestError(400, `the container id "${segment}" is not valid percent-encoding`);
  }
}

function sendJson(request: IncomingMessage, response: ServerResponse, statusCode: number, body: unknown): void {
  send(request, response, statusCode, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  statusCode: number,
  contentType: string,
  body: string
): void {
  response.writeHead(statusCode, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
