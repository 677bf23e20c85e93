/**
 * Proves the generated Prometheus rules with promtool: the rule file is valid and the field cases (C1 transient
 * spike, C2 startup spike, C6 page cache) fire exactly the alerts written in the unit test files next to this one.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
const RULE_FILE = 'deploy/prometheus/headroom.rules.yml';

function promtool(args: string[]) {
  const run = spawnSync('promtool', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error("promtool is not installed: install Debian's `prometheus` package (apt-get install prometheus)");
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const unitTestFiles = readdirSync(__dirname)
  .filter((name) => name.endsWith('.test.yml'))
  .sort();

describe('Prometheus alert rules under promtool', () => {
  it('the generated rule file passes promtool check rules with every Headroom rule in it', () => {
    const { status, output } = promtool(['check', 'rules', RULE_FILE]);

    expect(output).toContain('SUCCESS: 7 rules found');
    expect(status).toBe(0);
  });

  it('has unit tests for the C1, C2 and C6 field cases', () => {
    expect(unitTestFiles).toEqual(
      expect.arrayContaining([
        'c1-transient-spike.test.yml',
        'c2-startup-spike.test.yml',
        'c6-page-cache-peak.test.yml',
      ])
    );
  });

  it.each(unitTestFiles)('promtool test rules %s fires exactly the expected alerts', (file) => {
    const { status, output } = promtool(['test', 'rules', join('tests', 'alerts', file)]);

    expect(output).toContain('SUCCESS');
    expect(output).not.toContain('FAILED');
    expect(status).toBe(0);
  });
});
