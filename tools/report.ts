/**
 * The Containers table of a replayed cluster, from the command line:
 * `npm run report -- --summaries DIR [--json] [--namespace NS] [--selector SEL] [--fault NODE=FAULT] [--timeout MS]`.
 * It serves DIR's kubelet summaries with the replay server, runs the plugin's own `DataSource.query` through the
 * stand-in Grafana (data source proxy, plugin.json routes, token in secureJsonData) and prints the table or the frames.
 */
import { randomBytes } from 'node:crypto';

import type { DataQueryResponse } from '@grafana/data';

import { HeadroomQuery, QueryType } from '../src/types';
import { createHeadroomInstance, queryRequest } from './grafana-shim/headroom-instance';
import { containersText, FrameLike } from './replay/containers-text';
import { NodeFault, parseFaultAssignment } from './replay/faults';
import { stderrLog } from './replay/replay-log';
import { startReplayServer } from './replay/replay-server';
import { loadSummaryDirectory, SummaryDirectoryError } from './replay/summary-files';

export interface ReportArgs {
  summaries: string;
  json: boolean;
  namespace?: string;
  selector?: string;
  faults: Record<string, NodeFault>;
  timeoutMs?: number;
}

export interface ReportOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE =
  'usage: npm run report -- --summaries DIR [--json] [--namespace NS] [--selector SEL] [--fault NODE=FAULT] [--timeout MS]';

/** Reads the command line; throws with the usage line when it cannot. */
export function parseReportArgs(argv: string[]): ReportArgs {
  const args: ReportArgs = { summaries: '', json: false, faults: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) {
        throw new Error(`${flag} needs a value\n${USAGE}`);
      }
      return next;
    };
    switch (flag) {
      case '--summaries':
        args.summaries = value();
        break;
      case '--json':
        args.json = true;
        break;
      case '--namespace':
        args.namespace = value();
        break;
      case '--selector':
        args.selector = value();
        break;
      case '--fault': {
        const [node, fault] = parseFaultAssignment(value());
        args.faults[node] = fault;
        break;
      }
      case '--timeout':
        args.timeoutMs = Number(value());
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!args.summaries) {
    throw new Error(`--summaries DIR is required\n${USAGE}`);
  }
  return args;
}

/** Runs the report; resolves to the process exit code (0 done, 1 the query failed, 2 bad input). */
export async function runReport(argv: string[], output: ReportOutput): Promise<number> {
  let args: ReportArgs;
  try {
    args = parseReportArgs(argv);
  } catch (error) {
    output.err(`report: ${(error as Error).message}\n`);
    return 2;
  }

  let loaded;
  try {
    loaded = loadSummaryDirectory(args.summaries);
  } catch (error) {
    if (error instanceof SummaryDirectoryError) {
      output.err(`report: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  loaded.warnings.forEach((warning) => output.err(`report: warning: ${warning}\n`));
  if (loaded.nodes.length === 0) {
    output.err(`report: no usable kubelet summary (*.json) in ${args.summaries}\n`);
    return 2;
  }

  const token = randomBytes(16).toString('hex');
  const server = await startReplayServer({ nodes: loaded.nodes, token, faults: args.faults, log: stderrLog('warn') });
  try {
    const { datasource } = createHeadroomInstance({
      jsonData: {
        apiServerUrl: server.url,
        nodeStatsPath: 'apiserver',
        sidecarDiscovery: 'none',
        ...(args.timeoutMs ? { nodeTimeoutMs: args.timeoutMs } : {}),
      },
      secureJsonData: { token },
    });
    const query: HeadroomQuery = {
      refId: 'A',
      queryType: QueryType.Containers,
      namespace: args.namespace,
      labelSelector: args.selector,
      includeSidecars: false,
    };
    const response = await resolveResponse(datasource.query(queryRequest([query])));
    const frames = (response.data ?? []) as FrameLike[];
    const errors = [...(response.errors ?? []), ...(response.error ? [response.error] : [])];

    if (args.json) {
      const { toDataFrameDTO } = require('@grafana/data') as typeof import('@grafana/data');
      output.out(
        `${JSON.stringify(
          response.data.map((frame) => toDataFrameDTO(frame)),
          null,
          2
        )}\n`
      );
    } else {
      output.out(containersText(frames));
    }
    errors.forEach((error) => output.err(`report: query error: ${error.message ?? JSON.stringify(error)}\n`));
    return errors.length > 0 && frames.length === 0 ? 1 : 0;
  } finally {
    await server.close();
  }
}

async function resolveResponse(result: unknown): Promise<DataQueryResponse> {
  const { isObservable, lastValueFrom } = require('rxjs') as typeof import('rxjs');
  if (isObservable(result)) {
    return (await lastValueFrom(result)) as DataQueryResponse;
  }
  return (await result) as DataQueryResponse;
}

if (require.main === module) {
  runReport(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`report: ${error.stack ?? error.message}\n`);
      process.exit(1);
    }
  );
}
