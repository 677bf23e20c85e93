/**
 * `npm run dist-check -- [--summaries DIR]`: loads the built `dist/module.js` the way Grafana does (an AMD module whose
 * dependencies Grafana provides), checks that it exports the data source plugin with its editors, and runs its
 * Containers query through the stand-in Grafana against the replay server. Prints a JSON summary.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { DataSourcePlugin } from '@grafana/data';

import type { DataSource } from '../src/datasource';
import { QueryType } from '../src/types';
import { installDom, quietly } from './grafana-shim/dom';
import { createHeadroomInstance, HeadroomInstanceOptions, queryRequest } from './grafana-shim/headroom-instance';
import { stderrLog } from './replay/replay-log';
import { startReplayServer } from './replay/replay-server';
import { loadSummaryDirectory } from './replay/summary-files';

const REPO = resolve(__dirname, '..');

/** Evaluates the AMD bundle with the modules Grafana would hand it; returns its exports. */
export function loadBuiltPlugin(modulePath = resolve(REPO, 'dist', 'module.js')): Record<string, unknown> {
  let code: string;
  try {
    code = readFileSync(modulePath, 'utf8');
  } catch {
    throw new Error(`${modulePath} is missing: run \`npm run build\` first`);
  }
  installDom();
  const provided: Record<string, unknown> = quietly(() => ({
    '@grafana/data': require('@grafana/data'),
    '@grafana/runtime': require('@grafana/runtime'),
    '@grafana/ui': require('@grafana/ui'),
    react: require('react'),
    'react-dom': require('react-dom'),
    rxjs: require('rxjs'),
    module: { uri: 'public/plugins/headroom-memory-datasource/module.js', id: 'headroom-memory-datasource' },
  }));

  let exported: Record<string, unknown> | null = null;
  const define = (deps: string[], factory: (...modules: unknown[]) => Record<string, unknown>) => {
    const modules = deps.map((dep) => {
      if (!(dep in provided)) {
        throw new Error(`dist/module.js asks for "${dep}", which Grafana does not provide to plugins`);
      }
      return provided[dep];
    });
    exported = factory(...modules);
  };
  new Function('define', code)(define);
  if (exported === null) {
    throw new Error('dist/module.js did not call define()');
  }
  return exported;
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--summaries');
  const summaries = at >= 0 ? argv[at + 1] : resolve(REPO, '..', 'shared', 'fixtures', 'kubelet-summary');

  const exports = loadBuiltPlugin();
  const plugin = exports.plugin as DataSourcePlugin<DataSource> | undefined;
  if (!plugin || typeof plugin.DataSourceClass !== 'function') {
    console.error('dist/module.js exports no data source plugin');
    return 1;
  }
  const components = plugin.components as Record<string, unknown>;

  const loaded = loadSummaryDirectory(summaries);
  const server = await startReplayServer({ nodes: loaded.nodes, token: 'dist-check', log: stderrLog('warn') });
  try {
    const { datasource } = createHeadroomInstance({
      jsonData: { apiServerUrl: server.url, nodeStatsPath: 'apiserver', sidecarDiscovery: 'none' },
      secureJsonData: { token: 'dist-check' },
      dataSourceClass: plugin.DataSourceClass as unknown as HeadroomInstanceOptions['dataSourceClass'],
    });
    const response = await new Promise<{ data: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }>(
      (done, fail) => {
        let last: unknown;
        (datasource.query(queryRequest([{ refId: 'A', queryType: QueryType.Containers }])) as unknown as {
          subscribe: (o: object) => void;
        }).subscribe({ next: (r: unknown) => (last = r), error: fail, complete: () => done(last as never) });
      }
    );
    const frame = response.data[0];
    const column = (name: string) => frame.fields.find((f) => f.name === name)?.values ?? [];
    const rows = column('container').map((container, i) => ({
      namespace: column('namespace')[i],
      pod: column('pod')[i],
      container,
      limit: column('limit')[i],
      limitSource: column('limitSource')[i],
    }));
    console.log(
      JSON.stringify({
        components: Object.keys(components).filter((key) => components[key] !== undefined),
        fromBundle: datasource instanceof (plugin.DataSourceClass as unknown as new () => object),
        rows,
      })
    );
    return 0;
  } finally {
    await server.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`dist-check: ${(error as Error).message}`);
      process.exit(1);
    }
  );
}
