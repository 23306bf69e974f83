/**
 * `GET /metrics/cadvisor`: per-container CPU and memory in cAdvisor's metric names and labels
 * (`container`, `pod`, `namespace`, `id` = the container's cgroup, `image`, `name` = the runtime's
 * container id, as cAdvisor reports containerd containers), read from the same cgroup counters that
 * feed `/stats/summary`. Built fresh per scrape, so containers that are gone leave no series.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { ContainerRuntime, ContainerStats, ContainerStatus } from '../../runtime/container-runtime.ts';

/** Where the cAdvisor view reads from. */
export interface CadvisorSource {
  runtime: Pick<ContainerRuntime, 'listContainers' | 'stats'>;
  /** The image the pod spec names for a container (cAdvisor's `image`), if the pod is known. */
  imageOf(namespace: string, pod: string, container: string): string | undefined;
  /** The container's cgroup path (cAdvisor's `id`). */
  cgroupOf(c: ContainerStatus): string;
}

const LABELS = ['container', 'pod', 'namespace', 'id', 'image', 'name'] as const;

/** Renders one scrape of the running containers' usage. Containers whose stats cannot be read (just exited) are left out. */
export async function renderCadvisor(src: CadvisorSource): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const registers = [registry];
  const cpu = new Counter({ name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', labelNames: LABELS, registers });
  const workingSet = new Gauge({ name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', labelNames: LABELS, registers });
  const usage = new Gauge({ name: 'container_memory_usage_bytes', help: 'Current memory usage in bytes, including all memory regardless of when it was accessed', labelNames: LABELS, registers });
  const started = new Gauge({ name: 'container_start_time_seconds', help: 'Start time of the container since unix epoch in seconds.', labelNames: LABELS, registers });
  const running = (await src.runtime.listContainers()).filter((c) => c.state === 'running');
  const read = await Promise.all(running.map(async (c) => ({ c, stats: await src.runtime.stats(c.id).catch((): ContainerStats | undefined => undefined) })));
  for (const { c, stats } of read) {
    if (!stats) continue;
    const labels = { container: c.containerName, pod: c.podName, namespace: c.podNamespace, id: src.cgroupOf(c), image: src.imageOf(c.podNamespace, c.podName, c.containerName) ?? '', name: c.id };
    cpu.inc(labels, stats.cpuUsageNanoseconds / 1e9);
    workingSet.set(labels, stats.memoryWorkingSetBytes);
    usage.set(labels, stats.memoryUsageBytes);
    const since = Date.parse(c.startedAt ?? c.createdAt);
    if (Number.isFinite(since)) started.set(labels, since / 1000);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
