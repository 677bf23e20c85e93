/**
 * A managed runtime's heap settings, read from pod annotations, since the pod spec does not hold them:
 * `headroom.dev/heap-max: 1600Mi` and `headroom.dev/non-heap: 700Mi` for every container of the pod, or
 * `headroom.dev/heap-max.<container>` / `headroom.dev/non-heap.<container>` for one container.
 */
import { parseQuantityBytes } from '../quantity';
import { RuntimeHeap } from './types';

export const HEAP_MAX_ANNOTATION = 'headroom.dev/heap-max';
export const NON_HEAP_ANNOTATION = 'headroom.dev/non-heap';

function pick(annotations: Record<string, string>, key: string, container: string): string | undefined {
  return annotations[`${key}.${container}`] ?? annotations[key];
}

/** The container's heap settings, or null when the pod does not say (or says something unreadable). */
export function runtimeHeapFromAnnotations(annotations: Record<string, string>, container: string): RuntimeHeap | null {
  const heapMax = pick(annotations, HEAP_MAX_ANNOTATION, container);
  if (heapMax === undefined) {
    return null;
  }
  const heapMaxBytes = parseQuantityBytes(heapMax);
  if (heapMaxBytes === null) {
    return null;
  }
  const nonHeap = pick(annotations, NON_HEAP_ANNOTATION, container);
  // Without a stated non-heap figure the check is a lower bound: heap alone against the limit.
  const nonHeapBytes = nonHeap === undefined ? 0 : (parseQuantityBytes(nonHeap) ?? 0);
  return { heapMaxBytes, nonHeapBytes };
}
