// The docker-compose stack cannot run here (no Docker engine), so its wiring is checked against the repository: what it
// mounts and builds exists, its ports agree with the provisioned data sources and the scrape config, its images are
// pinned, the sidecar's environment is one the sidecar reads, and the demo agrees with the replayed cluster.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { parse } from 'yaml';

import { parseConfig } from '../../sidecar/src/config';
import { loadSummaryDirectory } from '../../tools/replay/summary-files';

const ROOT = join(__dirname, '..', '..');
const MiB = 2 ** 20;

type Json = Record<string, any>;

const readText = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const compose: Json = parse(readText('docker-compose.yaml'));
const services: Record<string, Json> = compose.services;
const pluginJson: Json = JSON.parse(readText('src/plugin.json'));
const datasources: Json[] = parse(readText('provisioning/datasources/datasources.yml')).datasources;
const scrapeConfig: Json = parse(readText('deploy/prometheus/prometheus.yml'));

/** Paths on the host that a service bind-mounts (`./x:/y[:ro]`). */
const bindSources = (service: Json): string[] =>
  (service.volumes ?? [])
    .map((volume: string) => volume.split(':')[0])
    .filter((source: string) => source.startsWith('.'));

/** Directories the build produces rather than the repository holding them. */
const BUILD_OUTPUTS = new Set(['dist']);

/** The value of a flag in a command list (`--port 8001`). */
const flagValue = (command: string[], flag: string) => command[command.indexOf(flag) + 1];

/** Whether a version meets a `>=X.Y.Z` requirement, the form plugin.json's grafanaDependency takes. */
function meets(version: string, requirement: string): boolean {
  const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(requirement.trim());
  const actual = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!minimum || !actual) {
    throw new Error(`cannot compare "${version}" with "${requirement}"`);
  }
  for (let i = 1; i <= 3; i++) {
    if (Number(actual[i]) !== Number(minimum[i])) {
      return Number(actual[i]) > Number(minimum[i]);
    }
  }
  return true;
}

/** `FROM` images of a Dockerfile's text. */
const fromImages = (dockerfile: string) =>
  [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]).filter((image) => !/^[a-z]+$/.test(image));

/** An image reference with an explicit tag other than `latest`. */
const pinned = (image: string) => /^[^\s:]+(?:\/[^\s:]+)*:(?!latest$)[\w][\w.-]*$/.test(image);

/** Environment variables `sidecar/src/config.ts` reads. */
function sidecarVariables(): Set<string> {
  const source = readText('sidecar/src/config.ts');
  return new Set([...source.matchAll(/(?:fromEnv|list)\('([A-Z_]+)'\)/g)].map((m) => m[1]));
}

