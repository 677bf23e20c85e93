/**
 * Paths under the data source's proxy routes (declared in plugin.json): `k8s` reaches the API server with the token
 * injected, `kubelet` a kubelet directly (`nodes/stats`), `sidecar` a sidecar's direct URL.
 */

/** Prefix of the API server route; core's paths (`/api/v1/...`) are appended to it. */
export const K8S = 'k8s';

/** Prefix of the direct kubelet route. */
export const KUBELET = 'kubelet';

/** `k8s/api/v1/nodes` */
export function nodeListPath(): string {
  return 'k8s/api/v1/nodes';
}

/** `k8s/api/v1/namespaces` */
export function namespaceListPath(): string {
  return 'k8s/api/v1/namespaces';
}

/** `k8s/version` */
export function versionPath(): string {
  return 'k8s/version';
}

/** `k8s/apis/authorization.k8s.io/v1/selfsubjectaccessreviews` */
export function accessReviewPath(): string {
  return 'k8s/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
}

/** A sidecar's containers through the API server's pod proxy: `k8s/api/v1/namespaces/NS/pods/NAME:PORT/proxy/v1/...`. */
export function sidecarPodProxyPath(
  namespace: string,
  pod: string,
  port: number,
  fromMs: number,
  toMs: number
): string {
  return `k8s/api/v1/namespaces/${segment(namespace)}/pods/${segment(pod)}:${port}/proxy/v1/containers?${range(fromMs, toMs)}`;
}

/** The sidecar at the direct `sidecar` route. */
export function sidecarDirectPath(fromMs: number, toMs: number): string {
  return `sidecar/v1/containers?${range(fromMs, toMs)}`;
}

function range(fromMs: number, toMs: number): string {
  return `from=${Math.round(fromMs)}&to=${Math.round(toMs)}`;
}

function segment(name: string): string {
  return encodeURIComponent(name);
}
