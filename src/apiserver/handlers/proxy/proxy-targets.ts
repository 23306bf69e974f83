/**
 * Where a proxy request goes, resolved from the cluster's objects as upstream's `ResourceLocation`
 * functions do: a node's agent (its address and kubelet port from the Node), a pod's IP, or one
 * ready address of a Service's Endpoints.
 */
import type { ResourceDefinition } from '../../../api/resource-definition.ts';
import type { KubeObject } from '../../../api/types.ts';
import type { ApiContext } from '../../api-context.ts';
import type { KubeletClient } from '../../kubelet/kubelet-client.ts';
import { badRequest, serviceUnavailable } from '../../status-error.ts';
import { isProxyableIp, parseProxyId, type ProxiedResource, type ProxyId } from './proxy-address.ts';

/** One HTTP(S) destination. */
export interface ProxyTarget {
  scheme: 'http' | 'https';
  host: string;
  /** undefined: the scheme's default port. */
  port?: number;
  /** Set when the target is the node agent's API: requests present the API server's client certificate. */
  kubeletNode?: string;
}

export interface TargetDeps {
  ctx: ApiContext;
  kubelet: KubeletClient;
  /** Picks an index below `n`; random in production, fixed in tests. */
  pick?: (n: number) => number;
}

/** Resolves `name` (`[scheme:]name[:port]`) of a proxied resource to its destination; throws a StatusError. */
export async function resolveProxyTarget(d: TargetDeps, resource: ProxiedResource, namespace: string | undefined, name: string): Promise<ProxyTarget> {
  const kind = resource.slice(0, -1);
  const id = parseProxyId(name);
  if (!id) throw badRequest(`invalid ${kind} request "${name}"`);
  if (resource === 'nodes') return nodeTarget(d, id);
  if (resource === 'pods') return podTarget(d.ctx, namespace ?? '', id);
  return serviceTarget(d, namespace ?? '', id, name);
}

function core(ctx: ApiContext, plural: string): ResourceDefinition {
  return ctx.catalog().find('', 'v1', plural) as ResourceDefinition;
}

function portNumber(text: string): number | undefined {
  const n = Number(text);
  return /^\d+$/.test(text) && n > 0 && n < 65536 ? n : undefined;
}

function unknownPort(port: string): never {
  throw serviceUnavailable(`error trying to reach service: unknown port "${port}"`);
}

/**
 * The agent's own port (none asked, or the one the Node advertises) goes over TLS with the API
 * server's client certificate; any other port on the node is a plain connection to the node's
 * address, which must then be a proxyable one.
 */
async function nodeTarget(d: TargetDeps, id: ProxyId): Promise<ProxyTarget> {
  const ep = await d.kubelet.endpoint(id.name);
  if (id.port === '' || portNumber(id.port) === ep.port) return { scheme: 'https', host: ep.host, port: ep.port, kubeletNode: id.name };
  const port = portNumber(id.port) ?? unknownPort(id.port);
  if (!isProxyableIp(ep.host)) throw badRequest('address not allowed');
  return { scheme: id.scheme || 'http', host: ep.host, port };
}

interface PodShape {
  spec?: { containers?: Array<{ ports?: Array<{ name?: string; containerPort?: number }> }> };
  status?: { podIP?: string; podIPs?: Array<{ ip?: string }> };
}

function podIpOf(pod: PodShape): string {
  return pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '';
}

/** A port number, a container port's name, or (none given) the first declared container port. */
function podPort(pod: PodShape, port: string): number | undefined {
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  if (port === '') return ports[0]?.containerPort;
  return portNumber(port) ?? ports.find((p) => p.name === port)?.containerPort ?? unknownPort(port);
}

async function podTarget(ctx: ApiContext, namespace: string, id: ProxyId): Promise<ProxyTarget> {
  const pod = (await ctx.objects.get(core(ctx, 'pods'), namespace, id.name)) as KubeObject & PodShape;
  const port = podPort(pod, id.port);
  const ip = podIpOf(pod);
  if (!isProxyableIp(ip)) throw badRequest('address not allowed');
  return { scheme: id.scheme || 'http', host: ip, port };
}

interface ServiceShape {
  spec?: { ports?: Array<{ name?: string; port?: number }> };
}

interface EndpointAddress {
  ip?: string;
  targetRef?: { kind?: string; namespace?: string; name?: string };
}

interface EndpointsShape {
  subsets?: Array<{ addresses?: EndpointAddress[]; ports?: Array<{ name?: string; port?: number }> }>;
}

/** The Service port's name a request means: a number is looked up among the Service's ports. */
function servicePortName(svc: ServiceShape, id: ProxyId): string {
  const asNumber = portNumber(id.port);
  if (asNumber === undefined) return id.port;
  const found = (svc.spec?.ports ?? []).find((p) => p.port === asNumber);
  if (!found) throw serviceUnavailable(`no service port ${asNumber} found for service "${id.name}"`);
  return found.name ?? '';
}

/**
 * A ready address of the Service whose pod still has that IP (the Endpoints may lag behind a pod
 * that was replaced), starting at a random subset and address as upstream spreads the load.
 */
async function serviceTarget(d: TargetDeps, namespace: string, id: ProxyId, requested: string): Promise<ProxyTarget> {
  const pick = d.pick ?? ((n: number) => Math.floor(Math.random() * n));
  const svc = (await d.ctx.objects.get(core(d.ctx, 'services'), namespace, id.name)) as KubeObject & ServiceShape;
  const portName = servicePortName(svc, id);
  const endpoints = (await d.ctx.objects.get(core(d.ctx, 'endpoints'), namespace, id.name)) as KubeObject & EndpointsShape;
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${id.name}"`);
  const firstSubset = pick(subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const subset = subsets[(firstSubset + i) % subsets.length];
    const addresses = subset?.addresses ?? [];
    const port = (subset?.ports ?? []).find((p) => (p.name ?? '') === portName)?.port;
    if (addresses.length === 0 || port === undefined) continue;
    const firstAddress = pick(addresses.length);
    for (let j = 0; j < addresses.length; j++) {
      const address = addresses[(firstAddress + j) % addresses.length] as EndpointAddress;
      if (await isLiveAddress(d.ctx, namespace, address)) return { scheme: id.scheme || 'http', host: address.ip as string, port };
    }
  }
  throw serviceUnavailable(`no endpoints available for service "${requested}"`);
}

async function isLiveAddress(ctx: ApiContext, namespace: string, address: EndpointAddress): Promise<boolean> {
  const ref = address.targetRef;
  if (!address.ip || !isProxyableIp(address.ip) || ref?.kind !== 'Pod' || ref.namespace !== namespace || !ref.name) return false;
  const pod = (await ctx.objects.tryGet(core(ctx, 'pods'), namespace, ref.name)) as (KubeObject & PodShape) | undefined;
  if (!pod) return false;
  const ips = [...(pod.status?.podIPs ?? []).map((p) => p.ip), pod.status?.podIP];
  return ips.includes(address.ip);
}
