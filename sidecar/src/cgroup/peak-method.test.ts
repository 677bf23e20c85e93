import * as fs from 'fs';
import * as path from 'path';
import { CgroupFiles } from './cgroup-files';
import { PeakFileIo, PeakTracker } from './peak-method';
import { MiB, preparedRoot, v1Files, v2Files, writeCgroup } from './prepared-tree';
import { CgroupV1Reader } from './reader-v1';
import { CgroupV2Reader, V2_PEAK_MISSING } from './reader-v2';

const root = preparedRoot();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function v2Cgroup(peak?: number): string {
  return writeCgroup(
    path.join(root, `v2-${++counter}`),
    v2Files({ current: 200 * MiB, max: 256 * MiB, peak, stat: { anon: 150 * MiB } })
  );
}
function v1Cgroup(maxUsage: number): string {
  return writeCgroup(
    path.join(root, `v1-${++counter}`),
    v1Files({ usage: 200 * MiB, limit: 256 * MiB, maxUsage, stat: { rss: 150 * MiB } })
  );
}

/**
 * Plays the kernel for a prepared `memory.peak`: checks that the tracker reset the mark through its descriptor (its
 * write of "reset" lands at the start of the file) and then sets the mark the next window reached.
 */
function kernelSetsWindowPeak(dir: string, bytes: number): void {
  const file = path.join(dir, 'memory.peak');
  expect(fs.readFileSync(file, 'utf8').startsWith('reset')).toBe(true);
  fs.writeFileSync(file, `${bytes}\n`);
}

/** Node's file calls, with writes refused the way a kernel before 6.12 refuses them. */
function refusingWrites(code: string): PeakFileIo {
  const refuse = () => {
    throw Object.assign(new Error(`${code}: write refused`), { code });
  };
  return {
    openSync: fs.openSync,
    readSync: fs.readSync,
    writeSync: refuse,
    closeSync: fs.closeSync,
  };
}

describe('v2 memory.peak with per-descriptor reset (Linux 6.12+)', () => {
  it('resets through one held descriptor and reads each window peak from it', () => {
    const dir = v2Cgroup(230 * MiB);
    const tracker = new PeakTracker(new CgroupV2Reader(new CgroupFiles(dir)));
    expect(tracker.method).toBe('v2-peak-reset');

    kernelSetsWindowPeak(dir, 250 * MiB);
    const first = tracker.closeWindow();
    kernelSetsWindowPeak(dir, 210 * MiB);
    const second = tracker.closeWindow();
    tracker.close();

    expect(first).toEqual({ peakBytes: 250 * MiB, exact: false, lifetimePeakBytes: 250 * MiB });
    expect(second).toEqual({ peakBytes: 210 * MiB, exact: true, lifetimePeakBytes: 250 * MiB });
  });

  it('keeps the lifetime peak read before the first reset when windows stay below it', () => {
    const dir = v2Cgroup(240 * MiB);
    const tracker = new PeakTracker(new CgroupV2Reader(new CgroupFiles(dir)));

    kernelSetsWindowPeak(dir, 200 * MiB);
    tracker.closeWindow();
    tracker.close();

    expect(tracker.lifetimePeak()).toBe(240 * MiB);
  });

  it('is not exact for a mark that spans skipped windows', () => {
    const dir = v2Cgroup(230 * MiB);
    const tracker = new PeakTracker(new CgroupV2Reader(new CgroupFiles(dir)));
    kernelSetsWindowPeak(dir, 220 * MiB);
    tracker.closeWindow();

    kernelSetsWindowPeak(dir, 221 * MiB);
    const late = tracker.closeWindow(false);
    tracker.close();

    expect(late.exact).toBe(false);
    expect(late.peakBytes).toBe(221 * MiB);
  });
});

