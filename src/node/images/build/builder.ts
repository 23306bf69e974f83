/**
 * Builds an OCI image from a Dockerfile without Docker. The base image's rootfs is copied into a
 * plain build directory; COPY/ADD write into it, RUN executes there in a runc container (fresh,
 * empty network namespace: builds get no network). Each instruction that changes files becomes
 * one layer, the diff of the directory before and after. The result is written as an OCI layout
 * and imported into the ImageStore under the requested name.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../blob-store.ts';
import type { ImageStore } from '../image-store.ts';
import { MEDIA, type Descriptor, type ImageConfig, type ImageConfigBlob, type ImageIndex, type ImageManifest } from '../oci.ts';
import { writeTar } from '../tar/tar-writer.ts';
import { cloneTree, copyIntoRootfs, mkdirInRootfs } from './copy-into-rootfs.ts';
import { commandArgv, parseDockerfile, type Instruction } from './dockerfile-parser.ts';
import { diffSnapshots, layerEntries, snapshotRootfs } from './layer-diff.ts';
import { runBuildStep } from './run-step.ts';

/** Where and how to build. */
export interface ImageBuilderConfig {
  store: ImageStore;
  /** Scratch space; a unique subdirectory is used per build and removed afterwards. */
  workDir: string;
  runc?: string;
  /** Prefix of the per-build id (runc container ids, cgroup parents); default "minato-build". */
  idPrefix?: string;
  /** Progress and RUN output go here. */
  log?: (line: string) => void;
}

/** One build request. */
export interface BuildRequest {
  name: string;
  contextDir: string;
  dockerfile: string;
}

/** What a build produced. */
export interface BuildResult {
  name: string;
  manifestDigest: string;
  layers: number;
}

interface BuildState {
  rootfs: string;
  config: ImageConfig;
  layers: Descriptor[];
  diffIds: string[];
  layout: string;
}

const DEFAULT_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];

/** Builds images into an {@link ImageStore}. */
export class ImageBuilder {
  constructor(private readonly config: ImageBuilderConfig) {}

  private log(line: string): void {
    this.config.log?.(line);
  }

