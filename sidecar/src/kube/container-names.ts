/** Names of a container as the pod spec knows them. */
export interface ContainerNames {
  namespace: string;
  pod: string;
  /** Null when the pod is known but this container ID is not in its status (yet). */
  container: string | null;
}

interface PodNames {
  namespace: string;
  pod: string;
  containers: Map<string, string>;
}

/** Pod UID and container ID to names, built from one pod list. */
export class ContainerNameIndex {
  private constructor(private readonly pods: Map<string, PodNames>) {}

  /** Builds the index from a `/api/v1/pods` list (a `PodList`); throws when it is not one. */
  static fromPodList(list: unknown): ContainerNameIndex {
    const items = (list as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) {
      throw new Error('the pod list has no items array');
    }

    const pods = new Map<string, PodNames>();
    for (const item of items) {
      const metadata = item?.metadata;
      if (typeof metadata?.uid !== 'string' || typeof metadata.name !== 'string') {
        continue;
      }
      const containers = new Map<string, string>();
      const status = item.status ?? {};
      for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
        for (const container of Array.isArray(status[key]) ? status[key] : []) {
          if (typeof container?.containerID === 'string' && typeof container.name === 'string') {
            containers.set(normalizeContainerId(container.containerID), container.name);
          }
        }
      }
      pods.set(normalizePodUid(metadata.uid), {
        namespace: String(metadata.namespace ?? ''),
        pod: metadata.name,
        containers,
      });
    }
    return new ContainerNameIndex(pods);
  }

  get podCount(): number {
    return this.pods.size;
  }

  /** Names of the container, or null when its pod is not in the list. */
  lookup(podUid: string | null, containerId: string | null): ContainerNames | null {
    const pod = podUid === null ? undefined : this.pods.get(normalizePodUid(podUid));
    if (pod === undefined) {
      return null;
    }
    const container = containerId === null ? null : (pod.containers.get(normalizeContainerId(containerId)) ?? null);
    return { namespace: pod.namespace, pod: pod.pod, container };
  }
}

/** `containerd://0c1d…`, `cri-o://0c1d…` and `0c1d…` are the same container. */
export function normalizeContainerId(id: string): string {
  const scheme = id.indexOf('://');
  return (scheme === -1 ? id : id.slice(scheme + 3)).toLowerCase();
}

/** The systemd cgroup driver writes pod UIDs with `_` for `-`. */
export function normalizePodUid(uid: string): string {
  return uid.toLowerCase().replace(/_/g, '-');
}
