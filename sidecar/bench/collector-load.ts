/**
 * Runs only the sidecar's Collector over cgroups named on the command line and prints its own CPU time and resident
 * memory, so the figures hold nothing but the Collector (the benchmark that starts this process does the setup).
 *
 * Usage: node --import tsx sidecar/bench/collector-load.ts --root=DIR --seconds=S --window=MS --sample=MS|default
 *                                                          [--warmup=S] [--reset] PATH...
 * `--sample=default` leaves the sample interval to the Collector (it follows the peak method).
 * Prints one JSON line: { cgroups, seconds, cpuShareOfCore, rssBytes, heapUsedBytes, containersListed,
 * sampleIntervalMs } where the last is what the Collector reports for the first container.
 */
import { Collector } from '../src/collector';

function option(name: string, fallback?: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (arg) {
    return arg.slice(name.length + 3);
  }
  if (fallback === undefined) {
    throw new Error(`--${name}= is required`);
  }
  return fallback;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const paths = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const seconds = Number(option('seconds'));
  const warmupSeconds = Number(option('warmup', '3'));
  const windowMs = Number(option('window'));
  const sample = option('sample');

  const collector = new Collector({
    cgroupRoot: option('root'),
    targets: paths.map((path) => ({ path, name: path.split('/').pop()! })),
    sampleIntervalMs: sample === 'default' ? undefined : Number(sample),
    windowMs,
    keepMs: 10 * 60_000,
    v1ResetPeak: process.argv.includes('--reset'),
  });
  collector.start();
  await sleep(warmupSeconds * 1000);

  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMicros = Number(process.hrtime.bigint() - wallBefore) / 1000;

  const listed = collector.containers(Date.now() - windowMs * 5, Date.now());
  collector.stop();
  const memory = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      cgroups: paths.length,
      seconds,
      cpuShareOfCore: (cpu.user + cpu.system) / wallMicros,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      containersListed: listed.length,
      sampleIntervalMs: listed[0]?.sampleIntervalMs ?? null,
    }) + '\n'
  );
}

main().catch((error) => {
  process.stderr.write(`collector-load: ${(error as Error).stack}\n`);
  process.exit(1);
});
