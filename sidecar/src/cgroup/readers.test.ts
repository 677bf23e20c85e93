import * as fs from 'fs';
import * as path from 'path';
import { CgroupFiles, CgroupGoneError } from './cgroup-files';
import { parseLimit, parsePressure } from './file-formats';
import { GiB, MiB, preparedRoot, v1Files, v2Files, writeCgroup } from './prepared-tree';
import { CgroupV1Reader } from './reader-v1';
import { CgroupV2Reader, V2_PEAK_MISSING } from './reader-v2';
import { reclaimableSlabBytes } from './slab-info';
import { estimateUnreclaimable } from './unreclaimable';
import { workingSetBytes } from './working-set';

const root = preparedRoot();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function cgroupDir(): string {
  return path.join(root, `cg${++counter}`);
}

describe('limit files', () => {
  it('reads v2 "max" as unlimited', () => {
    expect(parseLimit('max\n')).toEqual({ ok: true, value: null });
  });

  it('reads the v1 page-rounded maximum as unlimited', () => {
    expect(parseLimit('9223372036854771712\n')).toEqual({ ok: true, value: null });
  });

  it('reads a 512 MiB limit as bytes', () => {
    expect(parseLimit('536870912\n')).toEqual({ ok: true, value: 536870912 });
  });
});

describe('memory.pressure', () => {
  it('reads some and full averages', () => {
    const text =
      'some avg10=1.50 avg60=0.75 avg300=0.20 total=123456\nfull avg10=0.50 avg60=0.25 avg300=0.05 total=4567\n';

    expect(parsePressure(text)).toEqual({
      ok: true,
      value: { someAvg10: 1.5, someAvg60: 0.75, someAvg300: 0.2, fullAvg10: 0.5, fullAvg60: 0.25, fullAvg300: 0.05 },
    });
  });
});

describe('cgroup v2 reader', () => {
  it('reads usage, limit, peak, events, pressure and threads', () => {
    const dir = writeCgroup(
      cgroupDir(),
      v2Files({
        current: 300 * MiB,
        max: 512 * MiB,
        high: 480 * MiB,
        peak: 420 * MiB,
        stat: { anon: 250 * MiB, file: 50 * MiB, inactive_file: 30 * MiB },
        events: { max: 3, oom_kill: 1 },
        threads: 12,
      })
    );

    const reading = new CgroupV2Reader(new CgroupFiles(dir)).read();

    expect(reading.usageBytes).toBe(300 * MiB);
    expect(reading.limitBytes).toBe(512 * MiB);
    expect(reading.highBytes).toBe(480 * MiB);
    expect(reading.lifetimePeakBytes).toBe(420 * MiB);
    expect(reading.events).toEqual({ max: 3, high: 0, oom: 0, oom_kill: 1 });
    expect(reading.pressure?.someAvg10).toBe(0);
    expect(reading.threads).toBe(12);
  });

  it('reads memory.max "max" as no limit', () => {
    const dir = writeCgroup(cgroupDir(), v2Files({ current: 300 * MiB, max: 'max', peak: 300 * MiB, stat: {} }));

    expect(new CgroupV2Reader(new CgroupFiles(dir)).read().limitBytes).toBeNull();
  });

  it('reports a missing memory.peak as unknown with one notice, never as 0', () => {
    const dir = writeCgroup(cgroupDir(), v2Files({ current: 300 * MiB, max: 512 * MiB, stat: { anon: 1 } }));
    const said: string[] = [];
    const files = new CgroupFiles(dir, undefined, (notice) => said.push(notice));
    const reader = new CgroupV2Reader(files);

    const first = reader.read();
    reader.read();

    expect(first.lifetimePeakBytes).toBeNull();
    expect(files.notices()).toEqual([V2_PEAK_MISSING]);
    expect(said).toEqual([V2_PEAK_MISSING]);
  });

  it('gives null and one notice for an unreadable file and still reads the others', () => {
    const dir = writeCgroup(cgroupDir(), v2Files({ current: 300 * MiB, max: 512 * MiB, peak: 1, stat: {} }));
    // A directory where the file should be cannot be read, even by root.
    fs.rmSync(path.join(dir, 'memory.stat'));
    fs.mkdirSync(path.join(dir, 'memory.stat'));
    const said: string[] = [];
    const reader = new CgroupV2Reader(new CgroupFiles(dir, undefined, (notice) => said.push(notice)));

    const reading = reader.read();
    reader.read();

    expect(reading.stat.breakdown.anonBytes).toBeNull();
    expect(reading.usageBytes).toBe(300 * MiB);
    expect(said).toEqual(['memory.stat could not be read (EISDIR)']);
  });

  it('throws CgroupGoneError when the directory has disappeared', () => {
    const dir = writeCgroup(cgroupDir(), v2Files({ current: 300 * MiB, max: 512 * MiB, peak: 1, stat: {} }));
    fs.rmSync(dir, { recursive: true });

    expect(() => new CgroupV2Reader(new CgroupFiles(dir)).readUsage()).toThrow(CgroupGoneError);
  });

  it('turns a malformed number into null with a notice', () => {
    const dir = writeCgroup(cgroupDir(), { 'memory.current': '3145\u0000garbage' });
    const files = new CgroupFiles(dir);

    expect(new CgroupV2Reader(files).readUsage()).toBeNull();
    expect(files.notices()).toEqual(['memory.current: expected a whole number, got "3145\\u0000garbage"']);
  });
});

