import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../src/client/clock.ts';
import { R } from '../../src/client/resource-ref.ts';
import type { ControllerFactory } from '../../src/controllers/controller-context.ts';
import { runControllerManager } from '../../src/controllers/controller-manager.ts';
import { startTestCluster, type TestCluster } from './test-cluster.ts';

/** A test cluster with some controllers running against it (no leader election). */
export interface ControllerHarness extends TestCluster {
  /** Plays kubelet: sets the pod's phase (and Ready condition for Running). */
  setPodPhase(namespace: string, name: string, phase: 'Running' | 'Succeeded' | 'Failed', ready?: boolean): Promise<void>;
}

/** Starts a cluster and the given controllers; `stop` ends both. */
export async function startControllers(controllers: Record<string, ControllerFactory>, opts: { clock?: Clock } = {}): Promise<ControllerHarness> {
  const cluster = await startTestCluster({ bookmarkIntervalMs: 500 });
  const abort = new AbortController();
  const errors: string[] = [];
  const running = runControllerManager({ client: cluster.client, controllers, leaderElection: false, clock: opts.clock, log: (msg, f) => msg.includes('failed') && errors.push(`${msg} ${JSON.stringify(f)}`) }, abort.signal);
  return {
    ...cluster,
    async setPodPhase(namespace, name, phase, ready = phase === 'Running') {
      for (let attempt = 0; ; attempt++) {
        const pod = await cluster.client.get<Pod>(R.pods, namespace, name);
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
        const status = {
          ...pod.status,
          phase,
          podIP: pod.status?.podIP ?? ip,
          podIPs: [{ ip: pod.status?.podIP ?? ip }],
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
        };
        try {
          await cluster.client.updateStatus(R.pods, { ...pod, status } as never);
          return;
        } catch (err) {
          if (attempt > 5) throw err;
        }
      }
    },
    async stop() {
      abort.abort();
      await running.catch(() => undefined);
      if (process.env.MINATO_TEST_VERBOSE) for (const e of errors) console.error(e);
      await cluster.stop();
    },
  };
}

/** The retry helper under the name these tests use. */
export { eventually as until } from './eventually.ts';
