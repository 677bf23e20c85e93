import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { ReplayNode, SummaryDocument, summaryProblem } from './summary-document';

/** A directory that cannot be replayed at all. */
export class SummaryDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SummaryDirectoryError';
  }
}

export interface LoadedSummaries {
  nodes: ReplayNode[];
  /** One line per file that was skipped, naming the file and why. */
  warnings: string[];
}

/**
 * Reads every `*.json` in a directory as one node's kubelet summary. CRLF line endings and a byte order mark are fine;
 * a file that is not a usable summary, or repeats a node already read, is skipped with a warning.
 */
export function loadSummaryDirectory(dir: string): LoadedSummaries {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      throw new SummaryDirectoryError(`${dir} is not a directory of kubelet summaries`);
    }
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof SummaryDirectoryError) {
      throw error;
    }
    throw new SummaryDirectoryError(`cannot read the summary directory ${dir}: ${(error as Error).message}`);
  }

  const nodes: ReplayNode[] = [];
  const warnings: string[] = [];
  for (const name of names.filter((file) => file.toLowerCase().endsWith('.json')).sort()) {
    const text = readFileSync(join(dir, name), 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      warnings.push(`${name}: skipped, not valid JSON (${(error as Error).message})`);
      continue;
    }
    const problem = summaryProblem(parsed);
    if (problem) {
      warnings.push(`${name}: skipped, not a kubelet summary (${problem})`);
      continue;
    }
    const summary = parsed as SummaryDocument;
    summary.pods = summary.pods ?? [];
    const nodeName = summary.node.nodeName;
    if (nodes.some((node) => node.name === nodeName)) {
      warnings.push(`${name}: skipped, node "${nodeName}" was already read from another file`);
      continue;
    }
    nodes.push({ name: nodeName, summary, body: () => text, source: name });
  }
  return { nodes, warnings };
}
