import { ScopedVars } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { HeadroomQuery, HeadroomVariableQuery } from '../types';

/** The query's scope after template variables are replaced. Empty means "any". */
export interface InterpolatedScope {
  namespace: string;
  labelSelector: string;
  pod: string;
  container: string;
  node: string;
}

// What Grafana's "All" option may expand to when no custom all value fits a Kubernetes name.
const ANY = new Set(['', '*', '.*', '$__all', 'All']);

/**
 * Replaces template variables in the query's namespace, label selector, pod, container and node. A multi-value
 * variable becomes a comma-separated list (`app in (${app})` works in a label selector); "All" means any.
 */
export function interpolateScope(query: Partial<HeadroomQuery>, scopedVars: ScopedVars = {}): InterpolatedScope {
  const replace = (value: string | undefined) => {
    const replaced = getTemplateSrv()
      .replace(value ?? '', scopedVars, 'csv')
      .trim();
    return ANY.has(replaced) ? '' : replaced;
  };
  return {
    namespace: replace(query.namespace),
    labelSelector: replace(query.labelSelector),
    pod: replace(query.pod),
    container: replace(query.container),
    node: replace(query.node),
  };
}

/** Same for a variable query's namespace and label selector. */
export function interpolateVariableQuery(query: HeadroomVariableQuery): HeadroomVariableQuery {
  const scope = interpolateScope({ namespace: query.namespace, labelSelector: query.labelSelector });
  return { ...query, namespace: scope.namespace, labelSelector: scope.labelSelector };
}

/** Names that hold several values after interpolation (`a,b`); a single Kubernetes name never has a comma. */
export function isMultiValue(name: string): boolean {
  return name.includes(',');
}
