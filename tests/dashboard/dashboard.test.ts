// The bundled OOM dashboard against what really exists: the generator's output, the provisioned data sources, the
// fields Headroom's frame builders return for each query type, and the metrics the peak sidecar exports.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { minimatch } from 'minimatch';

import {
  Column,
  ColumnFrame,
  containerMemorySeries,
  containersTable,
  joinContainers,
  nodesTable,
  parseSummary,
} from '../../src/core';
import { diagnoseRows, diagnosisTable, recommendationsTable } from '../../src/core/diagnosis';
import { sidecarContainer, sidecarResponse } from '../../src/core/test-objects';
import { sharedPath } from '../../src/test-support/shared';
import { QueryType } from '../../src/types';

const ROOT = join(__dirname, '..', '..');
const MiB = 2 ** 20;

type Json = Record<string, any>;

const readText = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readJson = (path: string): Json => JSON.parse(readText(path));

const bundled = readJson('src/dashboards/oom.json');
const provisioned = readJson('provisioning/dashboards/oom.json');
const pluginJson = readJson('src/plugin.json');
const provisionedSources: Array<{ uid: string; type: string; name: string }> = parse(
  readText('provisioning/datasources/datasources.yml')
).datasources;

const panelsOf = (dashboard: Json): Json[] => dashboard.panels.filter((panel: Json) => panel.type !== 'row');
const headroomPanels = (dashboard: Json) =>
  panelsOf(dashboard).filter((panel) => panel.targets.some((t: Json) => t.datasource.type === pluginJson.id));
const prometheusPanels = (dashboard: Json) =>
  panelsOf(dashboard).filter((panel) => panel.targets.every((t: Json) => t.datasource.type === 'prometheus'));

/** Every frame field each Headroom query type returns, built by the real core builders from a real kubelet summary. */
function fieldsByQueryType(): Record<QueryType, Column[]> {
  const body = readFileSync(sharedPath('fixtures', 'kubelet-summary', 'minikube-2020.json'), 'utf8');
  const { summary } = parseSummary(body, 'minikube');
  if (!summary) {
    throw new Error('the minikube fixture did not parse as a kubelet summary');
  }
  // One container (coredns, limit 170 MiB from availableBytes + workingSetBytes) also has a sidecar with windows, so
  // the sidecar-only fields (window peak, peak / limit, breakdown) are in the frames too.
  const windowEnd = Date.UTC(2020, 3, 20, 22, 52, 0);
  const sidecar = sidecarContainer({
    identity: {
      namespace: 'kube-system',
      pod: 'coredns-66bff467f8-szddj',
      container: 'coredns',
      podUid: '0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3',
      containerId: null,
      cgroupPath: 'kubepods.slice/coredns',
    },
    limitBytes: 170 * MiB,
    usageBytes: 8 * MiB,
    workingSetBytes: 6 * MiB,
    lifetimePeakBytes: 150 * MiB,
    threads: 12,
    windows: [
      {
        startMs: windowEnd - 10_000,
        endMs: windowEnd,
        peakBytes: 150 * MiB,
        peakExact: true,
        lastBytes: 8 * MiB,
        workingSetBytes: 6 * MiB,
        limitHit: false,
        samples: 100,
      },
    ],
  });
  const rows = joinContainers({
    summaries: [summary],
    pods: null,
    sidecars: [sidecarResponse('minikube', [sidecar])],
    range: null,
  });
  const { diagnoses, sized } = diagnoseRows(rows, windowEnd);
  const fields = (frames: ColumnFrame[]) => frames.flatMap((frame) => frame.fields);
  return {
    [QueryType.Containers]: fields([containersTable(rows)]),
    [QueryType.ContainerMemory]: fields(containerMemorySeries(rows)),
    [QueryType.Nodes]: fields([nodesTable([summary], null)]),
    [QueryType.Diagnosis]: fields([diagnosisTable(diagnoses)]),
    [QueryType.Recommendations]: fields([recommendationsTable(sized)]),
  };
}

