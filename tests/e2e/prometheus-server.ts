/**
 * A real Prometheus server for end-to-end checks: its configuration and storage in a fresh temporary directory, its
 * web server on 127.0.0.1 only, and a small client for the HTTP API answers the checks read.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';

import { freeLoopbackPort } from './free-port';
import { OutputTail } from './output-tail';
import { pollUntil } from './poll-until';

/** One static scrape target. */
export interface ScrapeJob {
  jobName: string;
  /** `HOST:PORT`. */
  target: string;
  /** Target labels Prometheus adds to every scraped series. */
  labels?: Record<string, string>;
}

export interface PrometheusOptions {
  scrapeIntervalSeconds: number;
  /** Default for rule groups; a group's own `interval` wins. */
  evaluationIntervalSeconds: number;
  /** Absolute paths of rule files. */
  ruleFiles: string[];
  jobs: ScrapeJob[];
}

/** An alert as `/api/v1/alerts` lists it. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'inactive' | 'pending' | 'firing';
  /** RFC 3339 time of the evaluation that made it active. */
  activeAt?: string;
  /** The value of the alert expression, as text. */
  value: string;
}

/** One series of an instant query's result. */
export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

/** A scrape target's health as `/api/v1/targets` reports it. */
export interface TargetHealth {
  scrapeUrl: string;
  health: string;
  lastError: string;
}

/** A started Prometheus and its API. */
export interface RunningPrometheus {
  url: string;
  alerts(): Promise<PrometheusAlert[]>;
  /** Evaluates `expr` at `atMs` (default now). */
  query(expr: string, atMs?: number): Promise<InstantSample[]>;
  targets(): Promise<TargetHealth[]>;
  /** Prometheus's recent log lines, for error messages. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** The `prometheus` program on the PATH, or null when it is not installed. */
export function findPrometheus(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(dir, 'prometheus');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

/** Writes the configuration, starts `binary` on a free loopback port and waits until `/-/ready` answers 200. */
export async function startPrometheus(
  binary: string,
  options: PrometheusOptions,
  startTimeoutMs = 30_000
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-e2e-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, stringify(configOf(options)));

  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const output = new OutputTail();
  child.stdout!.on('data', (data: Buffer) => output.push(data.toString()));
  child.stderr!.on('data', (data: Buffer) => output.push(data.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    })
  );

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const getData = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data?: T; error?: string };
    if (!response.ok || body.status !== 'success' || body.data === undefined) {
      throw new Error(`Prometheus ${path} answered ${response.status}: ${body.error ?? JSON.stringify(body)}`);
    }
    return body.data;
  };

  try {
    let lastReady = 'no answer';
    await pollUntil(
      async () => {
        if (exited) {
          throw new Error(`Prometheus exited at start:\n${output}`);
        }
        try {
          const response = await fetch(`${url}/-/ready`);
          lastReady = `${response.status}`;
          return response.ok ? true : null;
        } catch (error) {
          lastReady = (error as Error).message;
          return null;
        }
      },
      {
        timeoutMs: startTimeoutMs,
        intervalMs: 250,
        describeTimeout: () => `Prometheus was not ready within ${startTimeoutMs} ms (last: ${lastReady}):\n${output}`,
      }
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    alerts: async () => (await getData<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts,
    query: async (expr, atMs = Date.now()) => {
      const params = new URLSearchParams({ query: expr, time: String(atMs / 1000) });
      const data = await getData<{
        resultType: string;
        result: Array<{ metric: Record<string, string>; value: [number, string] }>;
      }>(`/api/v1/query?${params}`);
      if (data.resultType !== 'vector') {
        throw new Error(`expected an instant vector from ${expr}, got ${data.resultType}`);
      }
      return data.result.map((series) => ({ metric: series.metric, value: Number(series.value[1]) }));
    },
    targets: async () =>
      (await getData<{ activeTargets: TargetHealth[] }>('/api/v1/targets')).activeTargets.map(
        ({ scrapeUrl, health, lastError }) => ({ scrapeUrl, health, lastError })
      ),
    log: () => output.toString(),
    stop,
  };
}

function configOf(options: PrometheusOptions) {
  return {
    global: {
      scrape_interval: `${options.scrapeIntervalSeconds}s`,
      evaluation_interval: `${options.evaluationIntervalSeconds}s`,
    },
    rule_files: options.ruleFiles,
    scrape_configs: options.jobs.map((job) => ({
      job_name: job.jobName,
      static_configs: [{ targets: [job.target], ...(job.labels ? { labels: job.labels } : {}) }],
    })),
  };
}
