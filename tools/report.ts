/**
 * The Containers table of a replayed cluster, from the command line:
 * `npm run report -- --summaries DIR [--json] [--no-live] [--namespace NS] [--selector SEL] [--fault NODE=FAULT]
 * [--timeout MS]`.
 * It serves DIR's kubelet summaries with the replay server, runs the plugin's own `DataSource.query` through the
 * stand-in Grafana (data source proxy, plugin.json routes, token in secureJsonData) and prints the table or the frames.
 *
 * Where a child memory cgroup can be created, it also runs a live container: a workload that holds steady and spikes,
 * watched by the real peak sidecar, listed by the replay as pod `headroom-demo/spiky-app` with the sidecar's port
 * annotation. After about 17 s the same query shows its row with the sidecar's true peak, and a block under the table
 * sets that peak beside the highest usage a 15 s sampler read. `--no-live` leaves it out.
 */
import { randomBytes } from 'node:crypto';

import type { DataQueryResponse } from '@grafana/data';

import type { DataSource } from '../src/datasource';
import { HeadroomQuery, QueryType } from '../src/types';
import { createHeadroomInstance, loadHeadroomModules, queryRequest } from './grafana-shim/headroom-instance';
import { stableUid } from './replay/cluster-objects';
import { containersText, FrameLike } from './replay/containers-text';
import { NodeFault, parseFaultAssignment } from './replay/faults';
import { LiveContainer, liveContainerUnavailable, LiveIdentity, LiveRun } from './replay/live-container';
import {
  liveContainerFrame,
  liveContainerText,
  LiveFigures,
  liveFigures,
  liveUnavailableText,
} from './replay/live-container-report';
import { LivePod } from './replay/live-pod';
import { stderrLog } from './replay/replay-log';
import { startReplayServer } from './replay/replay-server';
import { loadSummaryDirectory, SummaryDirectoryError } from './replay/summary-files';

export interface ReportArgs {
  summaries: string;
  json: boolean;
  /** Run the live container (default); `--no-live` turns it off. */
  live: boolean;
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
  'usage: npm run report -- --summaries DIR [--json] [--no-live] [--namespace NS] [--selector SEL] [--fault NODE=FAULT] [--timeout MS]';

/** Exit code after Ctrl-C or SIGTERM, as a shell reports a process ended by SIGINT. */
const INTERRUPTED = 130;

const LIVE_NAMES = { namespace: 'headroom-demo', pod: 'spiky-app', container: 'app' };

/** Reads the command line; throws with the usage line when it cannot. */
export function parseReportArgs(argv: string[]): ReportArgs {
  const args: ReportArgs = { summaries: '', json: false, live: true, faults: {} };
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
      case '--no-live':
        args.live = false;
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

/**
 * Runs the report; resolves to the process exit code (0 done, 1 the query failed, 2 bad input, 130 interrupted).
 * When `signal` aborts (Ctrl-C), the live container is stopped and its cgroup removed before it resolves.
 */
export async function runReport(argv: string[], output: ReportOutput, signal?: AbortSignal): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    output.out(`${USAGE}\n`);
    return 0;
  }
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

  // Grafana's packages load first: a few seconds of CPU that must not fall inside the live run.
  loadHeadroomModules();

  const identity: LiveIdentity = {
    ...LIVE_NAMES,
    podUid: stableUid(`pod/${LIVE_NAMES.namespace}/${LIVE_NAMES.pod}`),
    node: loaded.nodes[0].name,
  };
  let live: LiveContainer | null = null;
  let liveProblem: string | null = null;
  if (args.live) {
    liveProblem = liveContainerUnavailable();
    if (liveProblem === null) {
      try {
        live = await LiveContainer.start(identity);
      } catch (error) {
        liveProblem = `the live container could not start: ${(error as Error).message}`;
      }
    }
  }

