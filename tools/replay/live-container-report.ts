/**
 * The report's "Live container" block: the live container's limit and true peak as the plugin's Containers query
 * returned them (the peak is the sidecar's), next to the highest usage a 15 s sampler read over the same run. As text
 * under the table, or as a frame beside the others for `--json`.
 */
import { EXACT_PEAK_METHODS, type PeakMethod } from '../../src/core/sidecar-api';
import type { FrameLike } from './containers-text';

const MiB = 2 ** 20;

/** The live container's figures: the row's from the Containers frame, the sampler's from the run. */
export interface LiveFigures {
  namespace: string;
  pod: string;
  container: string;
  /** False when the Containers frame has no row for the container; every row figure is then null. */
  rowFound: boolean;
  limitBytes: number | null;
  peakBytes: number | null;
  peakToLimit: number | null;
  peakMethod: string | null;
  sampledMaxBytes: number | null;
  sampledMaxToLimit: number | null;
  sampledReads: number;
  samplerPeriodMs: number;
  spikes: number;
  spikeMs: number;
  runMs: number;
}

export interface LiveRunFigures {
  /** Usage reads of the sampler. */
  reads: Array<{ usageBytes: number }>;
  samplerPeriodMs: number;
  spikes: number;
  spikeMs: number;
  runMs: number;
}

/** Picks the live container's row out of the Containers frames and sets the sampler's reads beside it. */
export function liveFigures(
  frames: readonly FrameLike[],
  who: { namespace: string; pod: string; container: string },
  run: LiveRunFigures
): LiveFigures {
  let row: ((field: string) => unknown) | null = null;
  for (const frame of frames) {
    const byName = new Map(frame.fields.map((field) => [field.name, field.values]));
    const count = frame.fields[0]?.values.length ?? 0;
    for (let i = 0; i < count && row === null; i++) {
      const read = (field: string) => byName.get(field)?.[i] ?? null;
      if (read('namespace') === who.namespace && read('pod') === who.pod && read('container') === who.container) {
        row = read;
      }
    }
  }

  const number = (field: string) => {
    const value = row?.(field);
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  const limitBytes = number('limit');
  const sampledMaxBytes = run.reads.length === 0 ? null : Math.max(...run.reads.map((read) => read.usageBytes));
  const method = row?.('peakMethod');
  return {
    ...who,
    rowFound: row !== null,
    limitBytes,
    peakBytes: number('peak'),
    peakToLimit: number('peakToLimit'),
    peakMethod: typeof method === 'string' ? method : null,
    sampledMaxBytes,
    sampledMaxToLimit: sampledMaxBytes !== null && limitBytes ? sampledMaxBytes / limitBytes : null,
    sampledReads: run.reads.length,
    samplerPeriodMs: run.samplerPeriodMs,
    spikes: run.spikes,
    spikeMs: run.spikeMs,
    runMs: run.runMs,
  };
}

/** The block printed under the table. */
export function liveContainerText(figures: LiveFigures): string {
  const name = `${figures.namespace}/${figures.pod}/${figures.container}`;
  const heading = `Live container ${name}: ${seconds(figures.runMs)} run, ${figures.spikes} spikes of ${figures.spikeMs} ms`;
  if (!figures.rowFound) {
    return `${heading}\n  the Containers query returned no row for it; see the notices above\n`;
  }
  const method = figures.peakMethod
    ? `${figures.peakMethod}, ${EXACT_PEAK_METHODS.includes(figures.peakMethod as PeakMethod) ? 'exact' : 'sampled'}`
    : 'no sidecar answer';
  const lines: Array<[string, string, string, string]> = [
    ['limit', mebibytes(figures.limitBytes), '', ''],
    ['true peak (sidecar)', mebibytes(figures.peakBytes), ofLimit(figures.peakToLimit), method],
    [
      `highest ${seconds(figures.samplerPeriodMs)} sample`,
      mebibytes(figures.sampledMaxBytes),
      ofLimit(figures.sampledMaxToLimit),
      `${figures.sampledReads} reads of usage`,
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...lines.map((line) => line[c].length)));
  const body = lines.map(([label, bytes, ratio, how]) =>
    `  ${label.padEnd(widths[0])}  ${bytes.padStart(widths[1])}  ${ratio.padEnd(widths[2])}  ${how}`.trimEnd()
  );
  return [heading, ...body].join('\n') + '\n';
}

/** The one line printed when no live container can run here. */
export function liveUnavailableText(reason: string): string {
  return `Live container: not shown, ${reason}\n`;
}

/** The live figures as a frame (the JSON form of a Grafana data frame), or an empty one with a notice saying why. */
export function liveContainerFrame(figures: LiveFigures | { unavailable: string }) {
  const f = 'unavailable' in figures ? null : figures;
  const field = (name: string, type: string, value: unknown, unit?: string) => ({
    name,
    type,
    config: unit ? { unit } : {},
    values: f ? [value] : [],
  });
  return {
    name: 'live-container',
    refId: 'live',
    meta: {
      notices:
        'unavailable' in figures
          ? [{ severity: 'info', text: `live container not shown: ${figures.unavailable}` }]
          : [],
    },
    fields: [
      field('namespace', 'string', f?.namespace),
      field('pod', 'string', f?.pod),
      field('container', 'string', f?.container),
      field('limit', 'number', f?.limitBytes, 'bytes'),
      field('peak', 'number', f?.peakBytes, 'bytes'),
      field('peakToLimit', 'number', f?.peakToLimit, 'percentunit'),
      field('peakMethod', 'string', f?.peakMethod),
      field('sampledMax', 'number', f?.sampledMaxBytes, 'bytes'),
      field('sampledMaxToLimit', 'number', f?.sampledMaxToLimit, 'percentunit'),
      field('sampledReads', 'number', f?.sampledReads),
      field('samplerPeriod', 'number', f?.samplerPeriodMs, 'ms'),
      field('spikes', 'number', f?.spikes),
    ],
  };
}

function mebibytes(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / MiB).toFixed(1)} MiB`;
}

function ofLimit(ratio: number | null): string {
  return ratio === null ? '' : `${(ratio * 100).toFixed(1)}% of limit`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
