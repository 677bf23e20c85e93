import { ConfigError, parseConfig, parseDuration, parseListen, type SidecarConfig } from './config';

function run(argv: string[], env: NodeJS.ProcessEnv = {}): SidecarConfig {
  const result = parseConfig(argv, env);
  if (result.kind !== 'run') {
    throw new Error('expected a config to run');
  }
  return result.config;
}

describe('sidecar configuration', () => {
  it('a named cgroup runs in cgroup scope with the documented defaults', () => {
    expect(run(['--cgroup', 'system.slice/demo.scope', '--name', 'demo'])).toEqual({
      scope: 'cgroup',
      targets: [{ path: 'system.slice/demo.scope', name: 'demo' }],
      cgroupRoot: '/sys/fs/cgroup',
      listenHost: '0.0.0.0',
      listenPort: 9180,
      windowMs: 1000,
      keepMs: 3_600_000,
      sampleIntervalMs: null,
      peakWindowMs: 60_000,
      v1ResetPeak: false,
      allocatorUrl: null,
      allocatorContainer: null,
      nodeName: null,
      pod: { namespace: null, name: null, uid: null },
      logLevel: 'info',
    });
  });

  it('pairs repeated --cgroup and --name in order', () => {
    const config = run(['--cgroup', 'a.scope', '--name', 'api', '--cgroup', 'b.scope', '--name', 'envoy']);

    expect(config.targets).toEqual([
      { path: 'a.scope', name: 'api' },
      { path: 'b.scope', name: 'envoy' },
    ]);
  });

  it('node scope takes the node name from the downward API variable NODE_NAME', () => {
    const config = run(['--scope', 'node'], { NODE_NAME: 'worker-3' });

    expect(config.scope).toBe('node');
    expect(config.nodeName).toBe('worker-3');
  });

  it('pod scope reads the pod from POD_NAME, POD_NAMESPACE and POD_UID', () => {
    const config = run(
      ['--scope', 'pod', '--allocator-url', 'http://127.0.0.1:9091/stats', '--allocator-container', 'api'],
      {
        POD_NAME: 'checkout-7d9f',
        POD_NAMESPACE: 'shop',
        POD_UID: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
      }
    );

    expect(config.pod).toEqual({
      namespace: 'shop',
      name: 'checkout-7d9f',
      uid: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
    });
    expect(config.allocatorUrl).toBe('http://127.0.0.1:9091/stats');
    expect(config.allocatorContainer).toBe('api');
  });

  it('every flag can come from a HEADROOM_ environment variable', () => {
    const config = run([], {
      HEADROOM_CGROUP: 'a.scope,b.scope',
      HEADROOM_NAME: 'api,envoy',
      HEADROOM_CGROUP_ROOT: '/host/cgroup',
      HEADROOM_LISTEN: '127.0.0.1:9999',
      HEADROOM_WINDOW: '500ms',
      HEADROOM_KEEP: '2h',
      HEADROOM_SAMPLE_INTERVAL: '50ms',
      HEADROOM_PEAK_WINDOW: '2m',
      HEADROOM_V1_RESET_PEAK: 'true',
      HEADROOM_ALLOCATOR_URL: 'http://localhost:9091/stats',
      HEADROOM_NODE_NAME: 'worker-7',
      HEADROOM_LOG_LEVEL: 'debug',
    });

    expect(config).toMatchObject({
      scope: 'cgroup',
      targets: [
        { path: 'a.scope', name: 'api' },
        { path: 'b.scope', name: 'envoy' },
      ],
      cgroupRoot: '/host/cgroup',
      listenHost: '127.0.0.1',
      listenPort: 9999,
      windowMs: 500,
      keepMs: 7_200_000,
      sampleIntervalMs: 50,
      peakWindowMs: 120_000,
      v1ResetPeak: true,
      allocatorUrl: 'http://localhost:9091/stats',
      allocatorContainer: 'api',
      nodeName: 'worker-7',
      logLevel: 'debug',
    });
  });

  it('a flag wins over its environment variable', () => {
    const config = run(['--scope', 'node', '--listen', '127.0.0.1:0', '--node-name', 'worker-1'], {
      HEADROOM_LISTEN: '0.0.0.0:9999',
      NODE_NAME: 'worker-3',
    });

    expect(config.listenPort).toBe(0);
    expect(config.nodeName).toBe('worker-1');
  });

  it('--help asks for the usage', () => {
    expect(parseConfig(['--help'], {})).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'say what to watch: --scope pod, --scope node, or --cgroup PATH --name NAME'],
    [['--scope', 'cluster'], '--scope: "cluster" is not pod or node'],
    [['--scope', 'pod'], 'pod scope needs the pod UID: set POD_UID from the downward API (metadata.uid)'],
    [['--cgroup', 'a.scope'], '--cgroup and --name come in pairs: got 1 --cgroup and 0 --name'],
    [
      ['--cgroup', 'a.scope', '--name', 'a', '--scope', 'node'],
      '--cgroup watches the named cgroups; it cannot be combined with --scope node',
    ],
    [['--scope', 'node', '--window', '1'], '--window: "1" is not a duration; write it with a unit, e.g. 500ms, 1s, 1h'],
    [
      ['--scope', 'node', '--sample-interval', '2s'],
      '--sample-interval (2000 ms) must not be longer than --window (1000 ms)',
    ],
    [
      ['--scope', 'node', '--peak-window', '2h'],
      '--peak-window (7200000 ms) must not be longer than --keep (3600000 ms)',
    ],
    [
      ['--scope', 'node', '--listen', '9180'],
      '--listen: "9180" is not HOST:PORT (e.g. 0.0.0.0:9180, 127.0.0.1:0, [::]:9180)',
    ],
    [
      ['--scope', 'node', '--allocator-url', 'http://app/stats'],
      '--allocator-url reads one app; use it in pod or cgroup scope, not node scope',
    ],
    [
      ['--cgroup', 'a', '--name', 'a', '--allocator-url', 'file:///etc/passwd'],
      '--allocator-url: "file:///etc/passwd" must be http or https',
    ],
    [
      ['--scope', 'node', '--log-level', 'loud'],
      '--log-level: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
    ],
    [['--scope', 'node', '--verbose'], "Unknown option '--verbose'"],
  ])('refuses %j with a clear error', (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseConfig(argv, {})).toThrow(message);
  });

  it('refuses an environment variable it cannot read as a boolean', () => {
    expect(() => parseConfig(['--scope', 'node'], { HEADROOM_V1_RESET_PEAK: 'maybe' })).toThrow(
      'HEADROOM_V1_RESET_PEAK: "maybe" is not true or false'
    );
  });
});

describe('durations and addresses', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--window')).toBe(ms);
  });

  it('a zero duration is refused', () => {
    expect(() => parseDuration('0s', '--keep')).toThrow('--keep: must be longer than 0, got "0s"');
  });

  it('reads IPv4, IPv6 and empty hosts', () => {
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('[::]:9180')).toEqual({ host: '::', port: 9180 });
    expect(parseListen(':9180')).toEqual({ host: '0.0.0.0', port: 9180 });
  });
});
