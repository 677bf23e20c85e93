/**
 * Kubernetes label and field selectors as the API server reads them from `labelSelector` and `fieldSelector`.
 * Label selectors support `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists) and `!k` (does not exist).
 */

export type LabelRequirement =
  | { key: string; op: 'in'; values: string[] }
  | { key: string; op: 'notin'; values: string[] }
  | { key: string; op: 'exists' }
  | { key: string; op: 'doesnotexist' };

/** A selector the API server would refuse, with its message. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Parses a label selector; an empty selector matches everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTopLevel(selector)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseRequirement);
}

/** Whether a set of labels satisfies every requirement. */
export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string>): boolean {
  return requirements.every((requirement) => {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    switch (requirement.op) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && requirement.values.includes(labels[requirement.key]);
      case 'notin':
        return !has || !requirement.values.includes(labels[requirement.key]);
    }
  });
}

export interface FieldRequirement {
  field: string;
  equals: boolean;
  value: string;
}

/** Parses a field selector (`spec.nodeName=n1,metadata.name!=x`) against the fields a list supports. */
export function parseFieldSelector(selector: string, supported: readonly string[]): FieldRequirement[] {
  return selector
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!match) {
        throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
      }
      const [, field, op, value] = match;
      if (!supported.includes(field)) {
        throw new SelectorError(`field label not supported: ${field}`);
      }
      return { field, equals: op !== '!=', value };
    });
}

/** Whether an object's field values satisfy every field requirement. */
export function matchesFields(requirements: FieldRequirement[], fields: Record<string, string>): boolean {
  return requirements.every((requirement) => (fields[requirement.field] === requirement.value) === requirement.equals);
}

function parseRequirement(text: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const [, key, op, list] = setMatch;
    const values = list
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    checkKey(key);
    values.forEach(checkValue);
    if (values.length === 0) {
      throw new SelectorError(`unable to parse requirement: for '${op}' operator, values set can't be empty`);
    }
    return { key, op: op as 'in' | 'notin', values };
  }

  const compareMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (compareMatch) {
    const [, key, op, value] = compareMatch;
    checkKey(key);
    checkValue(value.trim());
    return { key, op: op === '!=' ? 'notin' : 'in', values: [value.trim()] };
  }

  if (text.startsWith('!')) {
    const key = text.slice(1).trim();
    checkKey(key);
    return { key, op: 'doesnotexist' };
  }
  checkKey(text);
  return { key: text, op: 'exists' };
}

function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new SelectorError(`unable to parse requirement: invalid label key "${key}"`);
  }
}

function checkValue(value: string): void {
  if (value.length > 63 || !VALUE.test(value)) {
    throw new SelectorError(`unable to parse requirement: invalid label value: "${value}"`);
  }
}

/** Splits at commas that are not inside a `(...)` value set. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth = Math.max(0, depth - 1);
    }
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}
