import pino from 'pino';
import type { SidecarConfig } from './config';
import { exitOnSignals, startSidecar, type SamplingSource, type SourceHooks } from './main';
import { apiContainer } from './server/fake-container-source';

const CONFIG: SidecarConfig = {
  scope: 'cgroup',
  targets: [{ path: 'system.slice/demo.scope', name: 'demo' }],
  cgroupRoot: '/sys/fs/cgroup',
  listenHost: '127.0.0.1',
  listenPort: 0,
  windowMs: 1000,
  keepMs: 3_600_000,
  sampleIntervalMs: 100,
  peakWindowMs: 60_000,
  v1ResetPeak: false,
  allocatorUrl: null,
  allocatorContainer: null,
  nodeName: null,
  pod: { namespace: null, name: null, uid: null },
  logLevel: 'silent',
};

class RecordingCollector implements SamplingSource {
  events: string[] = [];
  start() {
    this.events.push('start');
  }
  stop() {
    this.events.push('stop');
  }
  containers() {
    return [apiContainer()];
  }
  notices() {
    return [];
  }
}

describe('sidecar lifecycle', () => {
  it('starts the collector before serving and stops it and the server on stop', async () => {
    const collector = new RecordingCollector();
    const sidecar = await startSidecar(CONFIG, pino({ level: 'silent' }), () => collector, {});

    const health = await fetch(`http://127.0.0.1:${sidecar.port}/healthz`);
    expect(health.status).toBe(200);
    expect(collector.events).toEqual(['start']);

    await sidecar.stop();
    await sidecar.stop();

    expect(collector.events).toEqual(['start', 'stop']);
    expect(sidecar.server.listening).toBe(false);
  });

  it('SIGTERM stops sampling, closes the server and exits 0', async () => {
    const collector = new RecordingCollector();
    const sidecar = await startSidecar(CONFIG, pino({ level: 'silent' }), () => collector, {});
    const exited = new Promise<number>((resolve) => exitOnSignals(sidecar, pino({ level: 'silent' }), resolve));

    process.emit('SIGTERM', 'SIGTERM');

    expect(await exited).toBe(0);
    expect(collector.events).toEqual(['start', 'stop']);
    expect(sidecar.server.listening).toBe(false);
  });

  it('in pod scope the downward API names this pod even without a pod list', async () => {
    let hooks: SourceHooks | null = null;
    const config: SidecarConfig = {
      ...CONFIG,
      scope: 'pod',
      targets: [],
      pod: { namespace: 'shop', name: 'checkout-7d9f', uid: '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b' },
    };
    const sidecar = await startSidecar(
      config,
      pino({ level: 'silent' }),
      (_config, given) => {
        hooks = given;
        return new RecordingCollector();
      },
      {}
    );
    await sidecar.stop();

    expect(hooks!.resolveNames('3f2a9c1e_5b7d_4e8f_9a0b_1c2d3e4f5a6b', '0c1d2e3f4a5b')).toEqual({
      namespace: 'shop',
      pod: 'checkout-7d9f',
      container: null,
    });
    expect(hooks!.resolveNames('77aa88bb-0000-4111-8222-933344445555', 'feedface')).toBeNull();
  });
});
