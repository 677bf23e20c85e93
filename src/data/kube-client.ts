import { kubeRequest } from './kube-request';

/** Requests relative to one data source instance's proxy URL, with its per-request timeout. */
export class KubeClient {
  constructor(
    /** The instance's proxy base, `instanceSettings.url` (e.g. `/api/datasources/proxy/uid/abc`). */
    readonly baseUrl: string,
    readonly timeoutMs: number
  ) {}

  /** GET a route path such as `k8s/api/v1/nodes`; `what` names it in error messages. */
  get<T = unknown>(path: string, what: string, timeoutMs = this.timeoutMs): Promise<T> {
    return kubeRequest<T>({ url: this.url(path), what, timeoutMs });
  }

  /** POST a JSON body to a route path. */
  post<T = unknown>(path: string, what: string, data: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    return kubeRequest<T>({ url: this.url(path), what, method: 'POST', data, timeoutMs });
  }

  private url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }
}
