/** Reads one-value cgroup files through `CgroupFiles`, turning a malformed value into `null` with a notice. */
import { CgroupFiles } from './cgroup-files';
import { parseLimit, parseSingleValue } from './file-formats';

/** Reads a single-number file; a malformed value is `null` with a notice. */
export function readNumber(files: CgroupFiles, name: string, missingReason?: string): number | null {
  const text = files.read(name, missingReason);
  if (text === null) {
    return null;
  }
  const parsed = parseSingleValue(text);
  if (!parsed.ok) {
    files.problem(name, `${name}: ${parsed.reason}`);
    return null;
  }
  return parsed.value;
}

/** Reads a limit file; unlimited and unreadable are both `null`, the latter with a notice. */
export function readLimit(files: CgroupFiles, name: string): number | null {
  const text = files.read(name);
  if (text === null) {
    return null;
  }
  const parsed = parseLimit(text);
  if (!parsed.ok) {
    files.problem(name, `${name}: ${parsed.reason}`);
    return null;
  }
  return parsed.value;
}
