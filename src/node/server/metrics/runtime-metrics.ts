/**
 * `kubelet_runtime_operations_total`, `kubelet_runtime_operations_errors_total` and
 * `kubelet_runtime_operations_duration_seconds` by `operation_type`, named after the CRI calls
 * the kubelet makes (`create_container`, `start_container`, `list_containers`, …).
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ContainerRuntime } from '../../runtime/container-runtime.ts';

/** Upstream's buckets: exponential from 5 ms, factor 2.5, 14 buckets (up to ~3 min). */
export const RUNTIME_DURATION_BUCKETS = Array.from({ length: 14 }, (_, i) => 0.005 * 2.5 ** i);

/** Wraps `runtime` so each call is counted and timed on `registry`. */
export function instrumentRuntime(runtime: ContainerRuntime, registry: Registry): ContainerRuntime {
  const registers = [registry];
  const labelNames = ['operation_type'];
  const total = new Counter({ name: 'kubelet_runtime_operations_total', help: 'Cumulative number of runtime operations by operation type.', labelNames, registers });
  const errors = new Counter({ name: 'kubelet_runtime_operations_errors_total', help: 'Cumulative number of runtime operation errors by operation type.', labelNames, registers });
  const duration = new Histogram({ name: 'kubelet_runtime_operations_duration_seconds', help: 'Duration in seconds of runtime operations. Broken down by operation type.', labelNames, buckets: RUNTIME_DURATION_BUCKETS, registers });
  const timed = async <T>(operation_type: string, fn: () => Promise<T>): Promise<T> => {
    total.inc({ operation_type });
    const end = duration.startTimer({ operation_type });
    try {
      return await fn();
    } catch (err) {
      errors.inc({ operation_type });
      throw err;
    } finally {
      end();
    }
  };
  return {
    createContainer: (spec) => timed('create_container', () => runtime.createContainer(spec)),
    startContainer: (id) => timed('start_container', () => runtime.startContainer(id)),
    stopContainer: (id, grace) => timed('stop_container', () => runtime.stopContainer(id, grace)),
    removeContainer: (id) => timed('remove_container', () => runtime.removeContainer(id)),
    containerStatus: (id) => timed('container_status', () => runtime.containerStatus(id)),
    listContainers: () => timed('list_containers', () => runtime.listContainers()),
    exec: (id, command, options) => timed('exec_sync', () => runtime.exec(id, command, options)),
    stats: (id) => timed('container_stats', () => runtime.stats(id)),
    logPath: (id) => runtime.logPath(id),
  };
}
