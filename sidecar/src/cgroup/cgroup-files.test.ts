import * as fs from 'fs';
import * as path from 'path';
import { CgroupFiles, CgroupFs, CgroupGoneError } from './cgroup-files';
import { MiB, preparedRoot, v1Files, writeCgroup } from './prepared-tree';
import { CgroupV1Reader } from './reader-v1';

const root = preparedRoot();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function v1Cgroup(): string {
  return writeCgroup(
    path.join(root, `cg${++counter}`),
    v1Files({ usage: 200 * MiB, limit: 256 * MiB, maxUsage: 220 * MiB, stat: { rss: 150 * MiB }, failcnt: 4 })
  );
}

/** Node's file calls, counting opens, reads and closes; `gone` makes reads fail the way the kernel's do. */
function countingFs() {
  const calls = { opens: 0, reads: 0, closes: 0, gone: false };
  const counting: CgroupFs = {
    existsSync: fs.existsSync,
    openSync(file, flags) {
      calls.opens++;
      return fs.openSync(file, flags);
    },
    readSync(fd, buffer, offset, length, position) {
      calls.reads++;
      if (calls.gone) {
        throw Object.assign(new Error('ENODEV: no such device, read'), { code: 'ENODEV' });
      }
      return fs.readSync(fd, buffer, offset, length, position);
    },
    closeSync(fd) {
      calls.closes++;
      fs.closeSync(fd);
    },
  };
  return { calls, counting };
}

describe('cgroup files read through held descriptors', () => {
  it('opens a file once and reads each new value with one read', () => {
    const dir = v1Cgroup();
    const { calls, counting } = countingFs();
    const reader = new CgroupV1Reader(new CgroupFiles(dir, counting));

    const first = reader.readUsage();
    writeCgroup(dir, { 'memory.usage_in_bytes': 240 * MiB });
    const second = reader.readUsage();
    reader.files.close();

    expect([first, second]).toEqual([200 * MiB, 240 * MiB]);
    expect(calls).toMatchObject({ opens: 1, reads: 2, closes: 1 });
  });

  it('reads a whole multi-record file (tasks of 12,000 threads, 84 KB) to its end', () => {
    const dir = v1Cgroup();
    const threadIds = Array.from({ length: 12_000 }, (_, index) => `${100000 + index}\n`).join('');
    writeCgroup(dir, { tasks: threadIds });
    const files = new CgroupFiles(dir);

    const reading = new CgroupV1Reader(files).read();
    files.close();

    expect(reading.threads).toBe(12_000);
  });

  it('takes ENODEV on a held descriptor as the cgroup gone and closes what it held', () => {
    const dir = v1Cgroup();
    const { calls, counting } = countingFs();
    const files = new CgroupFiles(dir, counting);
    const reader = new CgroupV1Reader(files);
    reader.readUsage();
    reader.readEvents();

    calls.gone = true;

    expect(() => reader.readUsage()).toThrow(CgroupGoneError);
    expect(calls.closes).toBe(calls.opens);
  });

  it('asks once whether an optional file exists', () => {
    const dir = v1Cgroup();
    let asked = 0;
    const files = new CgroupFiles(dir, {
      ...fs,
      existsSync(file) {
        asked++;
        return fs.existsSync(file);
      },
    });

    files.has('memory.kmem.tcp.usage_in_bytes');
    files.has('memory.kmem.tcp.usage_in_bytes');

    expect(asked).toBe(1);
  });
});
