import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import type { AllocatorStats } from '../../src/core/sidecar-api';
import { AllocatorPoller } from './allocator/allocator-poller';
import { Collector } from './collector';
import { ConfigError, parseConfig, USAGE, type SidecarConfig } from './config';
import type { ContainerSource } from './container-source';
import { normalizePodUid, type ContainerNames } from './kube/container-names';
import { nodePodsPath, ownPodPath, PodDirectory } from './kube/pod-directory';
import { getFromApiServer } from './kube/pod-list-request';
import { readServiceAccount } from './kube/service-account';
import { createMetricsRegistry } from './metrics/metrics-registry';
import { close, createSidecarServer, listen } from './server/sidecar-server';

/** A container source that samples in the background between `start()` and `stop()`. */
export interface SamplingSource extends ContainerSource {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** What the sidecar offers the collector beyond the cgroup files. */
export interface SourceHooks {
  /** Names of a container from the pod list, or null when the list is missing or lacks it. */
  resolveNames: (podUid: string | null, containerId: string | null) => ContainerNames | null;
  /** The app's allocator figures for the container with this name, or null. */
  allocatorFor: (containerName: string | null) => AllocatorStats | null;
}

export type SourceFactory = (config: SidecarConfig, hooks: SourceHooks, log: Logger) => SamplingSource;

/** A started sidecar: where it listens and how to stop it. */
export interface RunningSidecar {
  host: string;
  port: number;
  server: Server;
  /** Stops sampling and polling, closes the server; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts the pod list, the allocator poller, the collector and the HTTP server. */
export async function startSidecar(
  config: SidecarConfig,
  log: Logger,
  createSource: SourceFactory,
  env: NodeJS.ProcessEnv = process.env
): Promise<RunningSidecar> {
  const pods = podDirectory(config, log, env);
  const allocator =
    config.allocatorUrl === null
      ? null
      : new AllocatorPoller({ url: config.allocatorUrl, log: log.child({ part: 'allocator' }) });
  pods?.start();
  allocator?.start();

  const hooks: SourceHooks = {
    resolveNames: (podUid, containerId) => pods?.resolve(podUid, containerId) ?? ownPodNames(config, podUid),
    allocatorFor: (name) => (allocator !== null && name === config.allocatorContainer ? allocator.current() : null),
  };
  const collector = createSource(config, hooks, log.child({ part: 'collector' }));
  await collector.start();

  const source: ContainerSource = {
    containers: (fromMs, toMs) => collector.containers(fromMs, toMs),
    notices: () =>
      [...collector.notices(), pods?.notice() ?? null, allocator?.notice() ?? null].filter(
        (notice): notice is string => notice !== null
      ),
  };
  const registry = createMetricsRegistry(source, { peakWindowMs: config.peakWindowMs });
  const server = createSidecarServer({
    source,
    registry,
    scope: config.scope,
    node: config.nodeName,
    log: log.child({ part: 'server' }),
  });

  const address = await listen(server, config.listenHost, config.listenPort);
  log.info(
    { scope: config.scope, host: address.address, port: address.port, cgroupRoot: config.cgroupRoot },
    'headroom sidecar listening'
  );

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await collector.stop();
      pods?.stop();
      allocator?.stop();
      await close(server);
      log.info('headroom sidecar stopped');
    })();
    return stopping;
  };

  return { host: address.address, port: address.port, server, stop };
}

/**
 * Stops the sidecar on SIGTERM or SIGINT and exits 0; exits 1 when stopping fails or takes longer than `graceMs`.
 */
export function exitOnSignals(sidecar: RunningSidecar, log: Logger, exit: (code: number) => void, graceMs = 10_000) {
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      log.error({ graceMs }, 'stopping took too long');
      exit(1);
    }, graceMs);
    timer.unref();
    sidecar.stop().then(
      () => {
        clearTimeout(timer);
        exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'stopping failed');
        exit(1);
      }
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

function podDirectory(config: SidecarConfig, log: Logger, env: NodeJS.ProcessEnv): PodDirectory | null {
  let path: string | null = null;
  if (config.scope === 'node') {
    if (config.nodeName === null) {
      log.warn('no node name (set NODE_NAME from spec.nodeName); containers are labelled by pod UID and container ID');
      return null;
    }
    path = nodePodsPath(config.nodeName);
  } else if (config.scope === 'pod' && config.pod.namespace !== null && config.pod.name !== null) {
    path = ownPodPath(config.pod.namespace, config.pod.name);
  }
  if (path === null) {
    return null;
  }

  const podsPath = path;
  try {
    const account = readServiceAccount(env);
    return new PodDirectory({ fetchPods: () => getFromApiServer(account, podsPath), log: log.child({ part: 'pods' }) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ reason }, 'no service account; containers are labelled by pod UID and container ID');
    return null;
  }
}

/**
 * The downward API names the pod even when no pod list is readable: in pod scope for the pod's own cgroups, in cgroup
 * scope for every watched target (each keeps its `--name` as the container name).
 */
function ownPodNames(config: SidecarConfig, podUid: string | null): ContainerNames | null {
  const { pod } = config;
  if (pod.namespace === null || pod.name === null) {
    return null;
  }
  if (config.scope === 'cgroup') {
    return { namespace: pod.namespace, pod: pod.name, container: null };
  }
  if (config.scope !== 'pod' || podUid === null) {
    return null;
  }
  const sameUid = pod.uid !== null && normalizePodUid(podUid) === normalizePodUid(pod.uid);
  return sameUid ? { namespace: pod.namespace, pod: pod.name, container: null } : null;
}

/** The real collector, set up from the flags. Pod scope samples only its own pod's containers among the node's. */
export function createCollector(config: SidecarConfig, hooks: SourceHooks, log: Logger): SamplingSource {
  return new Collector({
    cgroupRoot: config.cgroupRoot,
    targets: config.targets,
    nodeScope: config.scope !== 'cgroup',
    podUid: config.scope === 'pod' ? config.pod.uid : null,
    sampleIntervalMs: config.sampleIntervalMs ?? undefined,
    windowMs: config.windowMs,
    keepMs: config.keepMs,
    v1ResetPeak: config.v1ResetPeak,
    resolveIdentity: hooks.resolveNames,
    allocatorStats: (identity) => hooks.allocatorFor(identity.container),
    onNotice: (notice, cgroupPath) => log.warn({ notice, cgroupPath }, 'source degraded'),
  });
}

/** The command line: parse flags (exit 2 on bad ones), start, and run until SIGTERM or SIGINT. */
async function main(): Promise<void> {
  let config: SidecarConfig;
  try {
    const result = parseConfig(process.argv.slice(2), process.env);
    if (result.kind === 'help') {
      process.stdout.write(USAGE);
      return;
    }
    config = result.config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`headroom-sidecar: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }

  const log = pino({ level: config.logLevel, base: { service: 'headroom-sidecar' } });
  try {
    const sidecar = await startSidecar(config, log, createCollector);
    exitOnSignals(sidecar, log, (code) => process.exit(code));
  } catch (error) {
    log.error({ err: error }, 'headroom sidecar failed to start');
    process.exit(1);
  }
}

if (require.main === module) {
  void main();
}