describe('cgroup v1 reader', () => {
  it('reads usage, unlimited limit, lifetime peak, failcnt as max, oom_kill and tasks', () => {
    const dir = writeCgroup(
      cgroupDir(),
      v1Files({
        usage: 300 * MiB,
        limit: 'unlimited',
        maxUsage: 480 * MiB,
        stat: { rss: 250 * MiB, cache: 50 * MiB, inactive_file: 30 * MiB },
        failcnt: 17,
        oomKill: 2,
        kmem: 8 * MiB,
        tasks: 5,
      })
    );

    const reading = new CgroupV1Reader(new CgroupFiles(dir)).read();

    expect(reading.usageBytes).toBe(300 * MiB);
    expect(reading.limitBytes).toBeNull();
    expect(reading.highBytes).toBeNull();
    expect(reading.lifetimePeakBytes).toBe(480 * MiB);
    expect(reading.events).toEqual({ max: 17, high: null, oom: null, oom_kill: 2 });
    expect(reading.stat.breakdown.anonBytes).toBe(250 * MiB);
    expect(reading.stat.breakdown.kernelBytes).toBe(8 * MiB);
    expect(reading.stat.breakdown.slabReclaimableBytes).toBeNull();
    expect(reading.threads).toBe(5);
    expect(reading.pressure).toBeNull();
  });
});

describe('v1 slabinfo', () => {
  const slabinfo = [
    'slabinfo - version: 2.1',
    '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>',
    'dentry            12600000 12600000    192   21    1 : tunables    0    0    0 : slabdata 600000 600000      0',
    'ext4_inode_cache   1596000  1596000   1080   30    8 : tunables    0    0    0 : slabdata  51157  51157      0',
    'kmalloc-64           64000    64000     64   64    1 : tunables    0    0    0 : slabdata   1000   1000      0',
    '',
  ].join('\n');

  it('counts dentry and inode caches as reclaimable and kmalloc as not', () => {
    expect(reclaimableSlabBytes(slabinfo)).toBe((600000 + 51157 * 8) * 4096);
  });

  it('is unknown when the kernel lists no cache (Linux 5.9+)', () => {
    expect(reclaimableSlabBytes('')).toBeNull();
  });

  it('C7 in v1 form: 7.75 GiB rss, 4.22 GiB kmem, 3.85 GiB reclaimable slab give 68 % of 12 GiB', () => {
    const dir = writeCgroup(
      cgroupDir(),
      v1Files({
        usage: Math.round(11.97 * GiB),
        limit: 12 * GiB,
        maxUsage: 12 * GiB,
        stat: { rss: 7.75 * GiB, cache: 0 },
        kmem: Math.round(4.22 * GiB),
        kmemTcp: Math.round(0.01 * GiB),
        slabinfo,
      })
    );

    const reading = new CgroupV1Reader(new CgroupFiles(dir)).read();
    const estimate = estimateUnreclaimable(reading.stat.breakdown, 1);

    expect(reading.stat.breakdown.slabReclaimableBytes! / GiB).toBeCloseTo(3.85, 2);
    expect(Math.round((estimate.bytes! / (12 * GiB)) * 100)).toBe(68);
  });
});

describe('C8: the same container read as v1 and as v2', () => {
  const anon = 619e6;
  const activeFile = 811e6;
  const inactiveFile = 4.5e9;
  const kernel = 30e6;

  it('agrees on usage, working set and anon within 10 %', () => {
    const v1 = writeCgroup(
      cgroupDir(),
      v1Files({
        // v1 usage_in_bytes is batched per CPU and runs a little ahead of memory.stat.
        usage: anon + activeFile + inactiveFile + kernel + 40e6,
        limit: 8 * GiB,
        maxUsage: 6e9,
        stat: { rss: anon, cache: activeFile + inactiveFile, active_file: activeFile, inactive_file: inactiveFile },
        kmem: kernel,
      })
    );
    const v2 = writeCgroup(
      cgroupDir(),
      v2Files({
        current: anon + activeFile + inactiveFile + kernel,
        max: 8 * GiB,
        peak: 6e9,
        stat: {
          anon,
          file: activeFile + inactiveFile,
          active_file: activeFile,
          inactive_file: inactiveFile,
          kernel,
        },
      })
    );

    const one = new CgroupV1Reader(new CgroupFiles(v1)).read();
    const two = new CgroupV2Reader(new CgroupFiles(v2)).read();
    const within10 = (a: number, b: number) => Math.abs(a - b) / Math.max(a, b) <= 0.1;
    const ws1 = workingSetBytes(one.usageBytes, one.stat.breakdown.inactiveFileBytes)!;
    const ws2 = workingSetBytes(two.usageBytes, two.stat.breakdown.inactiveFileBytes)!;

    expect(within10(one.usageBytes!, two.usageBytes!)).toBe(true);
    expect(ws1).toBe(1500e6);
    expect(ws2).toBe(1460e6);
    expect(within10(ws1, ws2)).toBe(true);
    expect(one.stat.breakdown.anonBytes).toBe(two.stat.breakdown.anonBytes);
  });
});
