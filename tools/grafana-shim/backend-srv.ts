/**
 * Grafana's `BackendSrv` for Node: `fetch(options)` returns an Observable of a `FetchResponse` like Grafana's, sends
 * data source proxy URLs where Grafana's proxy would (see `proxy-routes.ts`), and fails like Grafana does: a non-2xx
 * answer becomes a FetchError-shaped object whose text body is wrapped as `{ error, response, message }`, an upstream
 * 401 reaches the plugin as Grafana's 400 "Authentication to data source failed", and an unreachable or silent
 * upstream as 502 Bad Gateway.
 */
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable, throwError } from 'rxjs';

import { ProxyDataSource, ProxyRefusal, resolveProxyRequest } from './proxy-routes';

export interface ShimBackendSrvOptions {
  datasources: ProxyDataSource[];
  /** Grafana's `[dataproxy] timeout`: an upstream silent this long answers 502. Default 30 s. */
  dataProxyTimeoutMs?: number;
}

/** One request as it left the stand-in Grafana, for tests that check what was sent where. */
export interface SentRequest {
  method: string;
  /** The URL the plugin asked for. */
  grafanaUrl: string;
  /** Where the proxy sent it; null when Grafana refused it itself. */
  targetUrl: string | null;
  headers: Record<string, string>;
  status: number | null;
}

const AUTH_FAILED = 'Authentication to data source failed';

export class ShimBackendSrv implements BackendSrv {
  /** Every request, in the order it was made. */
  readonly sent: SentRequest[] = [];
  private readonly datasources: ProxyDataSource[];
  private readonly dataProxyTimeoutMs: number;

  constructor(options: ShimBackendSrvOptions) {
    this.datasources = options.datasources;
    this.dataProxyTimeoutMs = options.dataProxyTimeoutMs ?? 30_000;
  }

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      options.abortSignal?.addEventListener('abort', onAbort);

      this.send<T>(options, controller.signal).then(
        (response) => {
          if (response.ok) {
            subscriber.next(response);
            subscriber.complete();
          } else {
            subscriber.error(toFetchError(response));
          }
        },
        (error: unknown) => {
          if (controller.signal.aborted) {
            subscriber.error({
              status: -1,
              statusText: 'Request was aborted',
              data: null,
              cancelled: true,
              config: options,
            });
          } else {
            subscriber.error(error);
          }
        }
      );

      return () => {
        options.abortSignal?.removeEventListener('abort', onAbort);
        controller.abort();
      };
    });
  }

  private async send<T>(options: BackendSrvRequest, signal: AbortSignal): Promise<FetchResponse<T>> {
    const method = (options.method ?? 'GET').toUpperCase();
    const grafanaUrl = withParams(options.url, options.params);
    const record: SentRequest = { method, grafanaUrl, targetUrl: null, headers: {}, status: null };
    this.sent.push(record);

    const answer = (status: number, statusText: string, text: string, headers = new Headers()) => {
      record.status = status;
      return response<T>(options, grafanaUrl, status, statusText, parseBody(text, options.responseType), headers);
    };

    let target;
    try {
      target = resolveProxyRequest(grafanaUrl, method, this.datasources);
    } catch (error) {
      if (error instanceof ProxyRefusal) {
        return answer(error.status, error.statusText, JSON.stringify({ message: error.message }));
      }
      throw error;
    }
    if (!target) {
      return answer(404, 'Not Found', JSON.stringify({ message: `no Grafana API at ${grafanaUrl} in this stand-in` }));
    }

    // The browser's own Authorization never reaches the data source; the route's headers are what the server adds.
    const headers: Record<string, string> = { Accept: 'application/json, text/plain, */*' };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (name.toLowerCase() !== 'authorization' && value !== undefined) {
        headers[name] = String(value);
      }
    }
    let body: string | undefined;
    if (options.data !== undefined && method !== 'GET' && method !== 'HEAD') {
      body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
      if (
        typeof options.data !== 'string' &&
        !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
      ) {
        headers['Content-Type'] = 'application/json';
      }
    }
    Object.assign(headers, target.headers);
    record.targetUrl = target.url;
    record.headers = headers;

    const timeout = AbortSignal.timeout(this.dataProxyTimeoutMs);
    let upstream: Response;
    try {
      upstream = await fetch(target.url, { method, headers, body, signal: AbortSignal.any([signal, timeout]) });
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      return answer(502, 'Bad Gateway', '');
    }
    let text: string;
    try {
      text = await upstream.text();
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      return answer(502, 'Bad Gateway', '');
    }

    if (upstream.status === 401) {
      return answer(400, 'Bad Request', AUTH_FAILED);
    }
    return answer(upstream.status, upstream.statusText, text, upstream.headers);
  }

  async request<T = unknown>(options: BackendSrvRequest): Promise<T> {
    const response = await lastValueFrom(this.fetch<T>(options));
    return response.data;
  }

  datasourceRequest<T = unknown>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T = any>(url: string, params?: any, requestId?: string, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, params, requestId, method: 'GET' });
  }

  delete<T = unknown>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'DELETE' });
  }

  post<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'POST' });
  }

  patch<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'PATCH' });
  }

  put<T = any>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.request<T>({ ...options, url, data, method: 'PUT' });
  }

  chunked(): Observable<FetchResponse<Uint8Array | undefined>> {
    return throwError(() => new Error('chunked responses are not offered by this Grafana stand-in'));
  }
}

function withParams(url: string, params: Record<string, unknown> | undefined): string {
  if (!params) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, String(item));
    }
  }
  const query = search.toString();
  return query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url;
}

/** Grafana parses every body as JSON when it can and hands back the text otherwise. */
function parseBody(text: string, responseType: BackendSrvRequest['responseType']): unknown {
  if (responseType === 'text') {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function response<T>(
  config: BackendSrvRequest,
  url: string,
  status: number,
  statusText: string,
  data: unknown,
  headers: Headers
): FetchResponse<T> {
  return {
    data: data as T,
    status,
    statusText,
    ok: status >= 200 && status < 300,
    headers,
    redirected: false,
    type: 'basic',
    url,
    config,
  };
}

/** As Grafana's `processRequestError`: a text body becomes `{ error: statusText, response: text, message: text }`. */
function toFetchError(response: FetchResponse): FetchError {
  let data = response.data ?? { message: 'Unexpected error' };
  if (typeof data === 'string') {
    data = { error: response.statusText, response: data, message: data };
  }
  if (data && typeof data === 'object' && !data.message && typeof data.error === 'string') {
    data.message = data.error;
  }
  return { status: response.status, statusText: response.statusText, data, config: response.config };
}