  const token = randomBytes(16).toString('hex');
  try {
    const server = await startReplayServer({
      nodes: loaded.nodes,
      token,
      faults: args.faults,
      livePods: live ? [livePod(live)] : [],
      log: stderrLog('warn'),
    });
    try {
      const { datasource } = createHeadroomInstance({
        jsonData: {
          apiServerUrl: server.url,
          nodeStatsPath: 'apiserver',
          sidecarDiscovery: 'annotation',
          ...(args.timeoutMs ? { nodeTimeoutMs: args.timeoutMs } : {}),
        },
        secureJsonData: { token },
      });

      let run: LiveRun | null = null;
      if (live) {
        const seconds = Math.round(live.workload.runMs / 1000) + 1;
        output.err(`report: live container ${LIVE_NAMES.namespace}/${LIVE_NAMES.pod} runs for about ${seconds} s\n`);
        try {
          run = await live.run(signal);
        } catch (error) {
          if (signal?.aborted) {
            return INTERRUPTED;
          }
          liveProblem = `the live workload failed: ${(error as Error).message}`;
        }
      }

      const response = await containersQuery(datasource, {
        namespace: args.namespace,
        labelSelector: args.selector,
      });
      const frames = (response.data ?? []) as FrameLike[];
      const errors = [...(response.errors ?? []), ...(response.error ? [response.error] : [])];

      let figures: LiveFigures | null = null;
      if (live && run) {
        // The block always reads the live row through the plugin, whatever scope the table was asked for.
        const liveResponse = await containersQuery(datasource, {
          namespace: LIVE_NAMES.namespace,
          pod: LIVE_NAMES.pod,
        });
        figures = liveFigures((liveResponse.data ?? []) as FrameLike[], LIVE_NAMES, {
          reads: run.reads,
          samplerPeriodMs: live.workload.samplerPeriodMs,
          spikes: run.spikes,
          spikeMs: live.workload.spikeMs,
          runMs: run.endMs - run.startMs,
        });
      }
      if (signal?.aborted) {
        return INTERRUPTED;
      }

      if (args.json) {
        const { toDataFrameDTO } = require('@grafana/data') as typeof import('@grafana/data');
        const dtos: unknown[] = response.data.map((frame) => toDataFrameDTO(frame));
        if (figures) {
          dtos.push(liveContainerFrame(figures));
        } else if (liveProblem) {
          dtos.push(liveContainerFrame({ unavailable: liveProblem }));
        }
        output.out(`${JSON.stringify(dtos, null, 2)}\n`);
        if (liveProblem) {
          output.err(`report: ${liveUnavailableText(liveProblem)}`);
        }
      } else {
        output.out(containersText(frames));
        if (figures) {
          output.out(`\n${liveContainerText(figures)}`);
        } else if (liveProblem) {
          output.out(`\n${liveUnavailableText(liveProblem)}`);
        }
      }
      errors.forEach((error) => output.err(`report: query error: ${error.message ?? JSON.stringify(error)}\n`));
      return errors.length > 0 && frames.length === 0 ? 1 : 0;
    } finally {
      await server.close();
    }
  } finally {
    await live?.stop();
  }
}

/** The pod the replay lists for the live container: its limit in the spec, its sidecar's port in the annotation. */
function livePod(live: LiveContainer): LivePod {
  return {
    namespace: live.identity.namespace,
    name: live.identity.pod,
    uid: live.identity.podUid,
    container: live.identity.container,
    node: live.identity.node,
    limitBytes: live.limitBytes,
    startTimeMs: live.startTimeMs,
    annotations: { 'headroom.dev/port': String(live.sidecarPort) },
    sidecarPort: live.sidecarPort,
    sidecarUrl: live.sidecarUrl,
    memory: () => live.memory(),
  };
}

/** One Containers query through the plugin, with the sidecars read as a panel with "include sidecars" reads them. */
async function containersQuery(
  datasource: DataSource,
  scope: Pick<HeadroomQuery, 'namespace' | 'labelSelector' | 'pod'>
): Promise<DataQueryResponse> {
  const query: HeadroomQuery = { refId: 'A', queryType: QueryType.Containers, ...scope, includeSidecars: true };
  return resolveResponse(datasource.query(queryRequest([query])));
}

async function resolveResponse(result: unknown): Promise<DataQueryResponse> {
  const { isObservable, lastValueFrom } = require('rxjs') as typeof import('rxjs');
  if (isObservable(result)) {
    return (await lastValueFrom(result)) as DataQueryResponse;
  }
  return (await result) as DataQueryResponse;
}

if (require.main === module) {
  // The first Ctrl-C stops the live container and removes its cgroup; a second one exits at once.
  const interrupt = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (interrupt.signal.aborted) {
      process.exit(INTERRUPTED);
    }
    process.stderr.write(`report: ${name}, stopping the live container and removing its cgroup\n`);
    interrupt.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  runReport(
    process.argv.slice(2),
    {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    },
    interrupt.signal
  ).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`report: ${error.stack ?? error.message}\n`);
      process.exit(1);
    }
  );
}
