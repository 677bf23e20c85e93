/** Reads one-value cgroup files through `CgroupFiles`, turning a malformed value into `null` with a notice. */
import { CgroupFiles } from './cgroup-files';
import { wholeNumberAt } from './counter-bytes';
import { parseLimit, parseSingleValue, V1_UNLIMITED_THRESHOLD_BYTES } from './file-formats';

/** Reads a single-number file without building a string; a malformed value is `null` with a notice. */
export function readNumber(files: CgroupFiles, name: string, missingReason?: string): number | null {
  const length = files.readBytes(name, missingReason);
  if (length < 0) {
    return null;
  }
  const value = wholeNumberAt(files.bytes, length);
  if (value >= 0) {
    return value;
  }
  const parsed = parseSingleValue(files.bytes.toString('utf8', 0, length));
  files.problem(name, `${name}: ${parsed.ok ? 'unreadable number' : parsed.reason}`);
  return null;
}

/** Reads a limit file; unlimited and unreadable are both `null`, the latter with a notice. */
export function readLimit(files: CgroupFiles, name: string): number | null {
  const length = files.readBytes(name);
  if (length < 0) {
    return null;
  }
  const value = wholeNumberAt(files.bytes, length);
  if (value >= 0 && value < V1_UNLIMITED_THRESHOLD_BYTES) {
    return value;
  }
  const parsed = parseLimit(files.bytes.toString('utf8', 0, length));
  if (!parsed.ok) {
    files.problem(name, `${name}: ${parsed.reason}`);
    return null;
  }
  return parsed.value;
}