  async build(req: BuildRequest): Promise<BuildResult> {
    const instructions = parseDockerfile(req.dockerfile);
    const id = `${this.config.idPrefix ?? 'minato-build'}-${randomBytes(4).toString('hex')}`;
    const dir = join(this.config.workDir, id);
    const state: BuildState = { rootfs: join(dir, 'rootfs'), config: {}, layers: [], diffIds: [], layout: join(dir, 'layout') };
    await mkdir(join(state.layout, 'blobs/sha256'), { recursive: true });
    await mkdir(state.rootfs, { recursive: true });
    try {
      let step = 0;
      for (const ins of instructions) {
        this.log(`step ${++step}/${instructions.length}: ${ins.kind} (line ${ins.line})`);
        await this.apply(ins, state, req.contextDir, `${id}-${step}`, dir);
      }
      const manifestDigest = await this.writeLayout(state, req.name);
      const [imported] = await this.config.store.importArchive(state.layout, { name: req.name });
      if (!imported) throw new Error('import of the built image produced nothing');
      this.log(`built ${imported.name} ${manifestDigest}`);
      return { name: imported.name, manifestDigest, layers: state.layers.length };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async apply(ins: Instruction, s: BuildState, contextDir: string, stepId: string, dir: string): Promise<void> {
    const c = s.config;
    switch (ins.kind) {
      case 'FROM':
        return this.from(ins.image, s);
      case 'ENV': {
        const env = c.Env ?? [...DEFAULT_ENV];
        for (const [k, v] of ins.vars) {
          const i = env.findIndex((e) => e.startsWith(`${k}=`));
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        c.Env = env;
        return;
      }
      case 'CMD':
        c.Cmd = commandArgv(ins.command);
        return;
      case 'ENTRYPOINT':
        c.Entrypoint = commandArgv(ins.command);
        c.Cmd = null; // as in Docker: ENTRYPOINT resets an inherited CMD
        return;
      case 'EXPOSE':
        c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ins.ports.map((p) => [p, {}])) };
        return;
      case 'USER':
        c.User = ins.value;
        return;
      case 'WORKDIR':
        c.WorkingDir = ins.value.startsWith('/') ? ins.value : `${c.WorkingDir || '/'}/${ins.value}`.replace(/\/+/g, '/');
        return this.layer(s, () => mkdirInRootfs(s.rootfs, c.WorkingDir as string).then(() => undefined));
      case 'COPY':
      case 'ADD':
        return this.layer(s, () => copyIntoRootfs(s.rootfs, contextDir, ins.sources, ins.dest, {
          workingDir: c.WorkingDir || '/', extractArchives: ins.kind === 'ADD',
        }));
      case 'RUN':
        return this.layer(s, () => runBuildStep({
          runc: this.config.runc ?? '/usr/sbin/runc', id: stepId, bundleDir: join(dir, 'bundle'), rootfs: s.rootfs,
          argv: commandArgv(ins.command), env: c.Env ?? DEFAULT_ENV, workingDir: c.WorkingDir || '/', user: c.User ?? '',
          log: (l) => this.log(l),
        }));
    }
  }

  private async from(image: string, s: BuildState): Promise<void> {
    if (image === 'scratch') return;
    const store = this.config.store;
    const info = await store.get(image);
    if (!info) throw new Error(`FROM ${image}: not in the image store (import or pull it first; builds do not pull)`);
    const manifest = JSON.parse((await store.blobs.read(info.digest)).toString()) as ImageManifest;
    const blob = JSON.parse((await store.blobs.read(manifest.config.digest)).toString()) as ImageConfigBlob;
    s.config = { ...(blob.config ?? {}) };
    s.layers = [...manifest.layers];
    s.diffIds = [...blob.rootfs.diff_ids];
    for (const l of manifest.layers) await copyFile(store.blobs.path(l.digest), join(s.layout, 'blobs/sha256', l.digest.slice(7)));
    const lower = await store.unpacked({ manifestDigest: info.digest, layers: manifest.layers });
    await cloneTree(lower, s.rootfs);
  }

  /** Runs `change` on the rootfs and records what it changed as a new layer (none if nothing changed). */
  private async layer(s: BuildState, change: () => Promise<void>): Promise<void> {
    const before = await snapshotRootfs(s.rootfs);
    await change();
    const diff = diffSnapshots(before, await snapshotRootfs(s.rootfs));
    if (diff.changed.length === 0 && diff.deleted.length === 0) return;
    const tar = writeTar(await layerEntries(s.rootfs, diff));
    const gz = gzipSync(tar, { level: 6 });
    s.layers.push({ mediaType: MEDIA.ociLayerGzip, digest: await this.blob(s, gz), size: gz.length });
    s.diffIds.push(sha256(tar));
    this.log(`  layer: ${diff.changed.length} written, ${diff.deleted.length} deleted, ${gz.length} bytes`);
  }

  private async blob(s: BuildState, data: Buffer): Promise<string> {
    const digest = sha256(data);
    await writeFile(join(s.layout, 'blobs/sha256', digest.slice(7)), data);
    return digest;
  }

  private async writeLayout(s: BuildState, name: string): Promise<string> {
    const configBlob: ImageConfigBlob = {
      architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z', config: s.config,
      rootfs: { type: 'layers', diff_ids: s.diffIds },
    };
    const configBytes = Buffer.from(JSON.stringify(configBlob));
    const manifest: ImageManifest = {
      schemaVersion: 2, mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, digest: await this.blob(s, configBytes), size: configBytes.length },
      layers: s.layers,
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    const manifestDigest = await this.blob(s, manifestBytes);
    const index: ImageIndex = {
      schemaVersion: 2, mediaType: MEDIA.ociIndex,
      manifests: [{ mediaType: MEDIA.ociManifest, digest: manifestDigest, size: manifestBytes.length, annotations: { 'io.containerd.image.name': name } }],
    };
    await writeFile(join(s.layout, 'index.json'), JSON.stringify(index));
    await writeFile(join(s.layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    return manifestDigest;
  }
}

