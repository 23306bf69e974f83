/** What every pod worker of one agent shares: the node's runtime, images, network, volumes and API access. */
import type { Container } from 'kubernetes-types/core/v1.js';
import { createHash } from 'node:crypto';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { PodNetwork } from '../network/cni/pod-network.ts';
import type { ContainerRuntime, ContainerStatus } from '../runtime/container-runtime.ts';
import type { NodeFacts } from '../volumes/downward.ts';
import type { PodObjectSource } from '../volumes/object-source.ts';
import type { PodVolumes } from '../volumes/pod-volumes.ts';
import type { ServiceAccountTokens } from '../volumes/service-account-token.ts';
import type { CrashBackoff } from './backoff.ts';
import type { PodImageService } from './image-service.ts';
import type { PodEvents } from './pod-events.ts';
import type { StartGate } from './start-gate.ts';

/** Structured log: a constant message plus key/values (errors under `err`). */
export type AgentLog = (msg: string, fields?: Record<string, unknown>) => void;

/** Labels the agent puts on every container so a restarted agent can adopt it. */
export const LABELS = {
  podUid: 'minato.io/pod-uid',
  container: 'minato.io/container-name',
  attempt: 'minato.io/restart-count',
  init: 'minato.io/init-container',
  imageId: 'minato.io/image-id',
  specHash: 'minato.io/container-hash',
} as const;

/** Shared by all pod workers of one agent. */
export interface WorkerContext {
  client: KubeClient;
  runtime: ContainerRuntime;
  images: PodImageService;
  network: PodNetwork;
  volumes: PodVolumes;
  tokens: ServiceAccountTokens;
  objects: PodObjectSource;
  clock: Clock;
  log: AgentLog;
  events: PodEvents;
  backoff: CrashBackoff;
  node: NodeFacts & { hostIP: string };
  /** Where the agent remembers each pod's network (netns path and IP) across restarts. */
  stateDir: string;
  /** Cluster DNS servers written into pods' resolv.conf (none: the image's own file stays). */
  clusterDns?: string[];
  clusterDomain?: string;
  /** How often a worker looks at its containers (exit detection); default 1000 ms. */
  syncPeriodMs: number;
  /** How often ConfigMap/Secret/token volumes are refreshed; default 10 s. */
  volumeRefreshMs: number;
  /** Bounds how many pods are being started at once (first come, first served). */
  startGate: StartGate;
  /** A pod first reported Running `seconds` after its worker started (kubelet_pod_start_duration_seconds). */
  podStarted?(seconds: number): void;
}

/**
 * Runtime id of one container instance: readable, short enough for conmon's socket paths, and
 * unique per pod uid, container name and attempt.
 */
export function containerInstanceId(podUid: string, name: string, attempt: number): string {
  const h = createHash('sha256').update(`${podUid}/${name}`).digest('hex').slice(0, 12);
  const safe = name.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 24);
  return `${safe}-${h}-${attempt}`;
}

/** A digest of a container's spec: when it changes (e.g. a new image), the container is replaced, as the kubelet does. */
export function containerHash(c: Container): string {
  return createHash('sha256').update(stableJson(c)).digest('hex').slice(0, 16);
}

/** JSON with sorted keys, so the hash does not depend on how the server ordered fields. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The attempt number (restart count) of an instance, from its labels. */
export function attemptOf(c: ContainerStatus): number {
  return Number(c.labels[LABELS.attempt] ?? 0);
}

export function isInit(c: ContainerStatus): boolean {
  return c.labels[LABELS.init] === 'true';
}
