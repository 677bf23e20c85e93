import { parseArgs } from 'node:util';

/** Which cgroups the sidecar watches. */
export type SidecarScope = 'pod' | 'node' | 'cgroup';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** A cgroup named on the command line (`--cgroup PATH --name NAME`). */
export interface CgroupTarget {
  /** Path relative to the cgroup root, or absolute inside it. */
  path: string;
  name: string;
}

/** The pod this sidecar runs in, from the downward API; fields are null where not given. */
export interface PodIdentity {
  namespace: string | null;
  name: string | null;
  uid: string | null;
}

export interface SidecarConfig {
  scope: SidecarScope;
  targets: CgroupTarget[];
  cgroupRoot: string;
  listenHost: string;
  /** 0 asks the system for a free port. */
  listenPort: number;
  windowMs: number;
  keepMs: number;
  /** How often usage is read; null lets each cgroup's peak method decide (once a window where peaks are exact). */
  sampleIntervalMs: number | null;
  /** Trailing span `headroom_memory_peak_bytes` covers: any scrape interval up to it sees every spike. */
  peakWindowMs: number;
  v1ResetPeak: boolean;
  allocatorUrl: string | null;
  /** Name of the container the allocator figures describe (in cgroup scope, the first `--name` by default). */
  allocatorContainer: string | null;
  nodeName: string | null;
  pod: PodIdentity;
  logLevel: LogLevel;
}

