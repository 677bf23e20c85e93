#!/usr/bin/env node
// A memory workload for proving the peak sidecar on a real kernel: it holds a steady amount of touched memory,
// spikes to a higher level for a few milliseconds, releases the spike so the cgroup charge really falls, and
// repeats. It reports what it did as one JSON object per line on stdout, with times in ms since the epoch.
//
// Usage: node --expose-gc spiker.js --hold=BYTES [--spike=BYTES] [--spike-ms=MS] [--period=MS] [--count=N]
//                                   [--first-spike-ms=MS] [--file-cache=BYTES --cache-file=PATH] [--chunk=BYTES]
//
// --hold        bytes of anonymous memory allocated and touched at start and kept until exit
// --spike       extra bytes allocated and touched for each spike (0: no spikes)
// --spike-ms    how long each spike is held once fully touched
// --period      time from one spike's start to the next
// --count       number of spikes
// --first-spike-ms  delay from "holding" to the first spike (default: --period)
// --file-cache  bytes written to --cache-file and synced, so the cgroup holds clean, reclaimable page cache; the file
//               is read again before each spike, so every spike meets a full cache (reclaim of one spike empties it)
// --hold-to, --spike-to  instead of --hold/--spike: bring the own memory cgroup's charge to this many bytes (the
//               runtime's own baseline included), read from cgroup v1 `memory.usage_in_bytes` or v2 `memory.current`
//
// Events: ready, holding, spike-start (allocation begins), spike-peak (spike fully touched), spike-end (release
// begins), spike-released, done (all spikes over; the process keeps holding until stdin closes or a signal).
//
// Release: spike buffers come from `Buffer.allocUnsafeSlow` in chunks; the launcher sets MALLOC_MMAP_THRESHOLD_ so
// glibc serves every chunk with its own mmap and unmaps it on free, and `gc()` frees the buffers at once.
'use strict';

const fs = require('node:fs');

const MIB = 1024 * 1024;

function parseArgs(argv) {
  const options = {
    hold: 0,
    spike: 0,
    spikeMs: 0,
    period: 1000,
    count: 0,
    firstSpikeMs: null,
    fileCache: 0,
    cacheFile: null,
    chunk: 4 * MIB,
    holdTo: null,
    spikeTo: null,
  };
  const names = {
    '--hold': 'hold',
    '--spike': 'spike',
    '--spike-ms': 'spikeMs',
    '--period': 'period',
    '--count': 'count',
    '--first-spike-ms': 'firstSpikeMs',
    '--file-cache': 'fileCache',
    '--chunk': 'chunk',
    '--hold-to': 'holdTo',
    '--spike-to': 'spikeTo',
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--cache-file') {
      options.cacheFile = value;
      continue;
    }
    const key = names[flag];
    const number = Number(value);
    if (!key || value === undefined || !Number.isFinite(number) || number < 0) {
      throw new Error(`bad argument "${arg}"`);
    }
    options[key] = number;
  }
  if (options.fileCache > 0 && !options.cacheFile) {
    throw new Error('--file-cache needs --cache-file=PATH');
  }
  return options;
}

function emit(event, fields) {
  process.stdout.write(JSON.stringify({ event, timeMs: Date.now(), ...fields }) + '\n');
}

/** Allocates `bytes` in chunks and writes every page, so the kernel charges all of it to the cgroup. */
function touch(bytes, chunk) {
  const buffers = [];
  for (let left = bytes; left > 0; left -= chunk) {
    const buffer = Buffer.allocUnsafeSlow(Math.min(chunk, left));
    buffer.fill(0x5a);
    buffers.push(buffer);
  }
  return buffers;
}

function release() {
  if (typeof global.gc === 'function') {
    global.gc();
  }
}

/** Writes `bytes` to a file and syncs it: the pages stay cached and clean, so reclaim can drop them. */
function fillPageCache(path, bytes) {
  const fd = fs.openSync(path, 'w');
  const block = Buffer.alloc(MIB, 0x33);
  for (let left = bytes; left > 0; left -= block.length) {
    fs.writeSync(fd, block, 0, Math.min(block.length, left));
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}

/** The own memory cgroup's charge in bytes, from /proc/self/cgroup and the usual mount points. */
function cgroupChargeBytes() {
  const lines = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const v1 = lines.find((line) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(line));
  const file = v1
    ? `/sys/fs/cgroup/memory${v1.split(':')[2]}/memory.usage_in_bytes`
    : `/sys/fs/cgroup${lines.find((line) => line.startsWith('0::')).slice(3)}/memory.current`;
  return Number(fs.readFileSync(file, 'utf8').trim());
}

/** Reads the cache file through a small buffer, bringing evicted pages back into the page cache. */
function rereadPageCache(path) {
  const fd = fs.openSync(path, 'r');
  const block = Buffer.allocUnsafe(MIB);
  while (fs.readSync(fd, block, 0, block.length, null) > 0) {
    // Reading is the point: each page read is cached and charged again.
  }
  fs.closeSync(fd);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Busy-waits so a spike of a few ms is not stretched by timer granularity. */
function holdFor(ms) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  emit('ready', { pid: process.pid });

  if (options.fileCache > 0) {
    fillPageCache(options.cacheFile, options.fileCache);
    emit('file-cached', { bytes: options.fileCache });
  }

  const holdBytes = options.holdTo === null ? options.hold : Math.max(0, options.holdTo - cgroupChargeBytes());
  const held = touch(holdBytes, options.chunk);
  const spikeBytes = options.spikeTo === null ? options.spike : Math.max(0, options.spikeTo - cgroupChargeBytes());
  emit('holding', { bytes: holdBytes, spikeBytes });

  const firstDelay = options.firstSpikeMs ?? options.period;
  let nextStart = performance.now() + firstDelay;
  for (let index = 0; index < options.count && spikeBytes > 0; index++) {
    await sleep(Math.max(0, nextStart - performance.now()));
    nextStart += options.period;
    if (options.fileCache > 0 && index > 0) {
      rereadPageCache(options.cacheFile);
    }

    emit('spike-start', { index, bytes: spikeBytes });
    let spike = touch(spikeBytes, options.chunk);
    emit('spike-peak', { index });
    if (options.spikeMs >= 20) {
      await sleep(options.spikeMs);
    } else {
      holdFor(options.spikeMs);
    }
    emit('spike-end', { index, chunks: spike.length });
    spike = null;
    release();
    emit('spike-released', { index });
  }

  emit('done', { heldChunks: held.length });
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`spiker: ${error.message}\n`);
  process.exit(2);
});
