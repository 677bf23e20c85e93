import { Notice, notice, PodInfo } from '../core';
import { Settings } from './settings';

/** A sidecar to ask, and how to reach it. */
export type SidecarTarget =
  { via: 'pod-proxy'; namespace: string; pod: string; port: number; node: string | null } | { via: 'url' };

/** How a sidecar is named in notices. */
export function sidecarName(target: SidecarTarget): string {
  return target.via === 'url'
    ? 'the sidecar at the configured URL'
    : `sidecar ${target.namespace}/${target.pod}:${target.port}`;
}

/**
 * Pod scope: the selected pods that carry the port annotation (e.g. `headroom.dev/port: "9180"`) run a sidecar on that
 * port. Pods that are not running are skipped; a port that is not a number is a notice.
 */
export function annotatedSidecars(
  pods: readonly PodInfo[],
  settings: Settings
): { targets: SidecarTarget[]; notices: Notice[] } {
  const targets: SidecarTarget[] = [];
  const notices: Notice[] = [];
  for (const pod of pods) {
    const raw = pod.annotations[settings.sidecarPortAnnotation];
    if (raw === undefined || pod.phase !== 'Running') {
      continue;
    }
    const port = portOf(raw);
    if (port === null) {
      notices.push(
        notice(
          'warning',
          `pod ${pod.namespace}/${pod.name}: annotation ${settings.sidecarPortAnnotation}="${raw}" is not a port; its sidecar is not asked`
        )
      );
      continue;
    }
    targets.push({ via: 'pod-proxy', namespace: pod.namespace, pod: pod.name, port, node: pod.nodeName });
  }
  return { targets, notices };
}

/**
 * Node scope: the DaemonSet's running pods on the nodes in question, one sidecar per node. The port comes from the
 * annotation when the pod has one, otherwise from the settings.
 */
export function daemonSetSidecars(
  daemonPods: readonly PodInfo[],
  nodes: ReadonlySet<string>,
  settings: Settings
): { targets: SidecarTarget[]; notices: Notice[] } {
  const targets: SidecarTarget[] = [];
  const covered = new Set<string>();
  for (const pod of daemonPods) {
    if (pod.nodeName === null || !nodes.has(pod.nodeName) || covered.has(pod.nodeName) || pod.phase !== 'Running') {
      continue;
    }
    const port = portOf(pod.annotations[settings.sidecarPortAnnotation]) ?? settings.sidecarPort;
    targets.push({ via: 'pod-proxy', namespace: pod.namespace, pod: pod.name, port, node: pod.nodeName });
    covered.add(pod.nodeName);
  }

  const uncovered = [...nodes].filter((node) => !covered.has(node)).sort();
  const notices =
    uncovered.length === 0
      ? []
      : [
          notice(
            'info',
            `no running peak sidecar pod on ${uncovered.map((n) => `node "${n}"`).join(', ')}; peaks there are unknown`
          ),
        ];
  return { targets, notices };
}

function portOf(raw: string | undefined): number | null {
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) {
    return null;
  }
  const port = Number(raw);
  return port >= 1 && port <= 65535 ? port : null;
}
