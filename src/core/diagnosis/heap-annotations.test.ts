import { runtimeHeapFromAnnotations } from './heap-annotations';

const MiB = 1024 * 1024;

describe('heap settings from pod annotations', () => {
  test('a pod-wide heap maximum and non-heap figure apply to every container', () => {
    expect(runtimeHeapFromAnnotations({ 'headroom.dev/heap-max': '1600Mi', 'headroom.dev/non-heap': '700Mi' }, 'app')).toEqual({
      heapMaxBytes: 1600 * MiB,
      nonHeapBytes: 700 * MiB,
    });
  });

  test('a per-container annotation wins over the pod-wide one', () => {
    const annotations = { 'headroom.dev/heap-max': '1Gi', 'headroom.dev/heap-max.jvm': '1600Mi' };

    expect(runtimeHeapFromAnnotations(annotations, 'jvm')?.heapMaxBytes).toBe(1600 * MiB);
    expect(runtimeHeapFromAnnotations(annotations, 'proxy')?.heapMaxBytes).toBe(1024 * MiB);
  });

  test('no annotation or an unreadable one gives no heap settings rather than a zero heap', () => {
    expect(runtimeHeapFromAnnotations({}, 'app')).toBeNull();
    expect(runtimeHeapFromAnnotations({ 'headroom.dev/heap-max': 'lots' }, 'app')).toBeNull();
  });
});
