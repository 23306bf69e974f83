/**
 * Bound service-account tokens through the TokenRequest API (`serviceaccounts/<sa>/token`), cached
 * per pod and audience and renewed once 80% of their lifetime has passed, as the kubelet does.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { R } from '../../client/resource-ref.ts';

interface CachedToken {
  token: string;
  renewAt: number;
  expiresAt: number;
}

interface TokenRequestResult {
  status?: { token?: string; expirationTimestamp?: string };
}

/** Fetches and caches pod-bound tokens. One instance per agent. */
export class ServiceAccountTokens {
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly client: KubeClient, private readonly clock: Clock) {}

  /** A token for the pod's service account, bound to the pod, valid for about `expirationSeconds`. */
  async token(pod: Pod, audience: string | undefined, expirationSeconds: number): Promise<string> {
    const uid = pod.metadata?.uid ?? '';
    const key = `${uid}\0${audience ?? ''}\0${expirationSeconds}`;
    const now = this.clock.now().getTime();
    const hit = this.cache.get(key);
    if (hit && now < hit.renewAt) return hit.token;
    const sa = pod.spec?.serviceAccountName || 'default';
    const res = await this.client.createSubresource<TokenRequestResult>(R.serviceaccounts, pod.metadata?.namespace, sa, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: audience ? [audience] : [],
        expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid },
      },
    });
    const token = res.status?.token;
    if (!token) throw new Error(`TokenRequest for ${pod.metadata?.namespace ?? ''}/${sa} returned no token`);
    const expiresAt = res.status?.expirationTimestamp ? Date.parse(res.status.expirationTimestamp) : now + expirationSeconds * 1000;
    this.cache.set(key, { token, expiresAt, renewAt: now + (expiresAt - now) * 0.8 });
    return token;
  }

  /** Forgets a pod's tokens (called when the pod goes away). */
  forget(podUid: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${podUid}\0`)) this.cache.delete(key);
  }
}
