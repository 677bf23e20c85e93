import type { ContainerSource } from '../container-source';

export type HealthStatus = 'ok' | 'degraded' | 'unavailable';

export interface Health {
  status: HealthStatus;
  containers: number;
  notices: string[];
}

/**
 * How the source is doing: `unavailable` when it watches nothing and says why (no cgroup root, nothing readable),
 * `degraded` when it reads containers but reports problems, `ok` otherwise.
 */
export function healthOf(source: ContainerSource, nowMs: number): Health {
  const containers = source.containers(nowMs, nowMs).length;
  const notices = source.notices();

  let status: HealthStatus = 'ok';
  if (notices.length > 0) {
    status = containers === 0 ? 'unavailable' : 'degraded';
  }
  return { status, containers, notices };
}

/** The HTTP status `/healthz` answers with: 503 only when the source can read nothing at all. */
export function healthStatusCode(health: Health): number {
  return health.status === 'unavailable' ? 503 : 200;
}
