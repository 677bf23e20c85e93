import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Kubernetes mounts a pod's service account token and the cluster CA. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How to reach the API server from inside a pod. */
export interface ServiceAccount {
  /** `https://HOST:PORT` of the API server. */
  serverUrl: string;
  /** PEM of the cluster CA. */
  ca: string;
  /** Reads the token at each call: projected tokens are rotated by the kubelet. */
  token: () => string;
}

/**
 * Finds the API server (KUBERNETES_SERVICE_HOST/PORT) and the mounted service account. Throws with the reason when
 * the sidecar does not run in a pod with a service account.
 */
export function readServiceAccount(env: NodeJS.ProcessEnv, dir: string = SERVICE_ACCOUNT_DIR): ServiceAccount {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) {
    throw new Error('KUBERNETES_SERVICE_HOST is not set (not running in a pod)');
  }

  const tokenPath = join(dir, 'token');
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  const token = () => readFileSync(tokenPath, 'utf8').trim();
  token();

  const serverHost = host.includes(':') ? `[${host}]` : host;
  return { serverUrl: `https://${serverHost}:${port}`, ca, token };
}
