import { FetchError, getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom, throwError, timeout } from 'rxjs';

import { describeNonJson, describeStatus, KubeRequestError, looksLikeHtml } from './kube-request-error';

export interface KubeRequest {
  /** Full proxy URL, e.g. `${instanceSettings.url}/k8s/api/v1/nodes`. */
  url: string;
  /** What is being asked, for messages: `the pod list`, `node "n1" stats`. */
  what: string;
  method?: 'GET' | 'POST';
  data?: unknown;
  /** Give up after this long; the request is cancelled. */
  timeoutMs: number;
}

/**
 * Sends one request through Grafana's data source proxy and returns its parsed JSON body. Every failure becomes a
 * `KubeRequestError` with a message naming what was asked and why it failed (HTML error page, 401, 403 with the missing
 * RBAC verb and resource, 404, 5xx, timeout, network).
 */
export async function kubeRequest<T = unknown>(request: KubeRequest): Promise<T> {
  const { url, what, method = 'GET', data, timeoutMs } = request;

  const response$ = getBackendSrv()
    .fetch<unknown>({ url, method, data, showErrorAlert: false, showSuccessAlert: false })
    .pipe(
      timeout({
        first: timeoutMs,
        with: () => throwError(() => new KubeRequestError('timeout', `${what}: no answer within ${timeoutMs} ms`)),
      })
    );

  let body: unknown;
  let status: number;
  try {
    const response = await lastValueFrom(response$);
    body = response.data;
    status = response.status;
  } catch (error) {
    throw failureOf(what, error);
  }

  return parseBody<T>(what, status, body);
}

/** Grafana's backendSrv hands back a string when the body was not JSON; parse it or say what came instead. */
function parseBody<T>(what: string, status: number, body: unknown): T {
  if (typeof body !== 'string') {
    if (body === undefined || body === null) {
      throw new KubeRequestError('invalid', `${what}: the answer was empty`, status);
    }
    return body as T;
  }
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new KubeRequestError('not-json', describeNonJson(what, status, body), status);
  }
}

function failureOf(what: string, error: unknown): KubeRequestError {
  if (error instanceof KubeRequestError) {
    return error;
  }
  if (isFetchError(error)) {
    return fetchFailure(what, error);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new KubeRequestError('network', `${what}: the request failed before an answer came (${reason})`);
}

function fetchFailure(what: string, error: FetchError): KubeRequestError {
  if (error.cancelled) {
    return new KubeRequestError('network', `${what}: the request was cancelled`);
  }

  // backendSrv reports a connection that never produced a response with no HTTP status.
  if (!error.status || error.status < 100) {
    const reason = error.message || error.statusText || 'no response';
    return new KubeRequestError('network', `${what}: network error, Grafana could not be reached (${reason})`);
  }

  // Grafana's data source proxy turns the upstream's 401 into a 400 so the browser keeps its own session.
  if (error.status === 400 && proxyAuthFailure(error.data)) {
    return describeStatus(what, 401, null);
  }

  // Grafana wraps a text (HTML) error body as `{ error, response, message }`; the text is in `response`.
  const raw: unknown = wrappedText(error.data) ?? error.data;
  if (typeof raw !== 'string') {
    return describeStatus(what, error.status, raw);
  }
  try {
    return describeStatus(what, error.status, JSON.parse(raw));
  } catch {
    // A 401 says enough on its own; other HTML pages are quoted so the operator sees who answered.
    if (looksLikeHtml(raw) && error.status !== 401) {
      return new KubeRequestError(nonJsonKind(error.status), describeNonJson(what, error.status, raw), error.status);
    }
    return describeStatus(what, error.status, error.status === 401 ? null : raw);
  }
}

function wrappedText(data: unknown): string | null {
  if (typeof data === 'object' && data !== null && typeof (data as { response?: unknown }).response === 'string') {
    return (data as { response: string }).response;
  }
  return null;
}

function proxyAuthFailure(data: unknown): boolean {
  const message = typeof data === 'object' && data !== null ? (data as { message?: unknown }).message : data;
  return typeof message === 'string' && message.includes('Authentication to data source failed');
}

/** A failed request with an HTML body keeps the meaning of its status where that is the clearer fact. */
function nonJsonKind(status: number): KubeRequestError['kind'] {
  if (status === 401) {
    return 'unauthorized';
  }
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 404) {
    return 'not-found';
  }
  return status >= 500 ? 'server' : 'not-json';
}
