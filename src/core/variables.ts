// Values for template variables, read from the pod list.
import { PodInfo } from './pod-list';

export type VariableKind = 'namespace' | 'node' | 'pod' | 'container';

/** Narrows the pods a variable lists (e.g. pods of one namespace). Empty means any. */
export interface VariableFilter {
  namespace?: string;
  node?: string;
  pod?: string;
}

/** The distinct, sorted values of `kind` among the pods that pass `filter`; init containers are not listed. */
export function variableValues(kind: VariableKind, pods: readonly PodInfo[], filter: VariableFilter = {}): string[] {
  const values = new Set<string>();
  for (const pod of pods) {
    if (
      (filter.namespace && pod.namespace !== filter.namespace) ||
      (filter.node && pod.nodeName !== filter.node) ||
      (filter.pod && pod.name !== filter.pod)
    ) {
      continue;
    }
    if (kind === 'namespace') {
      values.add(pod.namespace);
    } else if (kind === 'node') {
      if (pod.nodeName !== null) {
        values.add(pod.nodeName);
      }
    } else if (kind === 'pod') {
      values.add(pod.name);
    } else {
      for (const container of pod.containers) {
        if (!container.init) {
          values.add(container.name);
        }
      }
    }
  }
  return [...values].sort();
}
