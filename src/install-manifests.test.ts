/**
 * The `yaml` package's browser build is an ES module; read it through its Node entry instead.
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace: string }>;
  type?: string;
}

const repo = resolve(__dirname, '..');

function manifests(file: string): Manifest[] {
  const text = readFileSync(resolve(repo, 'deploy', 'rbac', file), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJS() as Manifest);
}

/** Every permission a ClusterRole grants, one `verb group/resource` line each (`core` for the core group), sorted. */
function permissions(file: string): string[] {
  const role = manifests(file).find((manifest) => manifest.kind === 'ClusterRole');
  if (!role?.rules) {
    throw new Error(`${file} has no ClusterRole with rules`);
  }
  return role.rules
    .flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${verb} ${group || 'core'}/${resource}`))
      )
    )
    .sort();
}

describe('RBAC for the API server proxy path', () => {
  it('grants get/list on pods and nodes, get on nodes/proxy and pods/proxy, and access reviews, nothing more', () => {
    expect(permissions('apiserver-proxy.yaml')).toEqual([
      'create authorization.k8s.io/selfsubjectaccessreviews',
      'get core/nodes',
      'get core/nodes/proxy',
      'get core/pods',
      'get core/pods/proxy',
      'list core/nodes',
      'list core/pods',
    ]);
  });
});

describe('RBAC for direct kubelet access', () => {
  it('replaces nodes/proxy with nodes/stats and grants nothing else beyond the shared reads', () => {
    expect(permissions('kubelet-direct.yaml')).toEqual([
      'create authorization.k8s.io/selfsubjectaccessreviews',
      'get core/nodes',
      'get core/nodes/stats',
      'get core/pods',
      'get core/pods/proxy',
      'list core/nodes',
      'list core/pods',
    ]);
  });
});

describe.each(['apiserver-proxy.yaml', 'kubelet-direct.yaml'])('%s', (file) => {
  it('binds its ClusterRole to the headroom-grafana service account, whose token Secret it declares', () => {
    const all = manifests(file);
    const byKind = (kind: string) => all.filter((manifest) => manifest.kind === kind);

    const [account] = byKind('ServiceAccount');
    const [role] = byKind('ClusterRole');
    const [binding] = byKind('ClusterRoleBinding');
    const [secret] = byKind('Secret');

    expect(all.map((manifest) => manifest.kind)).toEqual([
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Secret',
    ]);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'headroom-grafana', namespace: 'headroom' }]);
    expect(account.metadata).toMatchObject({ name: 'headroom-grafana', namespace: 'headroom' });
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(secret.metadata.namespace).toBe('headroom');
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'headroom-grafana' });
  });

  it('grants no wildcard and no write verb except the access review every user may create', () => {
    const risky = permissions(file).filter(
      (permission) =>
        permission.includes('*') ||
        (/^(create|update|patch|delete|deletecollection|watch|escalate|bind|impersonate) /.test(permission) &&
          permission !== 'create authorization.k8s.io/selfsubjectaccessreviews')
    );

    expect(risky).toEqual([]);
  });
});

describe('provisioned data sources', () => {
  const provisioning = parse(readFileSync(resolve(repo, 'provisioning', 'datasources', 'datasources.yml'), 'utf8'));
  const pluginId = JSON.parse(readFileSync(resolve(__dirname, 'plugin.json'), 'utf8')).id;
  const byUid = (uid: string) => provisioning.datasources.find((source: { uid: string }) => source.uid === uid);

  it('provisions Headroom, of this plugin, reading the replay server at http://replay:8001', () => {
    expect(byUid('headroom')).toMatchObject({
      type: pluginId,
      access: 'proxy',
      jsonData: { apiServerUrl: 'http://replay:8001', nodeStatsPath: 'apiserver' },
    });
  });

  it('keeps the Headroom token in secureJsonData, out of jsonData', () => {
    const headroom = byUid('headroom');

    expect(Object.keys(headroom.secureJsonData)).toEqual(['token']);
    expect(JSON.stringify(headroom.jsonData)).not.toContain(headroom.secureJsonData.token);
  });

  it('provisions Prometheus at http://prometheus:9090 with uid "prometheus" for the sidecar metrics', () => {
    expect(byUid('prometheus')).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090', access: 'proxy' });
  });
});
