import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { ProvisionRequest, VolumeProvisioner } from './volume-provisioner.ts';

/** The provisioner name StorageClasses use for directory-backed volumes. */
export const DIRECTORY_PROVISIONER = 'minato.io/local-directory';

export interface DirectoryProvisionerConfig {
  /** Directory under which each volume gets its own subdirectory. */
  root: string;
  /** Provisioner name (default {@link DIRECTORY_PROVISIONER}). */
  name?: string;
  /** Node the directories live on when the claim names none (single-node clusters). */
  nodeName?: string;
}

/**
 * Provisions volumes as directories under a root on one node: a `local` PersistentVolume pinned to
 * that node by node affinity (a `hostPath` one when no node is known). Deleting removes the
 * directory, and only ever inside the root.
 */
export class DirectoryProvisioner implements VolumeProvisioner {
  readonly name: string;
  private readonly root: string;

  constructor(private readonly cfg: DirectoryProvisionerConfig) {
    this.name = cfg.name ?? DIRECTORY_PROVISIONER;
    this.root = resolve(cfg.root);
  }

  async provision(claim: PersistentVolumeClaim, _storageClass: StorageClass, req: ProvisionRequest): Promise<PersistentVolumeSpec> {
    const path = join(this.root, req.pvName);
    await mkdir(path, { recursive: true, mode: 0o777 });
    const node = req.selectedNode ?? this.cfg.nodeName;
    const base: PersistentVolumeSpec = {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
    };
    if (!node) return { ...base, hostPath: { path, type: 'DirectoryOrCreate' } };
    return {
      ...base,
      local: { path },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
    };
  }

  async delete(pv: PersistentVolume): Promise<void> {
    const path = pv.spec?.local?.path ?? pv.spec?.hostPath?.path;
    if (!path) return;
    const rel = relative(this.root, resolve(path));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`refusing to delete ${path}: outside ${this.root}`);
    await rm(resolve(path), { recursive: true, force: true });
  }
}
