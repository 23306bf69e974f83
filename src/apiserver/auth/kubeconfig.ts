import { stringify } from 'yaml';

export interface KubeconfigUser {
  /** PEM client certificate (written as `client-certificate-data`). */
  clientCert?: string;
  clientKey?: string;
  token?: string;
}

export interface KubeconfigInput {
  /** `https://127.0.0.1:6443` */
  server: string;
  caPem: string;
  user: KubeconfigUser;
  clusterName?: string;
  /** Also used as the user entry's name. */
  contextName?: string;
  namespace?: string;
}

/**
 * Renders a single-cluster kubeconfig (YAML, credentials inline as base64 `*-data` fields) that kubectl and
 * @kubernetes/client-node load as is.
 */
export function renderKubeconfig(input: KubeconfigInput): string {
  const clusterName = input.clusterName ?? 'minato';
  const contextName = input.contextName ?? clusterName;
  const context: Record<string, string> = { cluster: clusterName, user: contextName };
  if (input.namespace) context.namespace = input.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server: input.server, 'certificate-authority-data': base64(input.caPem) } }],
    users: [{ name: contextName, user: userEntry(input.user) }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
    preferences: {},
  });
}

function userEntry(user: KubeconfigUser): Record<string, string> {
  const entry: Record<string, string> = {};
  if (user.clientCert) entry['client-certificate-data'] = base64(user.clientCert);
  if (user.clientKey) entry['client-key-data'] = base64(user.clientKey);
  if (user.token) entry.token = user.token;
  return entry;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
