/**
 * `npm run diagnose -- FILE [--json]`: diagnose every container in a saved peak sidecar answer and print the verdicts,
 * the operator's checklist and request/limit recommendations.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { diagnoseDocument } from './diagnose/diagnose-file';
import { formatDiagnoses } from './diagnose/format';

const USAGE = 'usage: npm run diagnose -- FILE [--json]';

/** Runs the command; returns the exit code. */
export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean' } }, allowPositionals: true });
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    out(USAGE);
    return 0;
  }
  const [file] = parsed.positionals;
  if (!file) {
    err(USAGE);
    return 2;
  }

  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    err(`cannot read ${file}: ${(e as Error).message}`);
    return 1;
  }

  const result = diagnoseDocument(doc, file);
  if (parsed.values.json) {
    out(JSON.stringify({ diagnoses: result.diagnoses, recommendations: result.sized, notices: result.notices }, null, 2));
  } else {
    out(formatDiagnoses(result.diagnoses, result.sized));
    for (const n of result.notices) {
      out(`${n.severity}: ${n.text}`);
    }
  }
  if (result.rows.length === 0) {
    err(`no container could be diagnosed from ${file}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (s) => console.log(s), (s) => console.error(s));
}
