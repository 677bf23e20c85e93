/**
 * End-to-end time of the Containers query: the plugin's `DataSource.query` through the stand-in Grafana (data source
 * proxy and routes) against the replay server serving a synthesized cluster of N nodes × 30 pods, all namespaces, no
 * selector. Prints the median of several runs per size as a Markdown table.
 * `npm run bench:query [-- --sizes 10,100,1000 --runs 5]`
 *
 * The replay server runs in the same Node process as the data source, so both share one event loop and the figures
 * include the server's work (JSON of every summary); a browser talking to a real Grafana would not pay that here.
 */
import { performance } from 'node:perf_hooks';

import type { DataQueryResponse } from '@grafana/data';
import { isObservable, lastValueFrom } from 'rxjs';

import { QueryType } from '../../src/types';
import { createHeadroomInstance, queryRequest } from '../grafana-shim/headroom-instance';
import { stderrLog } from '../replay/replay-log';
import { startReplayServer } from '../replay/replay-server';
import { synthesizeCluster } from '../replay/synthesize';

interface Result {
  nodes: number;
  pods: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  rows: number;
  notices: number;
}

async function measure(nodeCount: number, runs: number): Promise<Result> {
  const nodes = synthesizeCluster({ nodes: nodeCount, seed: 20250602 });
  const server = await startReplayServer({ nodes, token: 'bench-token', log: stderrLog('warn') });
  try {
    const { datasource } = createHeadroomInstance({
      jsonData: {
        apiServerUrl: server.url,
        nodeStatsPath: 'apiserver',
        sidecarDiscovery: 'none',
        nodeTimeoutMs: 120_000,
      },
      secureJsonData: { token: 'bench-token' },
    });
    const times: number[] = [];
    let rows = 0;
    let notices = 0;
    // One warm-up run (module code paths, JIT), then the timed runs.
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const result = datasource.query(
        queryRequest([{ refId: 'A', queryType: QueryType.Containers, includeSidecars: false }])
      ) as unknown;
      const response = (isObservable(result) ? await lastValueFrom(result) : await result) as DataQueryResponse;
      const elapsed = performance.now() - started;
      if (run > 0) {
        times.push(elapsed);
      }
      const frame = response.data[0];
      rows = frame?.length ?? frame?.fields?.[0]?.values.length ?? 0;
      notices = frame?.meta?.notices?.length ?? 0;
      if (run === runs) {
        frame?.meta?.notices?.forEach((notice: { text: string }) =>
          process.stderr.write(`bench: notice at ${nodeCount} nodes: ${notice.text}\n`)
        );
      }
    }
    times.sort((a, b) => a - b);
    return {
      nodes: nodeCount,
      pods: nodeCount * 30,
      runs,
      medianMs: times[Math.floor(times.length / 2)],
      minMs: times[0],
      maxMs: times[times.length - 1],
      rows,
      notices,
    };
  } finally {
    await server.close();
  }
}

async function main(argv: string[]) {
  const option = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const sizes = (option('--sizes') ?? '10,100,1000').split(',').map(Number);
  const runs = Number(option('--runs') ?? 5);

  const results: Result[] = [];
  for (const size of sizes) {
    process.stderr.write(`bench: ${size} nodes × 30 pods, ${runs} runs...\n`);
    results.push(await measure(size, size >= 1000 ? Math.max(3, Math.ceil(runs / 2)) : runs));
  }

  const lines = [
    '| nodes | pods | runs | median ms | min ms | max ms | rows | notices |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.nodes} | ${r.pods} | ${r.runs} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)} | ${r.maxMs.toFixed(0)} | ${r.rows} | ${r.notices} |`
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  }
);
