import { failureText, fanOut } from './fan-out';

const nameOf = (node: string) => `node "${node}"`;

describe('fanOut', () => {
  it('keeps the answers of healthy nodes when one node fails, and names the failed node and the reason', async () => {
    const result = await fanOut(
      ['n1', 'n2', 'n3'],
      async (node) => {
        if (node === 'n2') {
          throw new Error('node "n2" stats: server error (HTTP 500)');
        }
        return `${node}-summary`;
      },
      { concurrency: 2, timeoutMs: 1000, nameOf }
    );

    expect(result.successes.map((s) => s.value)).toEqual(['n1-summary', 'n3-summary']);
    expect(result.failures).toEqual([
      { target: 'n2', name: 'node "n2"', reason: 'node "n2" stats: server error (HTTP 500)' },
    ]);
    expect(failureText(result.failures[0])).toBe('node "n2" stats: server error (HTTP 500)');
  });

  it('a node that never answers becomes a timeout failure while the others answer', async () => {
    const result = await fanOut(
      ['n1', 'hung', 'n3'],
      (node) => (node === 'hung' ? new Promise<string>(() => {}) : Promise.resolve(node.toUpperCase())),
      { concurrency: 3, timeoutMs: 25, nameOf }
    );

    expect(result.successes.map((s) => s.value)).toEqual(['N1', 'N3']);
    expect(result.failures.map(failureText)).toEqual(['node "hung": no answer within 25 ms']);
  });

  it('never has more requests in flight than the concurrency limit', async () => {
    let inFlight = 0;
    let highest = 0;
    const nodes = Array.from({ length: 20 }, (_, i) => `n${i + 1}`);

    const result = await fanOut(
      nodes,
      async (node) => {
        inFlight++;
        highest = Math.max(highest, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return node;
      },
      { concurrency: 4, timeoutMs: 1000, nameOf }
    );

    expect(highest).toBe(4);
    expect(result.successes.map((s) => s.value)).toEqual(nodes);
  });

  it('a concurrency of 0 from a mistyped setting still asks every node, one at a time', async () => {
    const result = await fanOut(['n1', 'n2'], async (node) => node, { concurrency: 0, timeoutMs: 1000, nameOf });

    expect(result.successes.map((s) => s.value)).toEqual(['n1', 'n2']);
  });

  it('no targets is an empty answer, not a failure', async () => {
    const result = await fanOut([], async () => 1, { concurrency: 8, timeoutMs: 1000, nameOf });

    expect(result).toEqual({ successes: [], failures: [] });
  });
});
