/**
 * Sets up, refreshes and tears down the volumes of one pod on the host. Every volume becomes a host
 * directory (or file) that the agent bind-mounts into containers; nothing here knows about runc.
 * Layout: `<dataDir>/pods/<uid>/volumes/<volume name>`.
 */
import type { Pod, ProjectedVolumeSource, Volume } from 'kubernetes-types/core/v1.js';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../client/clock.ts';
import { mustRun } from '../launcher/run-command.ts';
import { writeAtomically } from './atomic-writer.ts';
import type { NodeFacts } from './downward.ts';
import type { PodObjectSource } from './object-source.ts';
import { configMapFiles, DEFAULT_MODE, downwardFiles, secretFiles, type ProjectedFile } from './projection.ts';
import type { ServiceAccountTokens } from './service-account-token.ts';
import { SERVICE_ACCOUNT_VOLUME, serviceAccountProjection } from './service-account-volume.ts';
import { parseQuantity, quantityToNumber } from '../../api/quantity.ts';

/** Dependencies of {@link PodVolumes}. */
export interface PodVolumesConfig {
  dataDir: string;
  objects: PodObjectSource;
  tokens: ServiceAccountTokens;
  clock: Clock;
  node: NodeFacts;
  /** The cluster CA (PEM) written as `ca.crt` into service-account volumes. */
  caCert?: string;
}

/** Where a volume lives on the host. */
export interface VolumeOnHost {
  hostPath: string;
  /** True for configMap/secret/downwardAPI/projected volumes, which containers may only read. */
  readOnly: boolean;
}

/** Volume set-up for the pods of one agent. */
export class PodVolumes {
  constructor(private readonly config: PodVolumesConfig) {}

  podDir(uid: string): string {
    return join(this.config.dataDir, 'pods', uid);
  }

  private volumeDir(uid: string, name: string): string {
    return join(this.podDir(uid), 'volumes', name);
  }

  /** The pod's volumes plus the default service-account volume when the pod should get one. */
  volumesOf(pod: Pod): Volume[] {
    const volumes = [...(pod.spec?.volumes ?? [])];
    const sa = serviceAccountProjection(pod);
    if (sa) volumes.push({ name: SERVICE_ACCOUNT_VOLUME, projected: sa });
    return volumes;
  }

  /**
   * Makes every volume of the pod exist and hold current content; safe to call again (that is how
   * ConfigMap and Secret updates reach running pods). Returns the host location per volume name.
   */
  async setUp(pod: Pod, podIP?: string): Promise<Map<string, VolumeOnHost>> {
    const uid = pod.metadata?.uid ?? '';
    await mkdir(join(this.podDir(uid), 'volumes'), { recursive: true });
    const out = new Map<string, VolumeOnHost>();
    for (const v of this.volumesOf(pod)) out.set(v.name, await this.setUpOne(pod, v, podIP));
    return out;
  }

  private async setUpOne(pod: Pod, v: Volume, podIP?: string): Promise<VolumeOnHost> {
    const uid = pod.metadata?.uid ?? '';
    const ns = pod.metadata?.namespace ?? 'default';
    const dir = this.volumeDir(uid, v.name);
    const stamp = this.config.clock.now().toISOString();
    if (v.hostPath) return { hostPath: await ensureHostPath(v.hostPath.path, v.hostPath.type ?? ''), readOnly: false };
    if (v.emptyDir) {
      await mkdir(dir, { recursive: true, mode: 0o777 });
      if (v.emptyDir.medium === 'Memory') await mountTmpfs(dir, v.emptyDir.sizeLimit);
      return { hostPath: dir, readOnly: false };
    }
    if (v.persistentVolumeClaim) return this.claimPath(ns, v.persistentVolumeClaim.claimName, v.persistentVolumeClaim.readOnly === true);
    let files: ProjectedFile[];
    if (v.configMap) {
      files = configMapFiles(await this.config.objects.configMap(ns, v.configMap.name ?? ''), v.configMap, v.configMap.defaultMode ?? DEFAULT_MODE);
    } else if (v.secret) {
      files = secretFiles(await this.config.objects.secret(ns, v.secret.secretName ?? ''), { ...v.secret, name: v.secret.secretName }, v.secret.defaultMode ?? DEFAULT_MODE);
    } else if (v.downwardAPI) {
      files = downwardFiles(pod, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE, this.config.node, podIP);
    } else if (v.projected) {
      files = await this.projectedFiles(pod, v.projected, podIP);
    } else {
      throw new Error(`volume ${v.name}: unsupported volume type (${Object.keys(v).filter((k) => k !== 'name').join(', ')})`);
    }
    await writeAtomically(dir, files, stamp);
    return { hostPath: dir, readOnly: true };
  }

