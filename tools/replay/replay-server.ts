/**
 * A stand-in for a Kubernetes API server, replaying kubelet summaries: the paths the Headroom data source uses
 * (`/version`, node and pod lists with selectors, the node proxy to `/stats/summary`, access reviews, the pod proxy to
 * sidecars), with an optional bearer token and per-node faults, and optionally live pods whose stats and sidecar are real
 * (see `live-pod.ts`). Run it alone for demos:
 * `npx tsx tools/replay/replay-server.ts --summaries DIR [--port 8001] [--token T] [--fault NODE=FAULT]`.
 */
// Known gap: the direct kubelet route (`kubelet/stats/summary`, nodes/stats) is not served; it reaches one kubelet
// per data source, which a multi-node replay cannot stand in for without one port per node.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

import { internalIp, NodeObject, nodeObject, PodObject, podObjects } from './cluster-objects';
import { faultAnswer, NodeFault, parseFaultAssignment } from './faults';
import { LivePod, livePodObject, summaryWithLivePods } from './live-pod';
import { ReplayLog, stderrLog } from './replay-log';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { ReplayNode } from './summary-document';
import { loadSummaryDirectory } from './summary-files';
import { synthesizeCluster } from './synthesize';

export interface ReplayServerOptions {
  nodes: ReplayNode[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** When set, every request needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
  /** Node name to the way its summary fails. */
  faults?: Record<string, NodeFault>;
  /** With the `slow` fault, answer after this long instead of never. */
  slowMs?: number;
  /** Access the service account lacks, as `verb resource[/subresource]`, e.g. `get nodes/proxy`. */
  deniedAccess?: string[];
  /** Where the pod proxy (`/api/v1/namespaces/NS/pods/NAME:PORT/proxy/...`) forwards: a sidecar's base URL. */
  sidecarUrl?: string;
  /** Annotations put on every pod, e.g. the sidecar port annotation. */
  podAnnotations?: Record<string, string>;
  /** Pods backed by running containers, each on one of `nodes`; their summary entries are read when asked for. */
  livePods?: LivePod[];
  log?: ReplayLog;
}

export interface ReplayServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Changes (or with null, clears) a node's fault while running. */
  setFault(node: string, fault: NodeFault | null): void;
  /** Names of the nodes whose summary was asked for, in order. */
  summaryRequests: string[];
  close(): Promise<void>;
}

const SERVICE_ACCOUNT = 'system:serviceaccount:monitoring:headroom';
const POD_FIELDS = ['spec.nodeName', 'metadata.name', 'metadata.namespace', 'status.phase'] as const;
const NODE_FIELDS = ['metadata.name'] as const;

