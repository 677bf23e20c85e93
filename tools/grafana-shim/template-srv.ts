/**
 * Grafana's template service for Node: replaces `$var`, `${var}`, `${var:format}` and `[[var]]` from a fixed map of
 * dashboard variables (scoped variables win). Multi-value variables use Grafana's formats: `csv`, `pipe`, `regex`,
 * `raw`, `json`, `glob` (the default for multiple values).
 */
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::([\w]+))?\}|\[\[(\w+)(?::(\w+))?\]\]/g;

export class MapTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: Record<string, string | string[]> = {}) {}

  getVariables(): TypedVariableModel[] {
    return Object.entries(this.variables).map(
      ([name, value]) =>
        ({ name, type: 'custom', current: { value, text: value }, options: [] }) as unknown as TypedVariableModel
    );
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, plain, braced, bracedFormat, bracket, bracketFormat) => {
      const name: string = plain ?? braced ?? bracket;
      const scoped = scopedVars?.[name]?.value;
      const value = scoped !== undefined ? scoped : this.variables[name];
      if (value === undefined) {
        return match;
      }
      const chosen = bracedFormat ?? bracketFormat ?? format;
      if (typeof chosen === 'function') {
        return String(chosen(value));
      }
      return formatValue(value as string | string[], chosen);
    });
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE.lastIndex = 0;
    const found = [...target.matchAll(VARIABLE)].some((match) => (match[1] ?? match[2] ?? match[4]) in this.variables);
    return found;
  }

  updateTimeRange(_timeRange: TimeRange): void {}
}

function formatValue(value: string | string[], format: string | undefined): string {
  if (!Array.isArray(value)) {
    return format === 'regex' ? escapeRegex(value) : String(value);
  }
  switch (format) {
    case 'csv':
    case 'raw':
      return value.join(',');
    case 'pipe':
      return value.join('|');
    case 'regex':
      return value.length === 1 ? escapeRegex(value[0]) : `(${value.map(escapeRegex).join('|')})`;
    case 'json':
      return JSON.stringify(value);
    default:
      return value.length === 1 ? value[0] : `{${value.join(',')}}`;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$*+?.()|[\]{}\/]/g, '\\$&');
}
