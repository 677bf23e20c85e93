import { DEFAULT_OPTIONS, HeadroomOptions, NodeStatsPath, SidecarDiscovery } from '../types';

/** Data source options with every default filled in. */
export interface Settings {
  nodeStatsPath: NodeStatsPath;
  nodeConcurrency: number;
  nodeTimeoutMs: number;
  sidecarDiscovery: SidecarDiscovery;
  sidecarPortAnnotation: string;
  sidecarPort: number;
  sidecarLabelSelector: string | null;
  sidecarNamespace: string | null;
}

/** Fills in defaults and clamps numbers an operator may have mistyped (a concurrency of 0, a negative timeout). */
export function resolveSettings(options: HeadroomOptions | undefined): Settings {
  const o = options ?? {};
  return {
    nodeStatsPath: o.nodeStatsPath === 'kubelet' ? 'kubelet' : DEFAULT_OPTIONS.nodeStatsPath,
    nodeConcurrency: positiveInteger(o.nodeConcurrency, DEFAULT_OPTIONS.nodeConcurrency),
    nodeTimeoutMs: positiveInteger(o.nodeTimeoutMs, DEFAULT_OPTIONS.nodeTimeoutMs),
    sidecarDiscovery: o.sidecarDiscovery ?? DEFAULT_OPTIONS.sidecarDiscovery,
    sidecarPortAnnotation: o.sidecarPortAnnotation?.trim() || DEFAULT_OPTIONS.sidecarPortAnnotation,
    sidecarPort: positiveInteger(o.sidecarPort, DEFAULT_OPTIONS.sidecarPort),
    sidecarLabelSelector: o.sidecarLabelSelector?.trim() || null,
    sidecarNamespace: o.sidecarNamespace?.trim() || null,
  };
}

function positiveInteger(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}