/** A flag or variable the sidecar cannot run with; the CLI prints it with the usage and exits with code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** What `parseConfig` found: either a config to run, or a request for the usage text. */
export type ConfigResult = { kind: 'run'; config: SidecarConfig } | { kind: 'help' };

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const OPTIONS = {
  scope: { type: 'string' },
  cgroup: { type: 'string', multiple: true },
  name: { type: 'string', multiple: true },
  'cgroup-root': { type: 'string' },
  listen: { type: 'string' },
  window: { type: 'string' },
  keep: { type: 'string' },
  'sample-interval': { type: 'string' },
  'peak-window': { type: 'string' },
  'v1-reset-peak': { type: 'boolean' },
  'allocator-url': { type: 'string' },
  'allocator-container': { type: 'string' },
  'node-name': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: headroom-sidecar [flags]

Reads the kernel's memory accounting for containers and serves exact peaks as JSON (/v1/containers)
and Prometheus metrics (/metrics). Every flag can also be set by the environment variable shown.

Scope (pick one):
  --scope pod|node            pod: the containers of this pod (POD_UID); node: every pod on the node  [HEADROOM_SCOPE]
  --cgroup PATH --name NAME   watch these cgroups (repeatable, paired in order; implies scope cgroup)
                              [HEADROOM_CGROUP, HEADROOM_NAME: comma-separated lists]

Flags:
  --cgroup-root PATH          where the cgroup tree is mounted (default /sys/fs/cgroup)    [HEADROOM_CGROUP_ROOT]
  --listen HOST:PORT          address of the HTTP server (default 0.0.0.0:9180)              [HEADROOM_LISTEN]
  --window DURATION           width of each peak window (default 1s)                         [HEADROOM_WINDOW]
  --keep DURATION             how long windows are kept (default 1h)                         [HEADROOM_KEEP]
  --sample-interval DURATION  how often usage is read (default: once a window where peaks are  [HEADROOM_SAMPLE_INTERVAL]
                              exact, 100ms where they are sampled)
  --peak-window DURATION      span of headroom_memory_peak_bytes (default 60s)               [HEADROOM_PEAK_WINDOW]
  --v1-reset-peak             reset cgroup v1 max_usage_in_bytes each window (needs write access; other
                              readers of that file then see window peaks)                    [HEADROOM_V1_RESET_PEAK]
  --allocator-url URL         jemalloc-style JSON stats of the app (pod or cgroup scope)     [HEADROOM_ALLOCATOR_URL]
  --allocator-container NAME  container those stats describe (cgroup scope: first --name) [HEADROOM_ALLOCATOR_CONTAINER]
  --node-name NAME            node to list pods for in node scope                            [HEADROOM_NODE_NAME, NODE_NAME]
  --log-level LEVEL           fatal|error|warn|info|debug|trace|silent (default info)        [HEADROOM_LOG_LEVEL]
  -h, --help                  print this text

Pod scope also reads POD_NAME, POD_NAMESPACE and POD_UID (set them from the downward API).
Durations are written with a unit: 500ms, 1s, 90s, 1m30s, 1h.
`;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration such as `500ms`, `1s`, `1m30s` or `1h` into milliseconds; a bare number is refused. */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  if (trimmed === '' || parts.length === 0 || consumed !== trimmed) {
    throw new ConfigError(`${what}: "${text}" is not a duration; write it with a unit, e.g. 500ms, 1s, 1h`);
  }

  const exactMs = parts.reduce((sum, part) => sum + Number(part[1]) * DURATION_UNITS_MS[part[2]], 0);
  if (exactMs <= 0) {
    throw new ConfigError(`${what}: must be longer than 0, got "${text}"`);
  }
  // Whole milliseconds: `0.4ms` rounds to 0, which is no duration at all.
  const ms = Math.round(exactMs);
  if (ms === 0) {
    throw new ConfigError(`${what}: "${text}" rounds to 0 ms; give at least 1ms`);
  }
  if (ms > MAX_DURATION_MS) {
    throw new ConfigError(`${what}: "${text}" is longer than 30 days`);
  }
  return ms;
}

/** Longest duration any flag takes; beyond it a typo (`100000h`) is likelier than intent. */
const MAX_DURATION_MS = 30 * 24 * 3_600_000;

/**
 * Most windows one container may keep (--keep / --window): each costs 27 bytes in the ring, so this bounds a
 * watched container to about 2.3 MiB (a day of 1 s windows) instead of failing to allocate on first sight.
 */
export const MAX_WINDOWS = 86_400;

/** Parses `HOST:PORT` (IPv6 hosts in brackets: `[::1]:9180`). */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new ConfigError(`--listen: "${text}" is not HOST:PORT (e.g. 0.0.0.0:9180, 127.0.0.1:0, [::]:9180)`);
  }
  const host = match[1] ?? match[2];
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/**
 * Reads the sidecar's configuration from command-line flags, falling back to environment variables and then to
 * defaults. Throws `ConfigError` for anything it cannot run with.
 */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ConfigResult {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    return { kind: 'help' };
  }

  const fromEnv = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const list = (name: string): string[] | undefined =>
    fromEnv(name)
      ?.split(',')
      .map((item) => item.trim());

  const targets = pairTargets(
    values.cgroup ?? list('HEADROOM_CGROUP') ?? [],
    values.name ?? list('HEADROOM_NAME') ?? []
  );
  const scope = resolveScope(values.scope ?? fromEnv('HEADROOM_SCOPE'), targets);
  const listen = parseListen(values.listen ?? fromEnv('HEADROOM_LISTEN') ?? '0.0.0.0:9180');

  const windowMs = parseDuration(values.window ?? fromEnv('HEADROOM_WINDOW') ?? '1s', '--window');
  const keepMs = parseDuration(values.keep ?? fromEnv('HEADROOM_KEEP') ?? '1h', '--keep');
  const sampleText = values['sample-interval'] ?? fromEnv('HEADROOM_SAMPLE_INTERVAL');
  const sampleIntervalMs = sampleText === undefined ? null : parseDuration(sampleText, '--sample-interval');
  const peakWindowMs = parseDuration(
    values['peak-window'] ?? fromEnv('HEADROOM_PEAK_WINDOW') ?? '60s',
    '--peak-window'
  );
  if (sampleIntervalMs !== null && sampleIntervalMs > windowMs) {
    throw new ConfigError(
      `--sample-interval (${sampleIntervalMs} ms) must not be longer than --window (${windowMs} ms)`
    );
  }
  if (keepMs < windowMs) {
    throw new ConfigError(`--keep (${keepMs} ms) must be at least one --window (${windowMs} ms)`);
  }
  if (Math.ceil(keepMs / windowMs) > MAX_WINDOWS) {
    throw new ConfigError(
      `--keep (${keepMs} ms) / --window (${windowMs} ms) is ${Math.ceil(keepMs / windowMs)} windows per container; at most ${MAX_WINDOWS}`
    );
  }
  if (peakWindowMs > keepMs) {
    throw new ConfigError(`--peak-window (${peakWindowMs} ms) must not be longer than --keep (${keepMs} ms)`);
  }

  const allocatorUrl = values['allocator-url'] ?? fromEnv('HEADROOM_ALLOCATOR_URL') ?? null;
  const allocatorContainer =
    values['allocator-container'] ??
    fromEnv('HEADROOM_ALLOCATOR_CONTAINER') ??
    (scope === 'cgroup' ? targets[0].name : null);
  if (allocatorUrl !== null) {
    checkAllocatorUrl(allocatorUrl, scope);
    if (allocatorContainer === null) {
      throw new ConfigError(
        '--allocator-url in pod scope needs --allocator-container NAME: the container it describes'
      );
    }
  }

  const pod: PodIdentity = {
    namespace: fromEnv('POD_NAMESPACE') ?? null,
    name: fromEnv('POD_NAME') ?? null,
    uid: fromEnv('POD_UID') ?? null,
  };
  if (scope === 'pod' && pod.uid === null) {
    throw new ConfigError('pod scope needs the pod UID: set POD_UID from the downward API (metadata.uid)');
  }

  const logLevel = (values['log-level'] ?? fromEnv('HEADROOM_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`--log-level: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  return {
    kind: 'run',
    config: {
      scope,
      targets,
      cgroupRoot: values['cgroup-root'] ?? fromEnv('HEADROOM_CGROUP_ROOT') ?? '/sys/fs/cgroup',
      listenHost: listen.host,
      listenPort: listen.port,
      windowMs,
      keepMs,
      sampleIntervalMs,
      peakWindowMs,
      v1ResetPeak: values['v1-reset-peak'] ?? parseBoolean(fromEnv('HEADROOM_V1_RESET_PEAK'), 'HEADROOM_V1_RESET_PEAK'),
      allocatorUrl,
      allocatorContainer: allocatorUrl === null ? null : allocatorContainer,
      nodeName: values['node-name'] ?? fromEnv('HEADROOM_NODE_NAME') ?? fromEnv('NODE_NAME') ?? null,
      pod,
      logLevel,
    },
  };
}