  private async projectedFiles(pod: Pod, p: ProjectedVolumeSource, podIP?: string): Promise<ProjectedFile[]> {
    const ns = pod.metadata?.namespace ?? 'default';
    const mode = p.defaultMode ?? DEFAULT_MODE;
    const files: ProjectedFile[] = [];
    for (const s of p.sources ?? []) {
      if (s.configMap) files.push(...configMapFiles(await this.config.objects.configMap(ns, s.configMap.name ?? ''), s.configMap, mode));
      if (s.secret) files.push(...secretFiles(await this.config.objects.secret(ns, s.secret.name ?? ''), s.secret, mode));
      if (s.downwardAPI) files.push(...downwardFiles(pod, s.downwardAPI.items, mode, this.config.node, podIP));
      if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        const token = await this.config.tokens.token(pod, t.audience, t.expirationSeconds ?? 3607);
        files.push({ path: t.path, content: Buffer.from(token), mode });
      }
      // The agent's own CA stands in for the kube-root-ca.crt ConfigMap when the cluster has none.
      const cm = s.configMap;
      if (cm?.name === 'kube-root-ca.crt' && !files.some((f) => f.path === 'ca.crt') && this.config.caCert) {
        files.push({ path: 'ca.crt', content: Buffer.from(this.config.caCert), mode });
      }
    }
    return files;
  }

  private async claimPath(ns: string, claimName: string, readOnly: boolean): Promise<VolumeOnHost> {
    const claim = await this.config.objects.claim(ns, claimName);
    if (!claim) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
    const pvName = claim.spec?.volumeName;
    if (!pvName || claim.status?.phase !== 'Bound') throw new Error(`persistentvolumeclaim "${claimName}" is not bound`);
    const pv = await this.config.objects.volume(pvName);
    const path = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
    if (!path) throw new Error(`persistentvolume "${pvName}" has no hostPath or local path this node can mount`);
    await mkdir(path, { recursive: true });
    return { hostPath: path, readOnly };
  }

  /** Unmounts tmpfs volumes and removes the pod's directory. Idempotent. */
  async tearDown(uid: string): Promise<void> {
    const volumes = join(this.podDir(uid), 'volumes');
    let names: string[] = [];
    try {
      names = await readdir(volumes);
    } catch {
      /* nothing set up */
    }
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    for (const name of names) {
      const dir = join(volumes, name);
      if (mounts.includes(` ${dir} `)) await mustRun('umount', [dir]);
    }
    await rm(this.podDir(uid), { recursive: true, force: true });
  }

  /** Uids of every pod that has a directory here (for orphan clean-up after a restart). */
  async knownPods(): Promise<string[]> {
    try {
      return await readdir(join(this.config.dataDir, 'pods'));
    } catch {
      return [];
    }
  }
}

async function mountTmpfs(dir: string, sizeLimit?: string): Promise<void> {
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  if (mounts.includes(` ${dir} `)) return;
  const size = sizeLimit ? `,size=${Math.ceil(quantityToNumber(parseQuantity(sizeLimit)))}` : '';
  await mustRun('mount', ['-t', 'tmpfs', '-o', `mode=0777${size}`, 'tmpfs', dir]);
}

/** Applies hostPath `type` semantics: create when asked to, otherwise require the right kind. */
async function ensureHostPath(path: string, type: string): Promise<string> {
  if (type === 'DirectoryOrCreate') await mkdir(path, { recursive: true, mode: 0o755 });
  if (type === 'FileOrCreate') {
    const exists = await stat(path).then(() => true, () => false);
    if (!exists) await writeFile(path, '', { mode: 0o644 });
  }
  if (type === 'Directory' || type === 'File') {
    const st = await stat(path).catch(() => undefined);
    if (!st || (type === 'Directory') !== st.isDirectory()) throw new Error(`hostPath ${path} is not a ${type.toLowerCase()}`);
  }
  return path;
}
