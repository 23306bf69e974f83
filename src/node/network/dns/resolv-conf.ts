/** The DNS part of a pod spec that shapes its resolv.conf (`spec.dnsConfig`). */
export interface PodDnsConfig {
  nameservers?: string[];
  searches?: string[];
  options?: Array<{ name: string; value?: string }>;
}

/** Input of {@link resolvConf}. */
export interface ResolvConfInput {
  namespace: string;
  /** The cluster DNS address(es). */
  nameservers: string[];
  clusterDomain?: string;
  dnsConfig?: PodDnsConfig;
}

/**
 * The /etc/resolv.conf of a pod with `dnsPolicy: ClusterFirst`: cluster DNS, the Kubernetes search
 * path (so `web` and `web.shop` resolve), `ndots:5`, and the pod's dnsConfig merged in (options by name,
 * later wins). glibc reads at most 3 nameservers and 6 search domains, so longer lists are cut.
 */
export function resolvConf(input: ResolvConfInput): string {
  const domain = input.clusterDomain ?? 'cluster.local';
  const nameservers = unique([...input.nameservers, ...(input.dnsConfig?.nameservers ?? [])]).slice(0, 3);
  const searches = unique([`${input.namespace}.svc.${domain}`, `svc.${domain}`, domain, ...(input.dnsConfig?.searches ?? [])]).slice(0, 6);
  const options = new Map<string, string | undefined>([['ndots', '5']]);
  for (const o of input.dnsConfig?.options ?? []) options.set(o.name, o.value);
  const optionText = [...options].map(([k, v]) => (v === undefined ? k : `${k}:${v}`));
  return [...nameservers.map((n) => `nameserver ${n}`), `search ${searches.join(' ')}`, `options ${optionText.join(' ')}`, ''].join('\n');
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
