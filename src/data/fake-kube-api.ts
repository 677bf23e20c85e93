import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { NEVER, Observable, of, throwError } from 'rxjs';

/** How the fake answers one request. */
export type FakeAnswer =
  | { status?: number; body: unknown }
  /** The request never gets an answer (a node that hangs). */
  | 'never'
  /** The connection fails before any HTTP status. */
  | { networkError: string };

export interface FakeRequest {
  /** Path after the data source's proxy base, with its query string: `k8s/api/v1/nodes?limit=1`. */
  path: string;
  method: string;
  data: unknown;
}

type Handler = FakeAnswer | ((request: FakeRequest) => FakeAnswer);

/**
 * A stand-in for Grafana's backendSrv behind the data source proxy, for tests: answers route paths with bodies,
 * failure statuses, network errors or silence, and records what was asked. Text bodies reach the caller as strings,
 * as Grafana's backendSrv hands over a body that is not JSON.
 */
export class FakeKubeApi {
  readonly requests: FakeRequest[] = [];
  private readonly routes: Array<{ match: string | RegExp; handler: Handler }> = [];

  constructor(readonly baseUrl = '/api/datasources/proxy/uid/headroom') {}

  /** Answers requests whose path (without query) equals `match`, or whose full path matches the regex. */
  on(match: string | RegExp, handler: Handler): this {
    this.routes.unshift({ match, handler });
    return this;
  }

  /** Paths asked so far, in order. */
  paths(): string[] {
    return this.requests.map((r) => r.path);
  }

  readonly backendSrv = {
    fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => this.fetch<T>(options),
  };

  private fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    const path = options.url.startsWith(`${this.baseUrl}/`) ? options.url.slice(this.baseUrl.length + 1) : options.url;
    const request: FakeRequest = { path, method: options.method ?? 'GET', data: options.data };
    this.requests.push(request);

    const route = this.routes.find(({ match }) =>
      typeof match === 'string' ? path.split('?')[0] === match : match.test(path)
    );
    const answer: FakeAnswer = route
      ? typeof route.handler === 'function'
        ? route.handler(request)
        : route.handler
      : { status: 404, body: '404 page not found' };

    if (answer === 'never') {
      return NEVER;
    }
    if ('networkError' in answer) {
      return throwError(() => new TypeError(answer.networkError));
    }
    const status = answer.status ?? 200;
    const response = {
      data: answer.body as T,
      status,
      statusText: String(status),
      ok: status < 400,
      headers: {} as Headers,
      redirected: false,
      type: 'basic',
      url: options.url,
      config: options,
    } as FetchResponse<T>;
    if (status >= 400) {
      const error: FetchError = { status, statusText: String(status), data: answer.body, config: options };
      return throwError(() => error);
    }
    return of(response);
  }
}