/** Starts the replay server and resolves once it listens. */
export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const log = options.log ?? stderrLog();
  const faults = new Map(Object.entries(options.faults ?? {}));
  const denied = new Set((options.deniedAccess ?? []).map((entry) => entry.trim().replace(/\s+/g, ' ')));
  const summaryRequests: string[] = [];

  const nodesByName = new Map<string, ReplayNode>();
  const nodeObjects: NodeObject[] = [];
  const pods: PodObject[] = [];
  options.nodes.forEach((node, index) => {
    nodesByName.set(node.name, node);
    nodeObjects.push(nodeObject(node, index));
    pods.push(...podObjects(node, index, options.podAnnotations));
  });

  const livePods = options.livePods ?? [];
  for (const live of livePods) {
    const index = options.nodes.findIndex((node) => node.name === live.node);
    if (index < 0) {
      throw new Error(`live pod ${live.namespace}/${live.name} runs on node "${live.node}", which the replay lacks`);
    }
    pods.push(livePodObject(live, internalIp(index)));
  }

  const held = new Set<ServerResponse>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://replay.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    }

    const forbidden = (verb: string, resource: string, name: string | null, namespace: string | null) => {
      if (!denied.has(`${verb} ${resource}`)) {
        return false;
      }
      const [kind] = resource.split('/');
      const subject = name ? `${kind} "${name}"` : kind;
      const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      const message = `${subject} is forbidden: User "${SERVICE_ACCOUNT}" cannot ${verb} resource "${resource}" in API group "" ${where}`;
      sendStatus(res, 403, 'Forbidden', message);
      return true;
    };

    if (path === '/version' && method === 'GET') {
      return sendJson(res, 200, {
        major: '1',
        minor: '29',
        gitVersion: 'v1.29.0-replay',
        platform: 'linux/amd64',
        goVersion: 'go1.21.5',
      });
    }

    if (path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' && method === 'POST') {
      return accessReview(await readBody(req), denied, res);
    }

    if (path === '/api/v1/nodes' && method === 'GET') {
      if (forbidden('list', 'nodes', null, null)) {
        return;
      }
      return listOrFail(res, 'NodeList', nodeObjects, url, NODE_FIELDS, (node) => ({
        'metadata.name': node.metadata.name,
      }));
    }

    if (path === '/api/v1/namespaces' && method === 'GET') {
      if (forbidden('list', 'namespaces', null, null)) {
        return;
      }
      const names = [...new Set(pods.map((pod) => pod.metadata.namespace ?? 'default'))].sort();
      const items = names.map((name) => ({
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        status: { phase: 'Active' },
      }));
      return sendJson(res, 200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    }

    const podList = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods$/.exec(path);
    if (podList && method === 'GET') {
      const namespace = podList[1] ? decodeURIComponent(podList[1]) : null;
      if (forbidden('list', 'pods', null, namespace)) {
        return;
      }
      const scoped = namespace === null ? pods : pods.filter((pod) => pod.metadata.namespace === namespace);
      return listOrFail(res, 'PodList', scoped, url, POD_FIELDS, (pod) => ({
        'spec.nodeName': pod.spec.nodeName,
        'metadata.name': pod.metadata.name,
        'metadata.namespace': pod.metadata.namespace ?? '',
        'status.phase': pod.status.phase,
      }));
    }

    const summary = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/stats\/summary$/.exec(path);
    if (summary && method === 'GET') {
      const name = decodeURIComponent(summary[1]);
      if (forbidden('get', 'nodes/proxy', name, null)) {
        return;
      }
      summaryRequests.push(name);
      return nodeSummary(name, res);
    }

    const node = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path);
    if (node && method === 'GET') {
      const name = decodeURIComponent(node[1]);
      const found = nodeObjects.find((candidate) => candidate.metadata.name === name);
      return found ? sendJson(res, 200, found) : sendStatus(res, 404, 'NotFound', `nodes "${name}" not found`);
    }

    const podProxy = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/:]+)(?::(\d+))?\/proxy(\/.*)?$/.exec(path);
    if (podProxy) {
      const [, namespace, name, port, rest] = podProxy.map((part) => (part ? decodeURIComponent(part) : part));
      if (forbidden(method === 'GET' ? 'get' : 'create', 'pods/proxy', name, namespace)) {
        return;
      }
      return proxyToSidecar(req, res, namespace, name, port ?? null, `${rest ?? '/'}${url.search}`);
    }

    const pod = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
    if (pod && method === 'GET') {
      const [namespace, name] = [decodeURIComponent(pod[1]), decodeURIComponent(pod[2])];
      const found = pods.find(
        (candidate) => candidate.metadata.namespace === namespace && candidate.metadata.name === name
      );
      return found ? sendJson(res, 200, found) : sendStatus(res, 404, 'NotFound', `pods "${name}" not found`);
    }

    return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  };

  const nodeSummary = (name: string, res: ServerResponse) => {
    const node = nodesByName.get(name);
    if (!node) {
      return sendStatus(res, 404, 'NotFound', `nodes "${name}" not found`);
    }
    const fault = faults.get(name);
    if (fault) {
      const answer = faultAnswer(fault, name);
      if (answer) {
        return send(res, answer.status, answer.contentType, answer.body);
      }
      held.add(res);
      res.on('close', () => held.delete(res));
      if (options.slowMs !== undefined) {
        setTimeout(() => {
          held.delete(res);
          if (!res.destroyed) {
            send(res, 200, 'application/json', summaryBody(node));
          }
        }, options.slowMs).unref();
      }
      return;
    }
    return send(res, 200, 'application/json', summaryBody(node));
  };

  /** The file's own text, unless live pods run on the node: then their entries are read now and added. */
  const summaryBody = (node: ReplayNode): string => {
    const live = livePods.filter((pod) => pod.node === node.name);
    return live.length === 0 ? node.body() : summaryWithLivePods(node.summary, live, Date.now());
  };

  const proxyToSidecar = async (
    req: IncomingMessage,
    res: ServerResponse,
    namespace: string,
    name: string,
    port: string | null,
    rest: string
  ) => {
    const pod = pods.find(
      (candidate) => candidate.metadata.namespace === namespace && candidate.metadata.name === name
    );
    if (!pod) {
      return sendStatus(res, 404, 'NotFound', `pods "${name}" not found`);
    }
    const where = `${pod.status.hostIP}:${port ?? '80'}`;
    const live = livePods.find((candidate) => candidate.namespace === namespace && candidate.name === name);
    // A live pod's sidecar listens on its own port only; replayed pods all reach the one configured sidecar.
    const listens = live && live.sidecarPort !== null && port === String(live.sidecarPort);
    const target = live ? (listens ? live.sidecarUrl : null) : options.sidecarUrl;
    if (!target) {
      return sendStatus(
        res,
        503,
        'ServiceUnavailable',
        `error trying to reach service: dial tcp ${where}: connect: connection refused`
      );
    }
    try {
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      const answer = await fetch(`${target.replace(/\/+$/, '')}${rest}`, {
        method: req.method,
        headers: { accept: req.headers.accept ?? 'application/json' },
        body,
      });
      send(res, answer.status, answer.headers.get('content-type') ?? 'application/json', await answer.text());
    } catch (error) {
      sendStatus(res, 503, 'ServiceUnavailable', `error trying to reach service: ${(error as Error).message}`);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      log.error('replay request failed', { url: req.url, error: error.message });
      if (!res.headersSent) {
        sendStatus(res, 500, 'InternalError', error.message);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log.info('replay server listening', { url, nodes: options.nodes.length, pods: pods.length });

  return {
    url,
    port: address.port,
    summaryRequests,
    setFault(nodeName, fault) {
      if (fault) {
        faults.set(nodeName, fault);
      } else {
        faults.delete(nodeName);
      }
    },
    close() {
      held.forEach((res) => res.destroy());
      held.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listOrFail<T>(
  res: ServerResponse,
  kind: string,
  items: T[],
  url: URL,
  supportedFields: readonly string[],
  fieldsOf: (item: T) => Record<string, string>
) {
  try {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector') ?? '', supportedFields);
    const selected = items.filter(
      (item) =>
        matchesLabels(labels, (item as { metadata: { labels: Record<string, string> } }).metadata.labels) &&
        matchesFields(fields, fieldsOf(item))
    );
    sendJson(res, 200, { kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: selected });
  } catch (error) {
    if (error instanceof SelectorError) {
      return sendStatus(res, 400, 'BadRequest', error.message);
    }
    throw error;
  }
}

function accessReview(body: string, denied: Set<string>, res: ServerResponse) {
  let review: { spec?: { resourceAttributes?: Record<string, string> } };
  try {
    review = JSON.parse(body);
  } catch {
    return sendStatus(res, 400, 'BadRequest', 'the request body is not a SelfSubjectAccessReview');
  }
  const attributes = review.spec?.resourceAttributes;
  if (!attributes?.verb || !attributes.resource) {
    return sendStatus(res, 400, 'BadRequest', 'spec.resourceAttributes needs a verb and a resource');
  }
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const allowed = !denied.has(`${attributes.verb} ${resource}`);
  sendJson(res, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: review.spec,
    status: allowed ? { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "headroom"` } : { allowed: false },
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1024 * 1024) {
        reject(new Error('request body larger than 1 MiB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: string) {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  send(res, status, 'application/json', JSON.stringify(value));
}

/** A Kubernetes `Status` failure, as the API server sends it. */
function sendStatus(res: ServerResponse, code: number, reason: string, message: string) {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

async function main(argv: string[]): Promise<void> {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const all = (flag: string) =>
    argv.flatMap((arg, index) => (arg === flag && argv[index + 1] ? [argv[index + 1]] : []));
  const log = stderrLog();

  let nodes: ReplayNode[];
  const dir = value('--summaries');
  const synthesize = value('--synthesize');
  if (dir) {
    const loaded = loadSummaryDirectory(dir);
    loaded.warnings.forEach((warning) => log.warn(warning));
    nodes = loaded.nodes;
  } else if (synthesize) {
    nodes = synthesizeCluster({ nodes: Number(synthesize), seed: Number(value('--seed') ?? 1) });
  } else {
    throw new Error(
      'usage: replay-server --summaries DIR | --synthesize NODES [--seed N] [--port P] [--token T] [--fault NODE=FAULT] [--sidecar URL] [--deny "get nodes/proxy"]'
    );
  }

  const server = await startReplayServer({
    nodes,
    port: Number(value('--port') ?? 0),
    token: value('--token'),
    faults: Object.fromEntries(all('--fault').map(parseFaultAssignment)),
    deniedAccess: all('--deny'),
    sidecarUrl: value('--sidecar'),
    log,
  });
  process.stdout.write(`${server.url}\n`);
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`replay-server: ${error.message}\n`);
    process.exit(1);
  });
}
