/**
 * Reads whole numbers straight from the bytes of a cgroup file, without building strings: the collector re-reads
 * usage and event counters of every cgroup several times a second. Pure: works on any byte array.
 */

const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;

/** Digits that still add up exactly in a double (2^53 has 16 digits). */
const EXACT_DIGITS = 15;

const isBlank = (byte: number) => byte === SPACE || byte === TAB || byte === NEWLINE;

/**
 * The whole number that `bytes[0, length)` holds, blanks around it allowed; -1 when it holds anything else (the
 * caller then decodes the text to say why). Numbers longer than 15 digits go through `Number` so they round the same.
 */
export function wholeNumberAt(bytes: Uint8Array, length: number, start = 0): number {
  let begin = start;
  while (begin < length && isBlank(bytes[begin])) {
    begin++;
  }
  let end = length;
  while (end > begin && isBlank(bytes[end - 1])) {
    end--;
  }
  return digitsBetween(bytes, begin, end);
}

/**
 * Fills `out[i]` with the value of the line `keys[i] N` in flat keyed text (`memory.events`, `memory.oom_control`),
 * or null when the key is absent or its value is not a whole number.
 */
export function keyedCounters(
  bytes: Uint8Array,
  length: number,
  keys: readonly string[],
  out: Array<number | null>
): void {
  out.fill(null, 0, keys.length);
  let line = 0;
  while (line < length) {
    let lineEnd = line;
    while (lineEnd < length && bytes[lineEnd] !== NEWLINE) {
      lineEnd++;
    }
    let keyEnd = line;
    while (keyEnd < lineEnd && bytes[keyEnd] !== SPACE) {
      keyEnd++;
    }
    const index = keyIndex(bytes, line, keyEnd, keys);
    if (index >= 0) {
      let valueStart = keyEnd;
      while (valueStart < lineEnd && isBlank(bytes[valueStart])) {
        valueStart++;
      }
      let valueEnd = lineEnd;
      while (valueEnd > valueStart && isBlank(bytes[valueEnd - 1])) {
        valueEnd--;
      }
      const value = digitsBetween(bytes, valueStart, valueEnd);
      out[index] = value < 0 ? null : value;
    }
    line = lineEnd + 1;
  }
}

function keyIndex(bytes: Uint8Array, start: number, end: number, keys: readonly string[]): number {
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (key.length !== end - start) {
      continue;
    }
    let same = true;
    for (let offset = 0; offset < key.length && same; offset++) {
      same = bytes[start + offset] === key.charCodeAt(offset);
    }
    if (same) {
      return index;
    }
  }
  return -1;
}

function digitsBetween(bytes: Uint8Array, begin: number, end: number): number {
  if (end <= begin) {
    return -1;
  }
  let value = 0;
  for (let index = begin; index < end; index++) {
    const byte = bytes[index];
    if (byte < ZERO || byte > NINE) {
      return -1;
    }
    value = value * 10 + (byte - ZERO);
  }
  if (end - begin > EXACT_DIGITS) {
    let text = '';
    for (let index = begin; index < end; index++) {
      text += String.fromCharCode(bytes[index]);
    }
    return Number(text);
  }
  return value;
}
