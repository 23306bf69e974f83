import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
}

export interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }>;
  /** Sends a body as is, with the given content type. */
  raw(method: string, path: string, body: string | undefined, contentType: string): Promise<{ status: number; body: string }>;
  /** Opens a watch and calls `onLine` per event line; resolves to a function that closes it. */
  watch(path: string, onLine: (line: string) => void): Promise<() => void>;
  close(): void;
}

/** A lean HTTPS client with keep-alive and the admin client certificate, so the benchmark measures the server. */
export function apiClient(kubeconfigPath: string, maxSockets: number): ApiClient {
  const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const cluster = kc.clusters[0]!.cluster;
  const user = kc.users[0]!.user;
  const url = new URL(cluster.server);
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const agent = new Agent({ keepAlive: true, maxSockets, ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']) });
  const base = { host: url.hostname, port: Number(url.port), agent };
  const raw = (method: string, path: string, payload: string | undefined, contentType: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ ...base, method, path, headers: payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {} }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  return {
    raw,
    call(method, path, body) {
      return raw(method, path, body === undefined ? undefined : JSON.stringify(body), method === 'PATCH' ? 'application/json-patch+json' : 'application/json');
    },
    watch(path, onLine) {
      return new Promise((resolve, reject) => {
        const req = request({ ...base, method: 'GET', path, agent: new Agent({ ca: agent.options.ca, cert: agent.options.cert, key: agent.options.key }) }, (res) => {
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buffer += c;
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              onLine(buffer.slice(0, nl));
              buffer = buffer.slice(nl + 1);
            }
          });
          resolve(() => req.destroy());
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
