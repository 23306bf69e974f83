/**
 * The node agent's Prometheus registry (`GET /metrics` on the agent's port), with the kubelet's
 * metric names: running pods and containers (read from the runtime at scrape time, as the kubelet
 * reads its runtime cache), pod start latency, runtime operations, `kubelet_node_name` and the
 * Node.js process metrics. One registry per agent, never prom-client's global one: in
 * `minato server` the agent shares its process with the API server.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ContainerRuntime, ContainerStatus } from '../../runtime/container-runtime.ts';
import { instrumentRuntime } from './runtime-metrics.ts';

/** Upstream's kubelet_pod_start_duration_seconds buckets (seconds). */
export const POD_START_BUCKETS = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600];
const CONTAINER_STATES = ['created', 'running', 'exited', 'unknown'] as const;

/** A scrape's answer. */
export interface Exposition {
  contentType: string;
  body: string;
}

/** What the agent records into its registry. */
export interface KubeletMetrics {
  registry: Registry;
  /** A pod reached Running `seconds` after this agent first saw it. */
  podStarted(seconds: number): void;
  /** `runtime` with every call counted and timed (kubelet_runtime_operations_*). */
  instrumentRuntime(runtime: ContainerRuntime): ContainerRuntime;
  expose(): Promise<Exposition>;
}

/** prom-client's gauges named `*_total`, a suffix Prometheus reserves for counters (promtool flags them). */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** Node.js process metrics (process_cpu_seconds_total, process_resident_memory_bytes, nodejs_*). */
function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
}

/** Running pods: those with at least one running container, as the kubelet counts pods with a running sandbox. */
export function countRunning(containers: ContainerStatus[]): { pods: number; byState: Record<string, number> } {
  const byState: Record<string, number> = Object.fromEntries(CONTAINER_STATES.map((s) => [s, 0]));
  const pods = new Set<string>();
  for (const c of containers) {
    byState[c.state] = (byState[c.state] ?? 0) + 1;
    if (c.state === 'running') pods.add(c.podUid);
  }
  return { pods: pods.size, byState };
}

/** Creates the agent's registry. `containers` lists what the runtime runs (not counted as a runtime operation). */
export function createKubeletMetrics(d: { nodeName: string; containers: () => Promise<ContainerStatus[]> }): KubeletMetrics {
  const registry = new Registry();
  const registers = [registry];
  registerProcessMetrics(registry);
  new Gauge({ name: 'kubelet_node_name', help: "The node's name. The count is always 1.", labelNames: ['node'], registers }).set({ node: d.nodeName }, 1);
  const runningContainers = new Gauge({ name: 'kubelet_running_containers', help: 'Number of containers currently running', labelNames: ['container_state'], registers });
  const runningPods = new Gauge({ name: 'kubelet_running_pods', help: 'Number of pods that have a running pod sandbox', registers });
  // Both gauges come from one runtime listing, taken when a scrape asks (expose), not on a timer.
  const refresh = async () => {
    const counts = countRunning(await d.containers());
    runningPods.set(counts.pods);
    for (const [container_state, n] of Object.entries(counts.byState)) runningContainers.set({ container_state }, n);
  };
  const podStart = new Histogram({ name: 'kubelet_pod_start_duration_seconds', help: 'Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run', buckets: POD_START_BUCKETS, registers });
  return {
    registry,
    podStarted: (seconds) => podStart.observe(seconds),
    instrumentRuntime: (runtime) => instrumentRuntime(runtime, registry),
    async expose() {
      await refresh();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