describe('docker-compose.yaml', () => {
  it('runs Grafana, Prometheus, the demo workload, the peak sidecar and the replay server', () => {
    expect(Object.keys(services).sort()).toEqual(['demo', 'grafana', 'prometheus', 'replay', 'sidecar']);
  });

  it('mounts and builds only what the repository holds or `npm run build` produces', () => {
    const missing: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const source of bindSources(service)) {
        const path = normalize(source);
        if (!BUILD_OUTPUTS.has(path) && !existsSync(join(ROOT, path))) {
          missing.push(`${name}: ${source}`);
        }
      }
      if (service.build) {
        const context = join(ROOT, service.build.context);
        if (!statSync(context).isDirectory()) {
          missing.push(`${name}: build context ${service.build.context}`);
        }
        if (service.build.dockerfile && !existsSync(join(context, service.build.dockerfile))) {
          missing.push(`${name}: ${service.build.dockerfile}`);
        }
        for (const copy of (service.build.dockerfile_inline ?? '').matchAll(/^COPY\s+(\S+)\s+\S+$/gm)) {
          if (!existsSync(join(context, copy[1]))) {
            missing.push(`${name}: COPY ${copy[1]}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(services.grafana.volumes).toContain('./dist:/var/lib/grafana/plugins/headroom-memory-datasource:ro');
    expect(readText('.config/bundler/constants.ts')).toContain("export const DIST_DIR = 'dist';");
  });

  it('pins every image, its own and those its Dockerfiles start from, to a tag', () => {
    const images: string[] = [];
    for (const service of Object.values(services)) {
      if (service.image) {
        images.push(service.image);
      }
      if (service.build?.dockerfile_inline) {
        images.push(...fromImages(service.build.dockerfile_inline));
      }
      if (service.build?.dockerfile) {
        images.push(...fromImages(readFileSync(join(ROOT, service.build.context, service.build.dockerfile), 'utf8')));
      }
    }
    expect(images.length).toBeGreaterThan(6);
    expect(images.filter((image) => !pinned(image))).toEqual([]);
    expect(pinned('grafana/grafana-oss')).toBe(false);
    expect(pinned('prom/prometheus:latest')).toBe(false);
  });

  it("runs a Grafana that satisfies the plugin's grafanaDependency and loads the plugin by its id", () => {
    const id: string = pluginJson.id;
    const version = services.grafana.image.split(':')[1];
    expect(meets(version, pluginJson.dependencies.grafanaDependency)).toBe(true);
    expect(meets('12.3.2', '>=12.4.0')).toBe(false);
    expect(services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',')).toContain(id);
    expect(services.grafana.volumes).toContain(`./dist:/var/lib/grafana/plugins/${id}:ro`);
    expect(services.grafana.volumes).toContain('./provisioning:/etc/grafana/provisioning:ro');
    expect(datasources.find((source) => source.uid === 'headroom')?.type).toBe(id);
  });

  it("the Headroom data source's API server URL reaches the replay server's port", () => {
    const url = new URL(datasources.find((source) => source.uid === 'headroom')!.jsonData.apiServerUrl);
    const replay = services.replay;
    expect(flagValue(replay.command, '--port')).toBe(url.port);

    // The replay server listens on loopback, so it shares Grafana's network and the name points there.
    expect(url.hostname).toBe('replay');
    expect(replay.network_mode).toBe('service:grafana');
    expect(services.grafana.extra_hosts).toContain('replay:127.0.0.1');

    const replayMain = readText('tools/replay/replay-server.ts');
    for (const flag of replay.command.filter((arg: string) => arg.startsWith('--'))) {
      expect({ flag, known: replayMain.includes(`value('${flag}')`) }).toEqual({ flag, known: true });
    }
  });

  it("the Prometheus data source's URL is the prometheus service on Prometheus's port", () => {
    const url = new URL(datasources.find((source) => source.uid === 'prometheus')!.url);
    expect(url.hostname).toBe('prometheus');
    expect(url.port).toBe('9090');
    expect(services.prometheus.ports).toContain('9090:9090');
    expect(services.prometheus.command.some((arg: string) => arg.startsWith('--web.listen-address'))).toBe(false);
  });

  it('Prometheus scrapes the sidecar where it listens, and loads the Headroom rules next to its config', () => {
    const targets: string[] = scrapeConfig.scrape_configs.flatMap((job: Json) =>
      job.static_configs.flatMap((c: Json) => c.targets)
    );
    const listen = services.sidecar.environment.HEADROOM_LISTEN as string;
    expect(targets).toEqual([`sidecar:${listen.split(':').pop()}`]);
    expect(services.sidecar.expose).toContain(listen.split(':').pop());
    expect(scrapeConfig.rule_files).toEqual(['headroom.rules.yml']);
    expect(services.prometheus.volumes).toEqual([
      './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
      './deploy/prometheus/headroom.rules.yml:/etc/prometheus/headroom.rules.yml:ro',
    ]);
  });

  it('promtool accepts the scrape config and the rules it loads', () => {
    const check = spawnSync('promtool', ['check', 'config', join(ROOT, 'deploy/prometheus/prometheus.yml')], {
      encoding: 'utf8',
    });
    if (check.error) {
      console.log(`promtool check skipped: promtool is not installed here (${check.error.message})`);
      expect(check.error).toBeInstanceOf(Error);
      return;
    }
    expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS: 1 rule files found'),
    });
  });

  it('sets only environment variables the sidecar reads, and they make a runnable cgroup-scope config', () => {
    const env: Record<string, string> = services.sidecar.environment;
    const known = sidecarVariables();
    expect(known.has('HEADROOM_LISTEN')).toBe(true);
    expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);

    const result = parseConfig([], env);
    expect(result.kind).toBe('run');
    if (result.kind === 'run') {
      expect({
        scope: result.config.scope,
        targets: result.config.targets,
        cgroupRoot: result.config.cgroupRoot,
        listenPort: result.config.listenPort,
      }).toEqual({
        scope: 'cgroup',
        targets: [{ path: '.', name: 'spiker' }],
        cgroupRoot: '/proc/1/root/sys/fs/cgroup',
        listenPort: 9180,
      });
    }
  });

  it("the sidecar reads the demo's cgroup from inside the demo's process namespace", () => {
    expect(services.sidecar.pid).toBe('service:demo');
    expect(services.sidecar.build).toEqual({ context: '.', dockerfile: 'sidecar/Dockerfile' });
    // Reading /proc/1/root of another process needs the same user; the sidecar image runs as 1000:1000.
    expect(readText('sidecar/Dockerfile')).toContain('USER 1000:1000');
    expect(services.demo.user).toBe('1000:1000');
  });

  it('the demo holds steady and spikes below its limit, with the workload the kernel tests use', () => {
    const demo = services.demo;
    const limitBytes = Number(/^(\d+)m$/.exec(demo.mem_limit)![1]) * MiB;
    const script: string = demo.command[2];
    const holdBytes = Number(/--hold-to=(\d+)/.exec(script)![1]);
    const spikeBytes = Number(/--spike-to=(\d+)/.exec(script)![1]);
    expect(limitBytes).toBe(256 * MiB);
    expect(holdBytes / limitBytes).toBeCloseTo(0.625, 3);
    expect(spikeBytes / limitBytes).toBeGreaterThan(0.95);
    expect(spikeBytes).toBeLessThan(limitBytes);
    expect(demo.memswap_limit).toBe(demo.mem_limit);
    expect(existsSync(join(ROOT, 'sidecar/workload/spiker.js'))).toBe(true);
    expect(script).toContain('node --expose-gc /workload/spiker.js');
  });

  it('the replayed cluster shows the demo container where the scrape config labels it, with the same limit', () => {
    const { nodes, warnings } = loadSummaryDirectory(join(ROOT, 'deploy/compose/replay'));
    expect(warnings).toEqual([]);
    const pods = nodes.flatMap((node) => node.summary.pods);
    const [labels] = scrapeConfig.scrape_configs[0].static_configs.map((c: Json) => c.labels);
    const pod = pods.find((p) => p.podRef.namespace === labels.namespace && p.podRef.name === labels.pod);
    const container = pod?.containers?.find((c) => c.name === services.sidecar.environment.HEADROOM_NAME);
    const memory = container?.memory;
    expect((memory?.availableBytes ?? 0) + (memory?.workingSetBytes ?? 0)).toBe(256 * MiB);
  });
});
