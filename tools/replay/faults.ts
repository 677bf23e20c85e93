/**
 * Ways a node's `/stats/summary` can fail through the API server's node proxy, as operators meet them:
 * - `slow`: the kubelet never answers (or only after `slowMs`), so the caller's timeout decides;
 * - `html502`: a proxy or load balancer in front answers with its own HTML error page;
 * - `status500`: the API server cannot reach the kubelet and answers with a `Status` object;
 * - `garbage`: the answer is 200 but its body is cut off mid-JSON.
 */
export const NODE_FAULTS = ['slow', 'html502', 'status500', 'garbage'] as const;
export type NodeFault = (typeof NODE_FAULTS)[number];

/** Whether a text names a known fault. */
export function isNodeFault(text: string): text is NodeFault {
  return (NODE_FAULTS as readonly string[]).includes(text);
}

/** Parses `node=fault` (the command-line form); throws with the accepted faults listed. */
export function parseFaultAssignment(text: string): [string, NodeFault] {
  const index = text.lastIndexOf('=');
  const node = text.slice(0, index).trim();
  const fault = text.slice(index + 1).trim();
  if (index <= 0 || node === '' || !isNodeFault(fault)) {
    throw new Error(`bad fault "${text}": expected NODE=FAULT with FAULT one of ${NODE_FAULTS.join(', ')}`);
  }
  return [node, fault];
}

/** The answer a failing node gives, or null for `slow` (which does not answer). */
export function faultAnswer(
  fault: NodeFault,
  nodeName: string
): { status: number; contentType: string; body: string } | null {
  switch (fault) {
    case 'slow':
      return null;
    case 'html502':
      return {
        status: 502,
        contentType: 'text/html',
        body:
          '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
          '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
      };
    case 'status500':
      return {
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `error trying to reach service: dial tcp ${nodeName}:10250: connect: connection refused`,
          reason: 'InternalError',
          code: 500,
        }),
      };
    case 'garbage':
      return {
        status: 200,
        contentType: 'application/json',
        body: `{"node":{"nodeName":"${nodeName}","systemContainers":[{"name":"kubelet","startTime":"2020-04-20T22:3\u0000\u0007`,
      };
  }
}
