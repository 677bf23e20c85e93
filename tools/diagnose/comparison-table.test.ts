import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { comparisonMarkdown } from './comparison-table';

describe('the committed sizing comparison', () => {
  test('matches what the code computes now (run `npm run sizing-table` after changing the rules)', () => {
    const committed = readFileSync(resolve(__dirname, '..', '..', 'docs', 'sizing-comparison.md'), 'utf8');

    expect(committed).toBe(comparisonMarkdown());
  });

  test('C1: KRR-style sizing from samples would still OOM at the burst, ours would not', () => {
    const c1 = comparisonMarkdown()
      .split('\n')
      .find((l) => l.startsWith('| C1 '))!;
    const cells = c1.split('|').map((s) => s.trim());

    expect(cells[2]).toBe('transient-spike (critical)');
    expect(cells[6]).toBe('yes');
    expect(cells[10]).toBe('**no — OOM**');
  });
});
