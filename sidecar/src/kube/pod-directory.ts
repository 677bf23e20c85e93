import type { Logger } from 'pino';
import { ContainerNameIndex, type ContainerNames } from './container-names';

export interface PodDirectoryOptions {
  /** Fetches the pod list (`/api/v1/pods?fieldSelector=spec.nodeName=NODE` in node scope). */
  fetchPods: () => Promise<unknown>;
  log: Logger;
  refreshMs?: number;
}

/** The pod list path for the pods of one node. */
export function nodePodsPath(nodeName: string): string {
  return `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`;
}

/** The pod list path for one pod, by name (needs only `list` on pods in its own namespace). */
export function ownPodPath(namespace: string, podName: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?fieldSelector=${encodeURIComponent(
    `metadata.name=${podName}`
  )}`;
}

/**
 * Names for pod UIDs and container IDs from a pod list refreshed every ~30 s. Without a list it answers null and the
 * sidecar labels containers by pod UID and container ID; a failure is logged once until a refresh succeeds.
 */
export class PodDirectory {
  private index: ContainerNameIndex | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private readonly refreshMs: number;

  constructor(private readonly options: PodDirectoryOptions) {
    this.refreshMs = options.refreshMs ?? 30_000;
  }

  /** Names of a container, or null when the list is missing or does not have its pod. */
  resolve(podUid: string | null, containerId: string | null): ContainerNames | null {
    return this.index?.lookup(podUid, containerId) ?? null;
  }

  /** Why names are missing, for the API's notices; null while the list is fine. */
  notice(): string | null {
    return this.lastError === null ? null : `pod list unavailable, containers are labelled by ID: ${this.lastError}`;
  }

  /** Fetches now and then every refresh interval until `stop()`. */
  start(): void {
    if (this.timer !== null) {
      return;
    }
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** One refresh; never throws, and never runs twice at once. A failed refresh keeps the last good list. */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async fetchOnce(): Promise<void> {
    try {
      const index = ContainerNameIndex.fromPodList(await this.options.fetchPods());
      if (this.lastError !== null || this.index === null) {
        this.options.log.info({ pods: index.podCount }, 'pod list loaded');
      }
      this.index = index;
      this.lastError = null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.lastError === null) {
        this.options.log.warn(
          { reason: message },
          'pod list unavailable; containers are labelled by pod UID and container ID'
        );
      }
      this.lastError = message;
    }
  }
}
