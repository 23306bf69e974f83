import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import { parse } from 'yaml';

/** Where and as whom a client talks to an API server. */
export interface Connection {
  server: string;
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }>;
}

/** Reads the current context of a kubeconfig file (inline `*-data` credentials, as Minato writes them). */
export async function connectionFromKubeconfig(path: string): Promise<Connection> {
  const kc = parse(await readFile(path, 'utf8')) as KubeconfigFile;
  const contextName = kc['current-context'] ?? kc.contexts?.[0]?.name;
  const context = kc.contexts?.find((c) => c.name === contextName)?.context;
  const cluster = kc.clusters?.find((c) => c.name === context?.cluster)?.cluster ?? kc.clusters?.[0]?.cluster;
  const user = kc.users?.find((u) => u.name === context?.user)?.user ?? kc.users?.[0]?.user;
  if (!cluster) throw new Error(`${path}: no cluster`);
  const b64 = (s?: string) => (s ? Buffer.from(s, 'base64') : undefined);
  return { server: cluster.server, ca: b64(cluster['certificate-authority-data']) ?? Buffer.alloc(0), cert: b64(user?.['client-certificate-data']), key: b64(user?.['client-key-data']), token: user?.token };
}

export function agentFor(conn: Connection, maxSockets = 64): Agent {
  return new Agent({ keepAlive: true, maxSockets, ca: conn.ca, cert: conn.cert, key: conn.key });
}
