/** `npm run sizing-table`: regenerate docs/sizing-comparison.md from the field cases. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { comparisonMarkdown } from './diagnose/comparison-table';

const target = resolve(__dirname, '..', 'docs', 'sizing-comparison.md');
writeFileSync(target, comparisonMarkdown());
console.log(comparisonMarkdown());
