import * as fs from 'fs';
import * as path from 'path';
import { EventCounter, watchMemoryEvents } from './events';
import { preparedRoot } from './prepared-tree';

const T0 = 1_700_000_000_000;
const counts = (max: number, oomKill: number) => ({ max, high: 0, oom: oomKill, oom_kill: oomKill });

describe('memory event counter', () => {
  it('takes the first read as the baseline without events', () => {
    expect(new EventCounter().observe(counts(12, 1), T0)).toEqual([]);
  });

  it('records each counter increase with its delta and new count', () => {
    const counter = new EventCounter();
    counter.observe(counts(12, 0), T0);

    const fresh = counter.observe(counts(15, 1), T0 + 100);

    expect(fresh).toEqual([
      { timeMs: T0 + 100, kind: 'max', delta: 3, count: 15 },
      { timeMs: T0 + 100, kind: 'oom', delta: 1, count: 1 },
      { timeMs: T0 + 100, kind: 'oom_kill', delta: 1, count: 1 },
    ]);
    expect(counter.counts()).toEqual({ max: 15, high: 0, oom: 1, oom_kill: 1 });
  });

  it('keeps only the most recent events', () => {
    const counter = new EventCounter(2);
    for (let step = 0; step < 5; step++) {
      counter.observe({ max: step, high: null, oom: null, oom_kill: null }, T0 + step);
    }

    expect(counter.recent().map((event) => event.count)).toEqual([3, 4]);
  });

  it('treats a counter that went down as a new baseline, not an event', () => {
    const counter = new EventCounter();
    counter.observe(counts(40, 0), T0);

    expect(counter.observe(counts(2, 0), T0 + 100)).toEqual([]);
    expect(counter.observe(counts(3, 0), T0 + 200)).toEqual([{ timeMs: T0 + 200, kind: 'max', delta: 1, count: 3 }]);
  });

  it('keeps the last known count of a counter that could not be read', () => {
    const counter = new EventCounter();
    counter.observe(counts(5, 0), T0);
    counter.observe({ max: null, high: null, oom: null, oom_kill: null }, T0 + 100);

    expect(counter.counts().max).toBe(5);
  });
});

describe('memory.events watch', () => {
  it('calls back when the file changes, so a kill is read before the next sample', async () => {
    const root = preparedRoot();
    const file = path.join(root, 'memory.events');
    fs.writeFileSync(file, 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n');
    let stop: (() => void) | null = null;
    const changed = new Promise<void>((resolve) => {
      stop = watchMemoryEvents(file, resolve);
    });

    fs.writeFileSync(file, 'low 0\nhigh 0\nmax 1\noom 1\noom_kill 1\n');
    await changed;
    stop!();
    fs.rmSync(root, { recursive: true, force: true });

    expect(stop).not.toBeNull();
  });

  it('returns null for a file that cannot be watched, leaving polling to the caller', () => {
    const root = preparedRoot();
    const stop = watchMemoryEvents(path.join(root, 'missing', 'memory.events'), () => {});
    fs.rmSync(root, { recursive: true, force: true });

    expect(stop).toBeNull();
  });
});
