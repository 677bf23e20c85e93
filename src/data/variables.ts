import { MetricFindValue } from '@grafana/data';

import { Notice, variableValues } from '../core';
import { HeadroomVariableQuery } from '../types';
import { listPods } from './cluster-snapshot';
import { interpolateVariableQuery } from './interpolate';
import { KubeClient } from './kube-client';

const KINDS = new Set<HeadroomVariableQuery['kind']>(['namespace', 'node', 'pod', 'container']);

/**
 * Values of a template variable (namespace, node, pod or container), read from the pod list so a variable only offers
 * what a query can show. A pod list that cannot be read is an error, so Grafana shows why the variable is empty.
 */
export async function findVariableValues(client: KubeClient, query: HeadroomVariableQuery): Promise<MetricFindValue[]> {
  if (!query || !KINDS.has(query.kind)) {
    throw new Error(`unknown variable kind "${String(query?.kind)}"; use namespace, node, pod or container`);
  }
  const { namespace, labelSelector } = interpolateVariableQuery(query);

  const notices: Notice[] = [];
  const listed = await listPods(client, { namespace, labelSelector }, notices);
  if (!listed) {
    throw new Error(notices.map((n) => n.text).join('; ') || 'the pod list could not be read');
  }
  return variableValues(query.kind, listed.pods).map((text) => ({ text, value: text }));
}
