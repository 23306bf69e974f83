import { isConflict } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { PodInfo } from '../cache/pod-info.ts';
import type { BindPlugin } from '../framework/bind.ts';
import type { CycleState } from '../framework/cycle-state.ts';
import type { PluginContext } from '../framework/plugin-context.ts';
import { error, success, unschedulable, type Status } from '../framework/status.ts';

/** Binds through the API: POST pods/{name}/binding with the node as target. */
export class DefaultBinder implements BindPlugin {
  readonly name = 'DefaultBinder';

  constructor(private readonly ctx: PluginContext) {}

  async bind(_state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    const meta = pod.pod.metadata;
    try {
      await this.ctx.client.createSubresource(R.pods, meta?.namespace, meta?.name ?? '', 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: meta?.name, namespace: meta?.namespace, uid: meta?.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
      return success();
    } catch (err) {
      // Already bound (by another scheduler or a retried request): nothing left to do here.
      if (isConflict(err)) return unschedulable(`binding rejected: ${(err as Error).message}`);
      return error(`binding pod: ${String(err)}`);
    }
  }
}