function parseFlags(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
}

function pairTargets(paths: string[], names: string[]): CgroupTarget[] {
  if (paths.length !== names.length) {
    throw new ConfigError(`--cgroup and --name come in pairs: got ${paths.length} --cgroup and ${names.length} --name`);
  }
  return paths.map((path, index) => {
    if (path === '' || names[index] === '') {
      throw new ConfigError('--cgroup and --name must not be empty');
    }
    return { path, name: names[index] };
  });
}

function resolveScope(scope: string | undefined, targets: CgroupTarget[]): SidecarScope {
  if (targets.length > 0) {
    if (scope !== undefined && scope !== 'cgroup') {
      throw new ConfigError(`--cgroup watches the named cgroups; it cannot be combined with --scope ${scope}`);
    }
    return 'cgroup';
  }
  if (scope === 'pod' || scope === 'node') {
    return scope;
  }
  if (scope === undefined) {
    throw new ConfigError('say what to watch: --scope pod, --scope node, or --cgroup PATH --name NAME');
  }
  throw new ConfigError(`--scope: "${scope}" is not pod or node`);
}

function checkAllocatorUrl(url: string, scope: SidecarScope): void {
  if (scope === 'node') {
    throw new ConfigError('--allocator-url reads one app; use it in pod or cgroup scope, not node scope');
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError(`--allocator-url: "${url}" is not a URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigError(`--allocator-url: "${url}" must be http or https`);
  }
}

function parseBoolean(text: string | undefined, what: string): boolean {
  if (text === undefined) {
    return false;
  }
  const lower = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) {
    return true;
  }
  if (['0', 'false', 'no', 'off'].includes(lower)) {
    return false;
  }
  throw new ConfigError(`${what}: "${text}" is not true or false`);
}
