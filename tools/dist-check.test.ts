import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO = resolve(__dirname, '..');
const MiB = 1024 * 1024;

describe('the built plugin (dist/module.js)', () => {
  test('loads as Grafana loads it, exports its editors, and its own data source class answers a Containers query', () => {
    if (!existsSync(resolve(REPO, 'dist', 'module.js'))) {
      throw new Error('dist/module.js is missing: run `npm run build` before the tests (the Quick start does)');
    }

    const run = spawnSync('npx', ['tsx', 'tools/dist-check.ts'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toContain('dist-check:');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);

    expect(result.components).toEqual(['ConfigEditor', 'QueryEditor', 'VariableQueryEditor']);
    expect(result.fromBundle).toBe(true);
    const coredns = result.rows.filter((r: { container: string }) => r.container === 'coredns');
    expect(coredns).toHaveLength(2);
    for (const row of coredns) {
      expect(row.limit).toBe(170 * MiB);
    }
  }, 150_000);
});
