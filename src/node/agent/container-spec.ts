/**
 * Turns one Kubernetes container into the runtime's ContainerSpec: user and capabilities from the
 * security contexts, cgroup limits from requests/limits (as the kubelet computes them on cgroup
 * v1), and bind mounts from volumeMounts (with subPath).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { join, normalize } from 'node:path';
import { milliValue, parseQuantity, quantityToNumber } from '../../api/quantity.ts';
import type { MountSpec, ResourceSpec } from '../runtime/container-runtime.ts';
import type { VolumeOnHost } from '../volumes/pod-volumes.ts';
import { serviceAccountMount } from '../volumes/service-account-volume.ts';

const MIN_SHARES = 2;
const CPU_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1000;

/** cgroup settings for a container: shares from the cpu request, quota from the cpu limit, memory limit. */
export function containerResources(c: Container): ResourceSpec {
  const out: ResourceSpec = {};
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuRequest = req.cpu ?? lim.cpu; // a limit without a request defaults the request to it
  out.cpuShares = cpuRequest === undefined ? MIN_SHARES : Math.max(MIN_SHARES, Math.floor((milliValue(parseQuantity(cpuRequest)) * 1024) / 1000));
  if (lim.cpu !== undefined) {
    out.cpuQuotaUs = Math.max(MIN_QUOTA_US, Math.floor((milliValue(parseQuantity(lim.cpu)) * CPU_PERIOD_US) / 1000));
    out.cpuPeriodUs = CPU_PERIOD_US;
  }
  if (lim.memory !== undefined) out.memoryLimitBytes = Math.floor(quantityToNumber(parseQuantity(lim.memory)));
  return out;
}

/** uid/gid from the container's securityContext, else the pod's, else the image's `User`. */
export function containerUser(pod: Pod, c: Container, imageUser?: string, imageGroups: number[] = []): { uid: number; gid: number; additionalGids?: number[] } | undefined {
  const psc = pod.spec?.securityContext;
  const csc = c.securityContext;
  const [imgUid, imgGid] = (imageUser ?? '').split(':').map((s) => (/^\d+$/.test(s) ? Number(s) : undefined));
  const runAs = csc?.runAsUser ?? psc?.runAsUser;
  const uid = runAs ?? imgUid;
  const gid = csc?.runAsGroup ?? psc?.runAsGroup ?? imgGid ?? (uid !== undefined ? 0 : undefined);
  // The image user's groups from /etc/group belong to that user only, not to a runAsUser override.
  const fromImage = runAs === undefined ? imageGroups : [];
  const extra = [...new Set([...fromImage, ...(psc?.supplementalGroups ?? []), ...(psc?.fsGroup !== undefined ? [psc.fsGroup] : [])])];
  if (uid === undefined && extra.length === 0) return undefined;
  return { uid: uid ?? 0, gid: gid ?? 0, ...(extra.length ? { additionalGids: extra } : {}) };
}

/** Rejects subPaths that would escape the volume. */
function subPathOf(base: string, subPath: string): string {
  const rel = normalize(subPath);
  if (rel.startsWith('..') || rel.startsWith('/')) throw new Error(`subPath ${subPath} escapes the volume`);
  return join(base, rel);
}

/** Bind mounts of the container's volumeMounts, the default service-account mount, and pod files. */
export function containerMounts(
  pod: Pod,
  c: Container,
  volumes: Map<string, VolumeOnHost>,
  podFiles: { hosts?: string; resolvConf?: string },
): MountSpec[] {
  const mounts: MountSpec[] = [];
  const wanted = [...(c.volumeMounts ?? [])];
  const sa = serviceAccountMount(pod);
  if (sa) wanted.push(sa);
  for (const m of wanted) {
    const v = volumes.get(m.name);
    if (!v) throw new Error(`volume ${m.name} of mount ${m.mountPath} is not set up`);
    const hostPath = m.subPath ? subPathOf(v.hostPath, m.subPath) : v.hostPath;
    mounts.push({ containerPath: m.mountPath, hostPath, type: 'bind', readOnly: m.readOnly === true || v.readOnly });
  }
  const taken = new Set(mounts.map((m) => m.containerPath));
  if (podFiles.hosts && !taken.has('/etc/hosts')) mounts.push({ containerPath: '/etc/hosts', hostPath: podFiles.hosts, type: 'bind' });
  if (podFiles.resolvConf && !taken.has('/etc/resolv.conf')) mounts.push({ containerPath: '/etc/resolv.conf', hostPath: podFiles.resolvConf, type: 'bind', readOnly: true });
  return mounts;
}

/** The pod's /etc/hosts, as the kubelet writes it for pods not on the host network. */
export function hostsFile(pod: Pod, podIP: string | undefined): string {
  const lines = ['# Kubernetes-managed hosts file.', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  const hostname = pod.spec?.hostname ?? pod.metadata?.name ?? '';
  if (podIP) {
    const fqdn = pod.spec?.subdomain ? `${hostname}.${pod.spec.subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.cluster.local\t` : '';
    lines.push(`${podIP}\t${fqdn}${hostname}`);
  }
  for (const h of pod.spec?.hostAliases ?? []) lines.push(`${h.ip ?? ''}\t${(h.hostnames ?? []).join('\t')}`);
  return `${lines.join('\n')}\n`;
}
