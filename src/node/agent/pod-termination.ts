/**
 * Graceful pod termination: preStop hooks, TERM then KILL after the grace period, then removal of
 * containers, rootfs, network and volumes, and finally the pod object itself (grace 0), which is
 * the kubelet's signal to the API server that the pod is really gone.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { R } from '../../client/resource-ref.ts';
import type { ContainerStatus } from '../runtime/container-runtime.ts';
import type { WorkerContext } from './worker-context.ts';

/** How long a pod whose object vanished without a graceful delete gets to stop. */
const GONE_GRACE_SECONDS = 2;

/** Seconds the pod's containers get between TERM and KILL. */
export function gracePeriodOf(pod: Pod, gone: boolean): number {
  if (gone) return GONE_GRACE_SECONDS;
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

async function runPreStop(ctx: WorkerContext, pod: Pod, st: ContainerStatus, graceSeconds: number): Promise<void> {
  const c = pod.spec?.containers?.find((x) => x.name === st.containerName);
  const command = c?.lifecycle?.preStop?.exec?.command;
  if (!command?.length || graceSeconds <= 0) return;
  await ctx.runtime.exec(st.id, command, { signal: AbortSignal.timeout(graceSeconds * 1000) }).catch(() => undefined);
}

/** Stops and removes everything of the pod on this node; deletes the pod object unless it is already gone. */
export async function terminatePod(ctx: WorkerContext, pod: Pod, instances: ContainerStatus[], gone: boolean): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  const grace = gracePeriodOf(pod, gone);
  const started = ctx.clock.now().getTime();
  const live: ContainerStatus[] = [];
  for (const c of instances) {
    const st = await ctx.runtime.containerStatus(c.id).catch(() => undefined);
    if (st && st.state !== 'exited') live.push(st);
  }
  for (const st of live) ctx.events.emit(pod, 'Normal', 'Killing', `Stopping container ${st.containerName}`, st.containerName);
  await Promise.all(live.map((st) => runPreStop(ctx, pod, st, grace)));
  const left = Math.max(0, grace - Math.floor((ctx.clock.now().getTime() - started) / 1000));
  await Promise.all(live.map((st) => ctx.runtime.stopContainer(st.id, left).catch((err: unknown) => ctx.log('stop failed', { container: st.id, err: String(err) }))));
  await removePodResources(ctx, uid, instances.map((c) => c.id));
  if (gone) return;
  try {
    await ctx.client.delete(R.pods, pod.metadata?.namespace, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
  } catch (err) {
    if (!isNotFound(err) && !isConflict(err)) throw err;
  }
  ctx.log('pod terminated', { pod: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`, uid });
}

/** Removes the pod's containers, rootfs, network and volumes. Used for orphans too. Idempotent. */
export async function removePodResources(ctx: WorkerContext, uid: string, containerIds: string[]): Promise<void> {
  for (const id of containerIds) {
    await ctx.runtime.removeContainer(id);
    await ctx.images.releaseRootfs(id);
  }
  await ctx.network.tearDown({ uid });
  await rm(join(ctx.stateDir, `${uid}.json`), { force: true });
  await ctx.volumes.tearDown(uid);
  ctx.tokens.forget(uid);
  ctx.backoff.forgetPod(uid);
  ctx.events.forget(uid);
}
