// Annotations: each container's last termination from pod status (OOM kills stand out), and, where a peak sidecar
// watches the container, every OOM kill and limit hit the kernel counted, at the time the sidecar saw it.
import { ColumnFrame } from './frame';
import { PodInfo } from './pod-list';
import { ContainersResponse } from './sidecar-api';
import { TimeRange, inRange } from './time-range';

/** One annotation: an OOM kill or another termination that led to a restart. */
export interface AnnotationEvent {
  timeMs: number;
  kind: 'oom-kill' | 'restart' | 'termination' | 'limit-hit';
  title: string;
  text: string;
  tags: string[];
  namespace: string;
  pod: string;
  container: string;
}

/** Limit hits of one container closer together than this become one annotation (reclaim raises the counter in bursts). */
const LIMIT_HIT_GAP_MS = 60_000;
/** A pod-status OOM kill this close to one the sidecar saw is the same kill. */
const SAME_KILL_MS = 60_000;

/**
 * Lists the terminations of the pods' containers that ended within `range`, oldest first. Kubernetes keeps only the last
 * termination of each container; the sidecars' events (`sidecars`) add every OOM kill and limit hit they saw, and a
 * pod-status OOM kill the sidecar also saw is shown once, at the sidecar's time.
 */
export function annotationEvents(
  pods: readonly PodInfo[],
  range: TimeRange,
  sidecars: readonly ContainersResponse[] = []
): AnnotationEvent[] {
  const fromSidecars = sidecarEvents(sidecars, pods, range);
  const sidecarKills = new Map<string, number[]>();
  for (const e of fromSidecars) {
    if (e.kind === 'oom-kill') {
      const key = `${e.namespace}/${e.pod}/${e.container}`;
      sidecarKills.set(key, [...(sidecarKills.get(key) ?? []), e.timeMs]);
    }
  }
  const events: AnnotationEvent[] = [...fromSidecars];
  for (const pod of pods) {
    for (const container of pod.containers) {
      const ended = container.lastTermination;
      if (!ended || ended.finishedAtMs === null || !inRange(ended.finishedAtMs, range)) {
        continue;
      }

      const seen = sidecarKills.get(`${pod.namespace}/${pod.name}/${container.name}`) ?? [];
      if (ended.oomKilled && seen.some((t) => Math.abs(t - ended.finishedAtMs!) <= SAME_KILL_MS)) {
        continue;
      }
      const restarted = container.state !== 'terminated' && (container.restartCount ?? 0) > 0;
      const kind = ended.oomKilled ? 'oom-kill' : restarted ? 'restart' : 'termination';
      const who = `${pod.namespace}/${pod.name}/${container.name}`;
      const title = ended.oomKilled ? `OOMKilled: ${who}` : `${restarted ? 'Restarted' : 'Terminated'}: ${who}`;
      const details = [
        `reason ${ended.reason ?? 'unknown'}`,
        `exit code ${ended.exitCode ?? 'unknown'}`,
        `restarts ${container.restartCount ?? 'unknown'}`,
      ];
      if (container.limitBytes !== null) {
        details.push(`limit ${container.limitBytes} bytes`);
      }
      if (pod.nodeName) {
        details.push(`node ${pod.nodeName}`);
      }
      events.push({
        timeMs: ended.finishedAtMs,
        kind,
        title,
        text: details.join(', '),
        tags: [kind, `namespace:${pod.namespace}`, `pod:${pod.name}`, `container:${container.name}`],
        namespace: pod.namespace,
        pod: pod.name,
        container: container.name,
      });
    }
  }
  events.sort((a, b) => a.timeMs - b.timeMs);
  return events;
}

/** The sidecars' OOM kills (each one) and limit hits (coalesced per minute) in `range`, named from the pod list. */
function sidecarEvents(
  responses: readonly ContainersResponse[],
  pods: readonly PodInfo[],
  range: TimeRange
): AnnotationEvent[] {
  const byUid = new Map(pods.map((p) => [p.uid, p]));
  const events: AnnotationEvent[] = [];
  for (const response of responses) {
    for (const c of response.containers) {
      const pod = c.identity.podUid ? byUid.get(c.identity.podUid) : undefined;
      const namespace = c.identity.namespace ?? pod?.namespace ?? '';
      const podName = c.identity.pod ?? pod?.name ?? '';
      const container = c.identity.container ?? c.identity.cgroupPath;
      const who = podName ? `${namespace}/${podName}/${container}` : container;
      const tags = (kind: string) => [kind, `namespace:${namespace}`, `pod:${podName}`, `container:${container}`];
      const limit = c.limitBytes === null ? 'no limit' : `limit ${c.limitBytes} bytes`;
      let lastHit: AnnotationEvent | null = null;
      let hits = 0;

      for (const e of [...c.recentEvents].sort((a, b) => a.timeMs - b.timeMs)) {
        if (!inRange(e.timeMs, range)) {
          continue;
        }
        if (e.kind === 'oom_kill') {
          events.push({
            timeMs: e.timeMs,
            kind: 'oom-kill',
            title: `OOM kill (kernel): ${who}`,
            text: `the kernel's oom_kill counter reached ${e.count}; ${limit}; seen by the peak sidecar`,
            tags: tags('oom-kill'),
            namespace,
            pod: podName,
            container,
          });
        } else if (e.kind === 'max') {
          if (lastHit && e.timeMs - lastHit.timeMs <= LIMIT_HIT_GAP_MS) {
            hits += e.delta;
            lastHit.text = `the cgroup reached its limit ${hits} time(s) and the kernel reclaimed; ${limit}`;
            continue;
          }
          hits = e.delta;
          lastHit = {
            timeMs: e.timeMs,
            kind: 'limit-hit',
            title: `Limit hit: ${who}`,
            text: `the cgroup reached its limit ${hits} time(s) and the kernel reclaimed; ${limit}`,
            tags: tags('limit-hit'),
            namespace,
            pod: podName,
            container,
          };
          events.push(lastHit);
        }
      }
    }
  }
  return events;
}

/** The annotation frame Grafana reads: time, title, text and comma-separated tags, one row per event. */
export function annotationsFrom(
  pods: readonly PodInfo[],
  range: TimeRange,
  refId?: string,
  sidecars: readonly ContainersResponse[] = []
): ColumnFrame {
  const events = annotationEvents(pods, range, sidecars);
  return {
    name: 'annotations',
    refId,
    fields: [
      { name: 'time', type: 'time', values: events.map((e) => e.timeMs) },
      { name: 'title', type: 'string', values: events.map((e) => e.title) },
      { name: 'text', type: 'string', values: events.map((e) => e.text) },
      { name: 'tags', type: 'string', values: events.map((e) => e.tags.join(',')) },
    ],
    notices: [],
  };
}
