/**
 * How the API server reaches a node agent: over TLS to the node's InternalIP and
 * `status.daemonEndpoints.kubeletEndpoint.Port`, authenticating with a client certificate from the
 * cluster PKI, and trusting agent serving certificates signed by the cluster CA (host names are
 * not checked: agents are addressed by IP and their certificates are issued per node).
 */
import type { IncomingMessage } from 'node:http';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { Agent as HttpsAgent, request } from 'node:https';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ApiContext } from '../api-context.ts';
import { badRequest, StatusError } from '../status-error.ts';

export interface AgentCredentials {
  cert: string;
  key: string;
  ca: string;
}

export interface AgentEndpoint {
  host: string;
  port: number;
}

/** The API server's connection to node agents. */
export interface KubeletClient {
  /** Address of a node's agent; 400 when the node has no usable address. */
  endpoint(nodeName: string): Promise<AgentEndpoint>;
  /** A GET to the node's agent; the response streams. */
  get(nodeName: string, pathAndQuery: string, signal?: AbortSignal): Promise<IncomingMessage>;
  /** A raw TLS connection to the node's agent, for replaying upgrade requests. */
  connect(nodeName: string): Promise<TLSSocket>;
  /** The keep-alive HTTPS agent presenting the API server's client certificate, for any request to an agent. */
  httpsAgent(): Promise<HttpsAgent>;
}

const DEFAULT_AGENT_PORT = 10250;

interface NodeStatus {
  addresses?: Array<{ type?: string; address?: string }>;
  daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
}

/** Reads an agent endpoint from a Node object. */
export function agentEndpointOf(node: KubeObject): AgentEndpoint | undefined {
  const status = (node.status ?? {}) as NodeStatus;
  const addresses = status.addresses ?? [];
  const address = addresses.find((a) => a.type === 'InternalIP')?.address ?? addresses.find((a) => a.type === 'Hostname')?.address;
  if (!address) return undefined;
  return { host: address, port: status.daemonEndpoints?.kubeletEndpoint?.Port || DEFAULT_AGENT_PORT };
}

export function createKubeletClient(d: { ctx: ApiContext; credentials: () => Promise<AgentCredentials> }): KubeletClient {
  let agent: HttpsAgent | undefined;
  const tlsOptions = async () => {
    const c = await d.credentials();
    return { cert: c.cert, key: c.key, ca: c.ca, checkServerIdentity: () => undefined };
  };
  const endpoint = async (nodeName: string): Promise<AgentEndpoint> => {
    const nodes = d.ctx.catalog().find('', 'v1', 'nodes') as ResourceDefinition;
    const node = await d.ctx.objects.tryGet(nodes, undefined, nodeName);
    if (!node) throw new StatusError(404, 'NotFound', `nodes "${nodeName}" not found`, { name: nodeName, kind: 'nodes' });
    const ep = agentEndpointOf(node);
    if (!ep) throw badRequest(`node ${nodeName} has no address to reach its agent`);
    return ep;
  };
  const httpsAgent = async (): Promise<HttpsAgent> => (agent ??= new HttpsAgent({ ...(await tlsOptions()), keepAlive: true }));
  return {
    endpoint,
    httpsAgent,
    async get(nodeName, pathAndQuery, signal) {
      const ep = await endpoint(nodeName);
      const agent = await httpsAgent();
      return new Promise((resolve, reject) => {
        const req = request({ host: ep.host, port: ep.port, path: pathAndQuery, method: 'GET', agent, signal }, resolve);
        req.once('error', (err) => reject(agentUnreachable(nodeName, err)));
        req.end();
      });
    },
    async connect(nodeName) {
      const ep = await endpoint(nodeName);
      const opts = await tlsOptions();
      return new Promise((resolve, reject) => {
        const socket = tlsConnect({ host: ep.host, port: ep.port, ...opts, ALPNProtocols: ['http/1.1'] }, () => resolve(socket));
        socket.once('error', (err) => reject(agentUnreachable(nodeName, err)));
      });
    },
  };
}

function agentUnreachable(nodeName: string, err: Error): StatusError {
  return new StatusError(502, 'InternalError', `error dialing the agent of node ${nodeName}: ${err.message}`);
}
