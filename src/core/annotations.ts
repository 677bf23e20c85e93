// Annotations from pod status: each container's last termination (OOM kills stand out) placed at the time it ended.
import { ColumnFrame } from './frame';
import { PodInfo } from './pod-list';
import { TimeRange, inRange } from './time-range';

/** One annotation: an OOM kill or another termination that led to a restart. */
export interface AnnotationEvent {
  timeMs: number;
  kind: 'oom-kill' | 'restart' | 'termination';
  title: string;
  text: string;
  tags: string[];
  namespace: string;
  pod: string;
  container: string;
}

/**
 * Lists the terminations of the pods' containers that ended within `range`, oldest first. Kubernetes keeps only the last
 * termination of each container, so earlier ones in the range are not seen.
 */
export function annotationEvents(pods: readonly PodInfo[], range: TimeRange): AnnotationEvent[] {
  // Known gap: the pod status keeps only each container's last termination, so a container OOM-killed twice in the
  // range shows one annotation; the sidecar's `oom_kill` events would give every kill, but are not read here.
  const events: AnnotationEvent[] = [];
  for (const pod of pods) {
    for (const container of pod.containers) {
      const ended = container.lastTermination;
      if (!ended || ended.finishedAtMs === null || !inRange(ended.finishedAtMs, range)) {
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

/** The annotation frame Grafana reads: time, title, text and comma-separated tags, one row per event. */
export function annotationsFrom(pods: readonly PodInfo[], range: TimeRange, refId?: string): ColumnFrame {
  const events = annotationEvents(pods, range);
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
