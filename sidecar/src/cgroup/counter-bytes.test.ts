import { keyedCounters, wholeNumberAt } from './counter-bytes';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const read = (text: string) => wholeNumberAt(bytes(text), Buffer.byteLength(text));

describe('whole numbers read from bytes', () => {
  it('reads a 256 MiB usage with its trailing newline', () => {
    expect(read('268435456\n')).toBe(268435456);
  });

  it('reads only the bytes the file gave, not what an earlier read left in the buffer', () => {
    const buffer = bytes('536870912\n');
    buffer.write('4096\n', 0);

    expect(wholeNumberAt(buffer, 5)).toBe(4096);
  });

  it('rounds the v1 "unlimited" value exactly as Number does', () => {
    expect(read('9223372036854771712\n')).toBe(Number('9223372036854771712'));
  });

  it('refuses text that is not one whole number', () => {
    expect(read('3145\u0000garbage')).toBe(-1);
    expect(read('max\n')).toBe(-1);
    expect(read('\n')).toBe(-1);
    expect(read('-5\n')).toBe(-1);
  });
});

describe('keyed counters read from bytes', () => {
  it('picks max and oom_kill out of memory.events, in the order asked', () => {
    const text = 'low 0\nhigh 12\nmax 37\noom 2\noom_kill 1\noom_group_kill 0\n';
    const out: Array<number | null> = [];

    keyedCounters(bytes(text), text.length, ['max', 'oom_kill'], out);

    expect(out).toEqual([37, 1]);
  });

  it('reads the oom_kill line of v1 memory.oom_control and not the keys that only start the same', () => {
    const text = 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n';
    const out: Array<number | null> = [];

    keyedCounters(bytes(text), text.length, ['oom_kill'], out);

    expect(out).toEqual([3]);
  });

  it('gives null for a key the kernel does not write (oom_control before Linux 4.13)', () => {
    const text = 'oom_kill_disable 0\nunder_oom 0\n';
    const out: Array<number | null> = [7];

    keyedCounters(bytes(text), text.length, ['oom_kill'], out);

    expect(out).toEqual([null]);
  });
});
