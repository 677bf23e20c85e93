// The test command: typecheck and lint (errors only), then every test suite (plugin, sidecar, tools, alert rules,
// end to end), ending with one plain summary line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const checks = [
  ['typecheck', ['npm', ['run', '--silent', 'typecheck']]],
  ['lint', ['npx', ['eslint', '--quiet', '.']]],
];
let failedChecks = 0;
for (const [name, [command, args]] of checks) {
  const check = spawnSync(command, args, { stdio: 'inherit' });
  if (check.status !== 0) {
    console.error(`${name} failed`);
    failedChecks += 1;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'headroom-tests-'));
const out = join(dir, 'jest.json');
const args = ['jest', '--ci', '--json', `--outputFile=${out}`, ...process.argv.slice(2)];
const run = spawnSync('npx', args, { stdio: 'inherit' });

let passed = 0;
let failed = failedChecks;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed = report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  skipped = report.numPendingTests + report.numTodoTests;
} catch {
  failed += 1;
}
rmSync(dir, { recursive: true, force: true });

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
