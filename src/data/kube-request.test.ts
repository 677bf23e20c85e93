import { FakeKubeApi } from './fake-kube-api';
import { kubeRequest } from './kube-request';
import { KubeRequestError } from './kube-request-error';

let mockApi = new FakeKubeApi();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockApi.backendSrv,
}));

const base = '/api/datasources/proxy/uid/headroom';

async function failure(path: string, what: string, timeoutMs = 2000): Promise<KubeRequestError> {
  try {
    await kubeRequest({ url: `${base}/${path}`, what, timeoutMs });
  } catch (error) {
    if (error instanceof KubeRequestError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected ${path} to fail`);
}

beforeEach(() => {
  mockApi = new FakeKubeApi(base);
});

describe('kubeRequest', () => {
  it('returns the parsed JSON body of a successful request', async () => {
    mockApi.on('k8s/version', { body: { major: '1', minor: '29', gitVersion: 'v1.29.4' } });

    const version = await kubeRequest<{ gitVersion: string }>({
      url: `${base}/k8s/version`,
      what: 'the API server version',
      timeoutMs: 2000,
    });

    expect(version.gitVersion).toBe('v1.29.4');
  });

  it('parses a JSON body that arrives as text', async () => {
    mockApi.on('k8s/api/v1/nodes', { body: '{"kind":"NodeList","items":[]}' });

    const nodes = await kubeRequest<{ kind: string }>({
      url: `${base}/k8s/api/v1/nodes`,
      what: 'the node list',
      timeoutMs: 2000,
    });

    expect(nodes.kind).toBe('NodeList');
  });

  it('an HTML 502 page from a load balancer is named as HTML and its title is quoted', async () => {
    mockApi.on('k8s/api/v1/nodes/n1/proxy/stats/summary', {
      status: 502,
      body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>',
    });

    const error = await failure('k8s/api/v1/nodes/n1/proxy/stats/summary', 'node "n1" stats');

    expect(error.kind).toBe('server');
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      'node "n1" stats answered with an HTML page (HTTP 502), titled "502 Bad Gateway"; a proxy or load balancer in front of it may be failing'
    );
  });

  it('an HTML error page that Grafana wrapped as { error, response, message } is still named as HTML', async () => {
    const page = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    mockApi.on('k8s/api/v1/nodes/n1/proxy/stats/summary', {
      status: 502,
      body: { error: 'Bad Gateway', response: page, message: page },
    });

    const error = await failure('k8s/api/v1/nodes/n1/proxy/stats/summary', 'node "n1" stats');

    expect(error.kind).toBe('server');
    expect(error.message).toBe(
      'node "n1" stats answered with an HTML page (HTTP 502), titled "502 Bad Gateway"; a proxy or load balancer in front of it may be failing'
    );
  });

  it("a token the API server rejects reaches the plugin as Grafana's 400 and is still named a token problem", async () => {
    mockApi.on('k8s/api/v1/pods', { status: 400, body: { message: 'Authentication to data source failed' } });

    const error = await failure('k8s/api/v1/pods', 'the pod list');

    expect(error.kind).toBe('unauthorized');
    expect(error.message).toContain('rejected the token');
  });

  it('an HTML page with status 200 (a login form) is not mistaken for data', async () => {
    mockApi.on('k8s/api/v1/pods', {
      body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>',
    });

    const error = await failure('k8s/api/v1/pods', 'the pod list');

    expect(error.kind).toBe('not-json');
    expect(error.message).toBe(
      'the pod list answered with an HTML page (HTTP 200), titled "Sign in"; a proxy or load balancer in front of it may be failing'
    );
  });

  it('a text body without a title is quoted from its first bytes', async () => {
    mockApi.on('k8s/api/v1/pods', { body: 'upstream connect error or disconnect/reset before headers' });

    const error = await failure('k8s/api/v1/pods', 'the pod list');

    expect(error.message).toBe(
      'the pod list answered with text that is not JSON (HTTP 200), starting "upstream connect error or disconnect/reset before headers"; a proxy or load balancer in front of it may be failing'
    );
  });

  it('401 says the token is invalid or expired', async () => {
    mockApi.on('k8s/api/v1/pods', {
      status: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      },
    });

    const error = await failure('k8s/api/v1/pods', 'the pod list');

    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe(
      'the pod list: the API server rejected the token (401 Unauthorized); the service account token in the data source settings is missing, invalid or expired'
    );
  });

  it('403 names the RBAC verb and resource that are missing, from the Status body', async () => {
    mockApi.on('k8s/api/v1/nodes/minikube/proxy/stats/summary', {
      status: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'nodes "minikube" is forbidden: User "system:serviceaccount:monitoring:grafana" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
        reason: 'Forbidden',
        details: { name: 'minikube', kind: 'nodes' },
        code: 403,
      },
    });

    const error = await failure('k8s/api/v1/nodes/minikube/proxy/stats/summary', 'node "minikube" stats');

    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe(
      'node "minikube" stats: permission missing (403 Forbidden): RBAC does not allow "get" on "nodes/proxy" at the cluster scope for system:serviceaccount:monitoring:grafana'
    );
  });

  it("403 from the kubelet's own authorizer names the subresource", async () => {
    mockApi.on('kubelet/stats/summary', {
      status: 403,
      body: 'Forbidden (user=system:serviceaccount:monitoring:grafana, verb=get, resource=nodes, subresource=stats)',
    });

    const error = await failure('kubelet/stats/summary', 'the kubelet summary');

    expect(error.message).toBe(
      'the kubelet summary: permission missing (403 Forbidden): RBAC does not allow "get" on "nodes/stats" for system:serviceaccount:monitoring:grafana'
    );
  });

  it('403 in a namespace says which namespace', async () => {
    mockApi.on('k8s/api/v1/namespaces/shop/pods', {
      status: 403,
      body: {
        kind: 'Status',
        message:
          'pods is forbidden: User "system:serviceaccount:monitoring:grafana" cannot list resource "pods" in API group "" in the namespace "shop"',
        reason: 'Forbidden',
        code: 403,
      },
    });

    const error = await failure('k8s/api/v1/namespaces/shop/pods', 'the pod list');

    expect(error.message).toBe(
      'the pod list: permission missing (403 Forbidden): RBAC does not allow "list" on "pods" in the namespace "shop" for system:serviceaccount:monitoring:grafana'
    );
  });

  it('404 keeps the Status message', async () => {
    mockApi.on('k8s/api/v1/nodes/gone/proxy/stats/summary', {
      status: 404,
      body: { kind: 'Status', message: 'nodes "gone" not found', reason: 'NotFound', code: 404 },
    });

    const error = await failure('k8s/api/v1/nodes/gone/proxy/stats/summary', 'node "gone" stats');

    expect(error.kind).toBe('not-found');
    expect(error.message).toBe('node "gone" stats: not found (404): nodes "gone" not found');
  });

  it('500 is a server error with its message', async () => {
    mockApi.on('k8s/api/v1/pods', {
      status: 500,
      body: { kind: 'Status', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 },
    });

    const error = await failure('k8s/api/v1/pods', 'the pod list');

    expect(error.kind).toBe('server');
    expect(error.message).toBe('the pod list: server error (HTTP 500): etcdserver: request timed out');
  });

  it('a request that never answers times out with the configured time in the message', async () => {
    mockApi.on('k8s/api/v1/nodes/slow/proxy/stats/summary', 'never');

    const error = await failure('k8s/api/v1/nodes/slow/proxy/stats/summary', 'node "slow" stats', 30);

    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('node "slow" stats: no answer within 30 ms');
  });

  it('a network error says the request failed before an answer came', async () => {
    mockApi.on('k8s/version', { networkError: 'Failed to fetch' });

    const error = await failure('k8s/version', 'the API server version');

    expect(error.kind).toBe('network');
    expect(error.message).toBe('the API server version: the request failed before an answer came (Failed to fetch)');
  });

  it('sends POST bodies through the proxy', async () => {
    mockApi.on('k8s/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', (request) => ({
      body: {
        status: {
          allowed:
            (request.data as { spec: { resourceAttributes: { subresource: string } } }).spec.resourceAttributes
              .subresource === 'stats',
        },
      },
    }));

    const answer = await kubeRequest<{ status: { allowed: boolean } }>({
      url: `${base}/k8s/apis/authorization.k8s.io/v1/selfsubjectaccessreviews`,
      what: 'the access review',
      method: 'POST',
      data: { spec: { resourceAttributes: { verb: 'get', resource: 'nodes', subresource: 'stats' } } },
      timeoutMs: 2000,
    });

    expect(answer.status.allowed).toBe(true);
    expect(mockApi.requests[0].method).toBe('POST');
  });
});
