import type { SidecarContainer } from '../../src/core/sidecar-api';

/**
 * What the sidecar's server and metrics read from: the watched containers, with their windows inside a range.
 * Reads never change state, so any number of readers (Prometheus HA pairs, several Grafana users) see the same peaks.
 */
export interface ContainerSource {
  /** Watched containers, each with the windows that overlap [fromMs, toMs], oldest first. */
  containers(fromMs: number, toMs: number): SidecarContainer[];
  /** Problems that concern the whole source (no cgroup root, no pod list), for the API's `notices`. */
  notices(): string[];
}
