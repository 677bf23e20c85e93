import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ContainerSource } from '../container-source';
import { registerContainerMetrics, type ContainerMetricsOptions } from './container-metrics';

/** The registry `/metrics` serves: the sidecar's own process metrics and the watched containers' memory metrics. */
export function createMetricsRegistry(source: ContainerSource, options: ContainerMetricsOptions): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerContainerMetrics(registry, source, options);
  return registry;
}
