import { request } from 'node:https';
import type { ServiceAccount } from './service-account';

/** The largest pod list the sidecar reads (a node's pods are a few megabytes at most). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** GETs `path` from the API server with the service account's token and CA, and parses the JSON body. */
export function getFromApiServer(account: ServiceAccount, path: string, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, account.serverUrl),
      {
        method: 'GET',
        ca: account.ca,
        headers: { Authorization: `Bearer ${account.token()}`, Accept: 'application/json' },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(new Error(`the API server's answer is larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) {
            reject(new Error(`the API server answered ${response.statusCode}: ${body.slice(0, 200)}`));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new Error('the API server answered with something that is not JSON'));
          }
        });
        response.on('error', reject);
      }
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from the API server within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
