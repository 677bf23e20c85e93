/**
 * What a fixed-rate sampler (the kubelet every 10–15 s, Prometheus every 15 s, a 1 s scraper) would have seen of
 * spikes whose start and end are known. A sampler reads at `phaseMs + k × periodMs`; it sees a spike when one of
 * those instants falls while the spike is fully touched. Its phase relative to the workload is unknown, so the share
 * of spikes it catches is averaged over evenly spread phases: the expected share for a sampler started at random.
 */

/** A span during which a spike was at its full level, ms since the epoch. */
export interface SpikeSpan {
  peakMs: number;
  endMs: number;
}

/** Whether a sampler reading every `periodMs` at `phaseMs` (mod `periodMs`) reads inside the spike. */
export function samplerSeesSpike(spike: SpikeSpan, periodMs: number, phaseMs: number): boolean {
  const offset = (((spike.peakMs - phaseMs) % periodMs) + periodMs) % periodMs;
  const firstReadAtOrAfterPeak = spike.peakMs + (offset === 0 ? 0 : periodMs - offset);
  return firstReadAtOrAfterPeak <= spike.endMs;
}

/** The expected share (0–1) of `spikes` a sampler every `periodMs` catches, over `phases` evenly spread phases. */
export function expectedCatchShare(spikes: SpikeSpan[], periodMs: number, phases = 1000): number {
  if (spikes.length === 0) {
    return 0;
  }
  let caught = 0;
  for (let p = 0; p < phases; p++) {
    const phaseMs = (p * periodMs) / phases;
    caught += spikes.filter((spike) => samplerSeesSpike(spike, periodMs, phaseMs)).length;
  }
  return caught / (phases * spikes.length);
}
