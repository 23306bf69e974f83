/**
 * Creates and starts one container instance of a pod: image (per pull policy, with pull secrets),
 * environment, argv, rootfs, mounts, user, limits. Failures come back as a waiting reason, as the
 * kubelet reports them, instead of exceptions.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerSpec, ContainerStatus } from '../runtime/container-runtime.ts';
import type { VolumeOnHost } from '../volumes/pod-volumes.ts';
import { containerMounts, containerResources, containerUser } from './container-spec.ts';
import { resolveImageUser } from '../images/image-user.ts';
import { containerArgv, containerEnv, EnvConfigError } from './env.ts';
import { ImagePullError, type PullPolicy, type RegistryAuth } from './image-service.ts';
import { authsForImage, registryAuths } from './pull-secrets.ts';
import { containerHash, containerInstanceId, LABELS, type WorkerContext } from './worker-context.ts';

/** The sandbox a container joins. */
export interface PodSandbox {
  netnsPath: string;
  podIP?: string;
  volumes: Map<string, VolumeOnHost>;
  files: { hosts?: string; resolvConf?: string };
}

export type StartResult =
  | { ok: true; status: ContainerStatus; imageId: string; pulled: boolean }
  | { ok: false; reason: string; message: string; pullFailure?: boolean };

/** imagePullPolicy with Kubernetes' default (Always for :latest or no tag, else IfNotPresent). */
export function pullPolicyOf(c: Container): PullPolicy {
  if (c.imagePullPolicy === 'Always' || c.imagePullPolicy === 'Never' || c.imagePullPolicy === 'IfNotPresent') return c.imagePullPolicy;
  const image = c.image ?? '';
  const last = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  return !last.includes(':') || last.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

async function pullAuths(ctx: WorkerContext, pod: Pod, image: string): Promise<RegistryAuth[]> {
  const ns = pod.metadata?.namespace ?? 'default';
  const all: RegistryAuth[] = [];
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    const s = ref.name ? await ctx.objects.secret(ns, ref.name) : undefined;
    if (s) all.push(...registryAuths(s));
  }
  return authsForImage(image, all);
}

/** Starts attempt number `attempt` of container `c`. */
export async function startContainer(ctx: WorkerContext, pod: Pod, c: Container, init: boolean, attempt: number, sandbox: PodSandbox): Promise<StartResult> {
  const uid = pod.metadata?.uid ?? '';
  const image = c.image ?? '';
  let img;
  try {
    img = await ctx.images.ensureImage(image, pullPolicyOf(c), await pullAuths(ctx, pod, image));
  } catch (e) {
    const reason = e instanceof ImagePullError ? e.reason : 'ErrImagePull';
    return { ok: false, reason, message: (e as Error).message, pullFailure: true };
  }
  let env: Record<string, string>;
  try {
    env = await containerEnv(pod, c, { objects: ctx.objects, node: ctx.node, podIP: sandbox.podIP, imageEnv: img.config.env });
  } catch (e) {
    if (e instanceof EnvConfigError) return { ok: false, reason: 'CreateContainerConfigError', message: e.message };
    throw e;
  }
  const id = containerInstanceId(uid, c.name, attempt);
  const spec: ContainerSpec = {
    id,
    podUid: uid,
    podNamespace: pod.metadata?.namespace ?? 'default',
    podName: pod.metadata?.name ?? '',
    containerName: c.name,
    rootfs: '',
    command: containerArgv(c, img.config, env),
    env,
    workingDir: c.workingDir || img.config.workingDir,
    user: containerUser(pod, c, img.config.user),
    readOnlyRootFilesystem: c.securityContext?.readOnlyRootFilesystem === true,
    capabilities: c.securityContext?.capabilities,
    privileged: c.securityContext?.privileged === true,
    mounts: containerMounts(pod, c, sandbox.volumes, sandbox.files),
    networkNamespacePath: sandbox.netnsPath,
    hostname: pod.spec?.hostNetwork ? undefined : (pod.spec?.hostname ?? pod.metadata?.name),
    resources: containerResources(c),
    stdin: c.stdin === true,
    stdinOnce: c.stdinOnce === true,
    tty: c.tty === true,
    labels: {
      [LABELS.podUid]: uid,
      [LABELS.container]: c.name,
      [LABELS.attempt]: String(attempt),
      [LABELS.init]: String(init),
      [LABELS.imageId]: img.imageId,
      [LABELS.specHash]: containerHash(c),
    },
  };
  if (spec.command.length === 0) return { ok: false, reason: 'CreateContainerConfigError', message: `no command specified for container ${c.name}` };
  try {
    spec.rootfs = await ctx.images.prepareRootfs(id, image);
    if (img.config.user) {
      // A named USER (e.g. `app`) means the image's own /etc/passwd, as runtimes resolve it; the runtime takes numbers.
      const resolved = await resolveImageUser(spec.rootfs, img.config.user).catch((e: Error) => e);
      if (resolved instanceof Error) {
        await ctx.images.releaseRootfs(id).catch(() => undefined);
        return { ok: false, reason: 'CreateContainerConfigError', message: `unable to find user ${img.config.user}: ${resolved.message}` };
      }
      spec.user = containerUser(pod, c, `${resolved.uid}:${resolved.gid}`, resolved.additionalGids);
    }
    await ctx.runtime.createContainer(spec);
    await ctx.runtime.startContainer(id);
    return { ok: true, status: await ctx.runtime.containerStatus(id), imageId: img.imageId, pulled: img.pulled };
  } catch (e) {
    await ctx.runtime.removeContainer(id).catch(() => undefined);
    await ctx.images.releaseRootfs(id).catch(() => undefined);
    return { ok: false, reason: 'CreateContainerError', message: (e as Error).message };
  }
}
