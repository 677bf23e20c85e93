import { ColumnFrame } from './frame';
import { mergeSeries } from './merge-series';

const labels = { namespace: 'shop', pod: 'api-1', container: 'api', node: 'node-a' };

function frame(
  name: string,
  times: number[],
  workingSet: Array<number | null>,
  extra?: Array<number | null>
): ColumnFrame {
  const fields: ColumnFrame['fields'] = [
    { name: 'time', type: 'time', values: times },
    { name: 'working set', type: 'number', unit: 'bytes', labels, values: workingSet },
  ];
  if (extra) {
    fields.push({ name: 'window peak', type: 'number', unit: 'bytes', labels, values: extra });
  }
  return { name, fields, notices: [], meta: { type: 'timeseries-multi', typeVersion: [0, 1] } };
}

describe('mergeSeries', () => {
  it('appends the new points to the frame of the same container, in time order', () => {
    const merged = mergeSeries(
      [frame('shop/api-1/api', [1000, 6000], [10, 11])],
      [frame('shop/api-1/api', [11000], [12])],
      {}
    );

    expect(merged).toHaveLength(1);
    expect(merged[0].fields[0].values).toEqual([1000, 6000, 11000]);
    expect(merged[0].fields[1].values).toEqual([10, 11, 12]);
    expect(merged[0].fields[1].labels).toEqual(labels);
  });

  it('lets the newer value win when both have the same time', () => {
    const merged = mergeSeries([frame('a', [1000, 6000], [10, 11])], [frame('a', [6000, 11000], [99, 12])], {});

    expect(merged[0].fields[1].values).toEqual([10, 99, 12]);
  });

  it('keeps only the newest maxPoints points', () => {
    const merged = mergeSeries([frame('a', [1000, 2000, 3000], [1, 2, 3])], [frame('a', [4000], [4])], {
      maxPoints: 2,
    });

    expect(merged[0].fields[0].values).toEqual([3000, 4000]);
    expect(merged[0].fields[1].values).toEqual([3, 4]);
  });

  it('drops points older than keepMs before the newest one', () => {
    const merged = mergeSeries([frame('a', [0, 60_000, 250_000], [1, 2, 3])], [frame('a', [300_000], [4])], {
      keepMs: 240_000,
    });

    expect(merged[0].fields[0].values).toEqual([60_000, 250_000, 300_000]);
  });

  it('fills a field the older frame lacked with nulls', () => {
    const merged = mergeSeries([frame('a', [1000], [10])], [frame('a', [2000], [20], [25])], {});

    expect(merged[0].fields.map((f) => f.name)).toEqual(['time', 'working set', 'window peak']);
    expect(merged[0].fields[2].values).toEqual([null, 25]);
  });

  it('keeps a container that did not answer this time and adds a new one', () => {
    const merged = mergeSeries([frame('a', [1000], [10])], [frame('b', [2000], [20])], {});

    expect(merged.map((f) => f.name)).toEqual(['b', 'a']);
  });
});
