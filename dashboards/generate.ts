// Writes the OOM dashboard's two committed copies: the one bundled in the plugin (importable, asks for its data
// sources) and the one provisioned by file for the local stack. Run with `npm run dashboards`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';

import {
  BUNDLED_SOURCES,
  DASHBOARD_TITLE,
  HEADROOM_PLUGIN_ID,
  oomDashboard,
  PROVISIONED_SOURCES,
} from './oom-dashboard';

const ROOT = join(__dirname, '..');

/** A generated file: its path relative to the repository root and its exact text. */
export interface DashboardFile {
  path: string;
  text: string;
}

/** The dashboard as the plugin bundles it: `__inputs` name the data sources Grafana's importer asks for. */
export function bundledDashboard(): Record<string, unknown> {
  return {
    __inputs: [
      {
        name: 'DS_HEADROOM',
        label: 'Headroom',
        description: 'The Headroom data source: pod specs, kubelet summaries and sidecar peaks.',
        type: 'datasource',
        pluginId: HEADROOM_PLUGIN_ID,
        pluginName: 'Headroom',
      },
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        description: "The Prometheus that scrapes the peak sidecars' metrics.",
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '12.4.0' },
      { type: 'datasource', id: HEADROOM_PLUGIN_ID, name: 'Headroom', version: '1.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'bargauge', name: 'Bar gauge', version: '' },
      { type: 'panel', id: 'stat', name: 'Stat', version: '' },
      { type: 'panel', id: 'table', name: 'Table', version: '' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
    ],
    ...oomDashboard(BUNDLED_SOURCES),
  };
}

/** The dashboard as file provisioning loads it, pointing at the provisioned data sources' uids. */
export function provisionedDashboard(): Record<string, unknown> {
  return { ...oomDashboard(PROVISIONED_SOURCES) };
}

/** Both committed copies with the text the generator writes, formatted as Prettier formats the repository. */
export async function dashboardFiles(): Promise<DashboardFile[]> {
  const files = [
    { path: join('src', 'dashboards', 'oom.json'), value: bundledDashboard() },
    { path: join('provisioning', 'dashboards', 'oom.json'), value: provisionedDashboard() },
  ];
  return Promise.all(
    files.map(async ({ path, value }) => {
      const options = (await prettier.resolveConfig(join(ROOT, path))) ?? {};
      const text = await prettier.format(JSON.stringify(value), { ...options, filepath: join(ROOT, path) });
      return { path, text };
    })
  );
}

/** Writes both copies; with `--check`, writes nothing and exits with 1 when a committed copy differs. */
async function main(argv: string[]): Promise<void> {
  const check = argv.includes('--check');
  let stale = 0;
  for (const file of await dashboardFiles()) {
    const target = join(ROOT, file.path);
    if (!check) {
      writeFileSync(target, file.text);
      process.stdout.write(`wrote ${file.path} (${DASHBOARD_TITLE})\n`);
    } else if (readFileSync(target, 'utf8') !== file.text) {
      stale++;
      process.stdout.write(`out of date: ${file.path} (run npm run dashboards)\n`);
    } else {
      process.stdout.write(`up to date: ${file.path}\n`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`dashboards: ${error.message}\n`);
    process.exit(1);
  });
}
