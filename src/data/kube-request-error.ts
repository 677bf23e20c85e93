/**
 * Turns a failed request to the API server, a kubelet or a sidecar into one clear sentence an operator can act on.
 * No Grafana imports: the data source's request layer hands in the status and body it received.
 */

/** What kind of failure a request met. */
export type KubeFailureKind =
  'not-json' | 'unauthorized' | 'forbidden' | 'not-found' | 'server' | 'client' | 'timeout' | 'network' | 'invalid';

/** A request that failed, with the message shown to the user. */
export class KubeRequestError extends Error {
  constructor(
    readonly kind: KubeFailureKind,
    message: string,
    readonly status: number | null = null
  ) {
    super(withoutCredentials(message));
    this.name = 'KubeRequestError';
  }
}

/**
 * Blanks bearer tokens and JWTs in text quoted from an answer: a proxy's error page or a debugging endpoint may echo
 * the request's `Authorization` header, and a message shown on a panel must never carry the token.
 */
export function withoutCredentials(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted token]');
}

/** A Kubernetes `Status` object, as the API server returns it for failures. */
interface KubeStatus {
  kind: 'Status';
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string };
}

function isKubeStatus(body: unknown): body is KubeStatus {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** The `message` of a Status, or of Grafana's own proxy error (`{ message }`), or a short quote of a text body. */
export function bodyMessage(body: unknown): string | null {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? null : quote(text, 200);
  }
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message.trim() !== '') {
      return message.trim();
    }
    const error = (body as { error?: unknown }).error;
    if (typeof error === 'string' && error.trim() !== '') {
      return error.trim();
    }
  }
  return null;
}

/** Looks like an HTML page (a proxy's or load balancer's error page, a login form) rather than JSON. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text);
}

/** Describes a body that should have been JSON: quotes the HTML `<title>` or the first bytes. */
export function describeNonJson(what: string, status: number, text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  const kind = looksLikeHtml(text) ? 'an HTML page' : 'text that is not JSON';
  const shown = title ? `titled "${title}"` : `starting "${quote(text.trim(), 80)}"`;
  const statusPart = status > 0 ? ` (HTTP ${status})` : '';
  return `${what} answered with ${kind}${statusPart}, ${shown}; a proxy or load balancer in front of it may be failing`;
}

/**
 * From a 403 Status message such as `nodes "n1" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot get
 * resource "nodes/proxy" in API group "" at the cluster scope`, the verb, resource and who was refused.
 */
export function missingPermission(
  body: unknown
): { verb: string; resource: string; group: string; user: string | null; scope: string | null } | null {
  const message = isKubeStatus(body) ? body.message : typeof body === 'string' ? body : undefined;
  if (!message) {
    return null;
  }
  const match =
    /cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: (at the cluster scope|in the namespace "[^"]*"))?/.exec(
      message
    );
  if (!match) {
    return kubeletPermission(message);
  }
  const user = /User "([^"]+)"/.exec(message)?.[1] ?? null;
  return { verb: match[1], resource: match[2], group: match[3] ?? '', user, scope: match[4] ?? null };
}

/** The kubelet's own refusal: `Forbidden (user=..., verb=get, resource=nodes, subresource=stats)`. */
function kubeletPermission(message: string) {
  const field = (name: string) => new RegExp(`${name}=([^,)]+)`).exec(message)?.[1]?.trim() ?? null;
  const verb = field('verb');
  const resource = field('resource');
  if (!verb || !resource) {
    return null;
  }
  const subresource = field('subresource');
  return {
    verb,
    resource: subresource ? `${resource}/${subresource}` : resource,
    group: '',
    user: field('user'),
    scope: null,
  };
}

/** One sentence for an HTTP failure status, naming what was asked (`what`, e.g. `node "n1" stats`). */
export function describeStatus(what: string, status: number, body: unknown): KubeRequestError {
  const detail = bodyMessage(body);
  const withDetail = (text: string) => (detail ? `${text}: ${detail}` : text);

  if (status === 401) {
    return new KubeRequestError(
      'unauthorized',
      `${what}: the API server rejected the token (401 Unauthorized); the service account token in the data source settings is missing, invalid or expired`,
      status
    );
  }
  if (status === 403) {
    const permission = missingPermission(body);
    if (permission) {
      const group = permission.group ? ` in API group "${permission.group}"` : '';
      const who = permission.user ? ` for ${permission.user}` : '';
      const where = permission.scope ? ` ${permission.scope}` : '';
      return new KubeRequestError(
        'forbidden',
        `${what}: permission missing (403 Forbidden): RBAC does not allow "${permission.verb}" on "${permission.resource}"${group}${where}${who}`,
        status
      );
    }
    return new KubeRequestError('forbidden', withDetail(`${what}: permission missing (403 Forbidden)`), status);
  }
  if (status === 404) {
    return new KubeRequestError('not-found', withDetail(`${what}: not found (404)`), status);
  }
  if (status >= 500) {
    return new KubeRequestError('server', withDetail(`${what}: server error (HTTP ${status})`), status);
  }
  return new KubeRequestError('client', withDetail(`${what}: request refused (HTTP ${status})`), status);
}

function quote(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