describe('v2 memory.peak that cannot be reset (5.19–6.11)', () => {
  it('falls back to the lifetime peak plus sampling when the reset write fails with EINVAL', () => {
    const dir = v2Cgroup(230 * MiB);
    const files = new CgroupFiles(dir);

    const tracker = new PeakTracker(new CgroupV2Reader(files), { io: refusingWrites('EINVAL') });

    expect(tracker.method).toBe('v2-peak-sampled');
    expect(tracker.lifetimePeak()).toBe(230 * MiB);
    expect(files.notices()).toEqual([
      'memory.peak cannot be reset here (needs Linux 6.12+ and a writable mount): window peaks are sampled (EINVAL)',
    ]);
    expect(fs.readFileSync(path.join(dir, 'memory.peak'), 'utf8')).toBe(`${230 * MiB}\n`);
  });

  it('raises the window that saw the lifetime peak rise, without calling it exact', () => {
    const dir = v2Cgroup(230 * MiB);
    const tracker = new PeakTracker(new CgroupV2Reader(new CgroupFiles(dir)), { io: refusingWrites('EACCES') });

    const quiet = tracker.closeWindow();
    fs.writeFileSync(path.join(dir, 'memory.peak'), `${256 * MiB}\n`);
    const spike = tracker.closeWindow();

    expect(quiet).toEqual({ peakBytes: null, exact: false, lifetimePeakBytes: 230 * MiB });
    expect(spike).toEqual({ peakBytes: 256 * MiB, exact: false, lifetimePeakBytes: 256 * MiB });
  });
});

describe('v2 without memory.peak (before 5.19)', () => {
  it('samples only and reports the lifetime peak as unknown, never 0', () => {
    const dir = v2Cgroup(undefined);
    const files = new CgroupFiles(dir);
    const tracker = new PeakTracker(new CgroupV2Reader(files));

    expect(tracker.method).toBe('v2-sampled');
    expect(tracker.closeWindow()).toEqual({ peakBytes: null, exact: false, lifetimePeakBytes: null });
    expect(tracker.lifetimePeak()).toBeNull();
    expect(files.notices()).toEqual([V2_PEAK_MISSING]);
  });
});

describe('cgroup v1 peaks', () => {
  it('uses max_usage_in_bytes as the lifetime peak and leaves it alone by default', () => {
    const dir = v1Cgroup(250 * MiB);
    const tracker = new PeakTracker(new CgroupV1Reader(new CgroupFiles(dir)));

    expect(tracker.method).toBe('v1-sampled');
    expect(tracker.closeWindow().lifetimePeakBytes).toBe(250 * MiB);
    expect(fs.readFileSync(path.join(dir, 'memory.max_usage_in_bytes'), 'utf8')).toBe(`${250 * MiB}\n`);
  });

  it('writes 0 at each window boundary with v1ResetPeak and keeps the lifetime peak itself', () => {
    const dir = v1Cgroup(250 * MiB);
    const file = path.join(dir, 'memory.max_usage_in_bytes');
    const tracker = new PeakTracker(new CgroupV1Reader(new CgroupFiles(dir)), { v1ResetPeak: true });
    expect(tracker.method).toBe('v1-reset');
    expect(fs.readFileSync(file, 'utf8').startsWith('0')).toBe(true);

    fs.writeFileSync(file, `${180 * MiB}\n`);
    tracker.closeWindow();
    fs.writeFileSync(file, `${190 * MiB}\n`);
    const second = tracker.closeWindow();

    expect(second).toEqual({ peakBytes: 190 * MiB, exact: true, lifetimePeakBytes: 250 * MiB });
    // The reset writes "0" through a held descriptor at the start of the file, where the kernel takes any write.
    expect(fs.readFileSync(file, 'utf8').startsWith('0')).toBe(true);
  });

  it('falls back to sampling when the v1 reset is refused', () => {
    const dir = v1Cgroup(250 * MiB);
    const files = new CgroupFiles(dir);

    const tracker = new PeakTracker(new CgroupV1Reader(files), { v1ResetPeak: true, io: refusingWrites('EROFS') });

    expect(tracker.method).toBe('v1-sampled');
    expect(files.notices()).toEqual([
      'memory.max_usage_in_bytes cannot be reset (read-only mount?): window peaks are sampled (EROFS)',
    ]);
  });
});
