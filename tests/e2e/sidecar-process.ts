/**
 * The real peak sidecar program (`sidecar/src/main.ts`) as a child process on a loopback port the system picks, the
 * way an operator runs it, for end-to-end checks that scrape it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { OutputTail } from './output-tail';
import { pollUntil } from './poll-until';

const REPO_ROOT = join(__dirname, '..', '..');
const SIDECAR_MAIN = join(REPO_ROOT, 'sidecar', 'src', 'main.ts');

/** A running sidecar: its address and how to end it. */
export interface SidecarProcess {
  /** `127.0.0.1:PORT`, what a Prometheus scrape target names. */
  address: string;
  url: string;
  /** The sidecar's recent output (pino JSON lines), for error messages. */
  log(): string;
  /** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the sidecar with `args` (its flags, `--listen` excepted) on 127.0.0.1 and a port the system picks, and waits
 * until `/healthz` answers 200. The port is read from the sidecar's `info` log line, so `args` keep the default level. Fails with the sidecar's own output when it exits or does not answer in time.
 */
export async function startSidecarProcess(args: string[], startTimeoutMs = 20_000): Promise<SidecarProcess> {
  // tsx is resolved from the repository root, so the program runs from its TypeScript source as `npm run sidecar` does.
  const child = spawn(process.execPath, ['--import', 'tsx', SIDECAR_MAIN, ...args, '--listen', '127.0.0.1:0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new OutputTail();
  let port: number | null = null;
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    })
  );
  child.stderr!.on('data', (data: Buffer) => output.push(data.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output.push(line);
    const entry = parseLogLine(line);
    if (entry?.msg === 'headroom sidecar listening' && typeof entry.port === 'number') {
      port = entry.port;
    }
  });

  const stop = async (graceMs = 5000) => {
    if (exited) {
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  };

  try {
    let lastHealth = 'not listening yet';
    const url = await pollUntil(
      async () => {
        if (exited) {
          throw new Error(`the sidecar exited at start:\n${output}`);
        }
        if (port === null) {
          return null;
        }
        const candidate = `http://127.0.0.1:${port}`;
        try {
          const response = await fetch(`${candidate}/healthz`);
          lastHealth = `${response.status} ${await response.text()}`;
          return response.ok ? candidate : null;
        } catch (error) {
          lastHealth = (error as Error).message;
          return null;
        }
      },
      {
        timeoutMs: startTimeoutMs,
        intervalMs: 200,
        describeTimeout: () =>
          `the sidecar's /healthz did not answer 200 within ${startTimeoutMs} ms (last: ${lastHealth}):\n${output}`,
      }
    );
    return { address: url.replace('http://', ''), url, log: () => output.toString(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function parseLogLine(line: string): { msg?: unknown; port?: unknown } | null {
  try {
    return JSON.parse(line) as { msg?: unknown; port?: unknown };
  } catch {
    return null;
  }
}