/** Field names a panel refers to; `display` ones must match what Grafana shows (sorting, ordering, renaming). */
function referencedFields(panel: Json): { display: string[]; any: string[] } {
  const display: string[] = [];
  const any: string[] = [];
  for (const sort of panel.options?.sortBy ?? []) {
    display.push(sort.displayName);
  }
  for (const override of panel.fieldConfig?.overrides ?? []) {
    if (override.matcher.id === 'byName') {
      any.push(override.matcher.options);
    } else if (override.matcher.id === 'byNames') {
      any.push(...override.matcher.options.names);
    }
  }
  for (const transformation of panel.transformations ?? []) {
    const options = transformation.options ?? {};
    if (transformation.id === 'organize') {
      any.push(...Object.keys(options.excludeByName ?? {}));
      display.push(...Object.keys(options.indexByName ?? {}), ...Object.keys(options.renameByName ?? {}));
    } else if (transformation.id === 'filterFieldsByName') {
      any.push(...(options.include?.names ?? []), ...(options.exclude?.names ?? []));
    } else {
      throw new Error(`panel "${panel.title}": the test does not know which fields "${transformation.id}" names`);
    }
  }
  return { display, any };
}

/** Metric names the peak sidecar registers (`name: 'headroom_...'`) and the alert rules record. */
function knownMetrics(): Set<string> {
  const source = readText('sidecar/src/metrics/container-metrics.ts');
  const names = [...source.matchAll(/name:\s*'(headroom_[a-z0-9_]+)'/g)].map((m) => m[1]);
  const rules = parse(readText('deploy/prometheus/headroom.rules.yml'));
  for (const group of rules.groups) {
    for (const rule of group.rules) {
      if (rule.record) {
        names.push(rule.record);
      }
    }
  }
  return new Set(names);
}

const metricsIn = (expr: string) => [...expr.matchAll(/\b(headroom_[a-z0-9_]+)/g)].map((m) => m[1]);

describe('the OOM dashboard', () => {
  it('the committed JSON files are exactly what `npm run dashboards` writes', () => {
    // The generator formats with Prettier, which loads its parsers by dynamic import: run it as the npm script does.
    const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['dashboards/generate.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: 'up to date: src/dashboards/oom.json\nup to date: provisioning/dashboards/oom.json\n',
      stderr: '',
    });
  });

  it('the plugin bundles the dashboard under its title, at a path the build copies into dist', () => {
    const includes = pluginJson.includes.filter((include: Json) => include.type === 'dashboard');
    expect(includes).toEqual([{ type: 'dashboard', name: 'Headroom: OOM and headroom', path: 'dashboards/oom.json' }]);
    expect(bundled.title).toBe('Headroom: OOM and headroom');

    // The scaffold's webpack config copies the files matching these patterns from src/ to dist/.
    const copyFiles = readText('.config/bundler/copyFiles.ts');
    const patterns = [...copyFiles.matchAll(/from:\s*'([^']+)'/g)].map((m) => m[1]);
    expect(patterns.some((pattern) => minimatch(includes[0].path, pattern))).toBe(true);
  });

  it('the bundled copy asks for a Headroom and a Prometheus data source, and uses exactly those inputs', () => {
    expect(bundled.__inputs.map((input: Json) => [input.name, input.type, input.pluginId])).toEqual([
      ['DS_HEADROOM', 'datasource', 'headroom-memory-datasource'],
      ['DS_PROMETHEUS', 'datasource', 'prometheus'],
    ]);
    const used = new Set([...JSON.stringify(bundled).matchAll(/\$\{(DS_[A-Z_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(['DS_HEADROOM', 'DS_PROMETHEUS']);
    expect(JSON.stringify(provisioned)).not.toMatch(/DS_[A-Z]/);
    expect(provisioned.__inputs).toBeUndefined();
  });

  it('every data source of the provisioned copy resolves to a provisioned data source of the same type', () => {
    const variables: Json[] = provisioned.templating.list;
    const resolve = (ref: Json): { uid: string; type: string } | undefined => {
      const variable = /^\$\{(\w+)\}$/.exec(ref.uid)?.[1];
      if (!variable) {
        return provisionedSources.find((source) => source.uid === ref.uid);
      }
      const picker = variables.find((v) => v.name === variable && v.type === 'datasource');
      return provisionedSources.find((source) => source.uid === picker?.current.value && source.type === picker?.query);
    };

    const refs: Json[] = [
      ...panelsOf(provisioned).flatMap((panel) => [panel.datasource, ...panel.targets.map((t: Json) => t.datasource)]),
      ...variables.filter((v) => v.datasource).map((v) => v.datasource),
      ...provisioned.annotations.list
        .filter((a: Json) => a.datasource.type !== 'grafana')
        .map((a: Json) => a.datasource),
    ];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect({ ref, resolved: resolve(ref)?.type }).toEqual({ ref, resolved: ref.type });
    }
  });

  it('offers namespace, pod and container variables from Headroom, scoped by namespace', () => {
    const scopes = provisioned.templating.list.filter((v: Json) => v.type === 'query');
    expect(scopes.map((v: Json) => [v.name, v.query, v.datasource.uid, v.allValue])).toEqual([
      ['namespace', { kind: 'namespace' }, 'headroom', '.*'],
      ['pod', { kind: 'pod', namespace: '$namespace' }, 'headroom', '.*'],
      ['container', { kind: 'container', namespace: '$namespace' }, 'headroom', '.*'],
    ]);
  });

  it('has the panels an OOM investigation needs', () => {
    const titles = panelsOf(provisioned).map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Peak / limit by container (last hour)',
        'Containers by peak / limit (Headroom, now)',
        'Peak, average and limit (Prometheus)',
        'Reserved versus used',
        'Startup window: peak / limit in the first 5 minutes',
        'Threads',
        'Nodes: distance to eviction (Headroom, now)',
        'Diagnosis',
        'Recommendations: request and limit',
      ])
    );
    const ids = provisioned.panels.map((panel: Json) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every Headroom target names a real query type and is scoped by the variables', () => {
    const queryTypes = Object.values(QueryType) as string[];
    const targets = headroomPanels(provisioned).flatMap((panel) => panel.targets);
    expect(targets.map((t: Json) => t.queryType).sort()).toEqual(
      ['containerMemory', 'containers', 'diagnosis', 'nodes', 'recommendations'].sort()
    );
    for (const target of targets) {
      expect(queryTypes).toContain(target.queryType);
      expect(target.namespace).toBe('$namespace');
    }
  });

  it('every field a Headroom panel sorts, hides, filters or styles is one the data source returns', () => {
    const fields = fieldsByQueryType();
    let checked = 0;
    for (const panel of headroomPanels(provisioned)) {
      const [target] = panel.targets;
      const returned: Column[] = fields[target.queryType as QueryType];
      const names = new Set(returned.map((field) => field.name));
      const displayNames = new Set(returned.map((field) => field.displayName ?? field.name));
      const { display, any } = referencedFields(panel);
      for (const name of display) {
        expect({ panel: panel.title, field: name, shown: displayNames.has(name) }).toEqual({
          panel: panel.title,
          field: name,
          shown: true,
        });
      }
      for (const name of any) {
        expect({ panel: panel.title, field: name, returned: names.has(name) || displayNames.has(name) }).toEqual({
          panel: panel.title,
          field: name,
          returned: true,
        });
      }
      checked += display.length + any.length;
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('a misspelled field would be caught: the builders do not return "Peak/limit"', () => {
    const fields = fieldsByQueryType();
    const shown = fields[QueryType.Containers].map((field) => field.displayName ?? field.name);
    expect(shown).toContain('Peak / limit');
    expect(shown).not.toContain('Peak/limit');
  });

  it('every metric a Prometheus panel or annotation queries is one the peak sidecar exports', () => {
    const known = knownMetrics();
    expect(known.has('headroom_memory_peak_bytes')).toBe(true);
    const exprs = [
      ...prometheusPanels(provisioned).flatMap((panel) => panel.targets.map((t: Json) => t.expr as string)),
      ...provisioned.annotations.list.filter((a: Json) => a.expr).map((a: Json) => a.expr as string),
    ];
    const used = new Set(exprs.flatMap(metricsIn));
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((metric) => !known.has(metric))).toEqual([]);
  });

  it('every Prometheus query is scoped by the namespace, pod and container variables', () => {
    const exprs = prometheusPanels(provisioned).flatMap((panel) => panel.targets.map((t: Json) => t.expr as string));
    for (const expr of exprs) {
      for (const selector of expr.matchAll(/headroom_[a-z_]+\{([^}]*)\}/g)) {
        expect(selector[1]).toContain('namespace=~"$namespace", pod=~"$pod", container=~"$container"');
      }
    }
  });

  it("OOM kills and limit hits are annotations from the sidecar counters, beside the pods' terminations", () => {
    const annotations: Json[] = provisioned.annotations.list;
    const byName = Object.fromEntries(annotations.map((a) => [a.name, a]));
    expect(byName['OOM kills'].expr).toBe(
      'increase(headroom_memory_events_total{event="oom_kill", namespace=~"$namespace", pod=~"$pod", container=~"$container"}[1m]) > 0'
    );
    expect(byName['Limit hits'].expr).toContain('event="max"');
    expect(byName['Terminations and restarts'].datasource).toEqual({
      type: 'headroom-memory-datasource',
      uid: 'headroom',
    });
    expect(byName['Annotations & Alerts'].builtIn).toBe(1);
  });
});
