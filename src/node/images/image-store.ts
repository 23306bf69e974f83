/**
 * The node's image store: OCI images pulled from registries or imported from archives, kept as
 * content-addressed blobs, unpacked once per image into a read-only rootfs that every container of
 * that image shares through its own overlay mount.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BlobStore, checkDigest, sha256 } from './blob-store.ts';
import { formatImageRef, parseImageRef } from './image-ref.ts';
import {
  INDEX_TYPES, isGzipLayer, pickPlatform, type Descriptor, type ImageConfigBlob, type ImageIndex, type ImageManifest,
} from './oci.ts';
import { RegistryClient, type RegistryAuth } from './registry-client.ts';
import { mountContainerRootfs, releaseContainerRootfs, type RootfsMode } from './rootfs-mount.ts';
import { readTar } from './tar/tar-reader.ts';
import { applyLayer, type UnpackStats } from './unpack.ts';

/** What the agent needs from an image's config to build a container. */
export interface ImageConfigSummary {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
}

/** One stored image. */
export interface ImageInfo {
  name: string;
  /** Digest of the linux/amd64 manifest. */
  digest: string;
  /** Sum of the (compressed) layer sizes. */
  size: number;
  config: ImageConfigSummary;
}

interface ImageRecord {
  name: string;
  manifestDigest: string;
  configDigest: string;
  layers: Descriptor[];
  config: ImageConfigSummary;
}

interface StoreState {
  images: Record<string, ImageRecord>;
  /** container dir → manifest digest of the image it was prepared from. */
  prepared: Record<string, string>;
}

/** Configuration of an ImageStore. */
export interface ImageStoreConfig {
  /** Owned by the store: blobs, state, unpacked rootfs cache. */
  root: string;
  /** Set false to always copy instead of mounting overlayfs. */
  overlay?: boolean;
}

/** The image operations the node agent uses. */
export interface ImageService {
  pull(ref: string, options?: { auth?: RegistryAuth }): Promise<ImageInfo>;
  importArchive(path: string, options?: { name?: string }): Promise<ImageInfo[]>;
  list(): Promise<ImageInfo[]>;
  get(nameOrDigest: string): Promise<ImageInfo | undefined>;
  remove(name: string): Promise<void>;
  gc(): Promise<{ removedBlobs: number; removedRootfs: number }>;
  prepareRootfs(image: string, containerDir: string): Promise<{ rootfs: string; mode: RootfsMode }>;
  releaseRootfs(containerDir: string): Promise<void>;
}

/** Images on local disk: the content-addressed implementation of {@link ImageService}. */
export class ImageStore implements ImageService {
  readonly blobs: BlobStore;
  private readonly unpacking = new Map<string, Promise<string>>();
  private stateLock: Promise<unknown> = Promise.resolve();

  constructor(private readonly config: ImageStoreConfig) {
    this.blobs = new BlobStore(config.root);
  }

  private get stateFile(): string {
    return join(this.config.root, 'images.json');
  }

  private rootfsDir(manifestDigest: string): string {
    return join(this.config.root, 'rootfs', checkDigest(manifestDigest));
  }

  private async readState(): Promise<StoreState> {
    try {
      return JSON.parse(await readFile(this.stateFile, 'utf8')) as StoreState;
    } catch {
      return { images: {}, prepared: {} };
    }
  }

  /** Serialises read-modify-write of the state file within this instance. */
  private update<T>(fn: (s: StoreState) => T | Promise<T>): Promise<T> {
    const next = this.stateLock.then(async () => {
      const s = await this.readState();
      const out = await fn(s);
      await mkdir(this.config.root, { recursive: true });
      await writeFile(`${this.stateFile}.tmp`, JSON.stringify(s, null, 2));
      await rename(`${this.stateFile}.tmp`, this.stateFile);
      return out;
    });
    this.stateLock = next.catch(() => undefined);
    return next;
  }

  async pull(ref: string, options: { auth?: RegistryAuth } = {}): Promise<ImageInfo> {
    const r = parseImageRef(ref);
    const client = new RegistryClient(r, options.auth);
    const first = await client.manifest(r.digest ?? (r.tag as string));
    let body = first.body;
    if (r.digest && sha256(body) !== r.digest) throw new Error(`manifest digest mismatch for ${ref}`);
    if (INDEX_TYPES.includes(first.mediaType)) {
      const desc = pickPlatform(JSON.parse(body.toString()) as ImageIndex);
      ({ body } = await client.manifest(desc.digest));
      if (sha256(body) !== desc.digest) throw new Error(`manifest digest mismatch for ${desc.digest}`);
    }
    const manifest = JSON.parse(body.toString()) as ImageManifest;
    for (const d of [manifest.config, ...manifest.layers]) {
      if (!(await this.blobs.has(d.digest))) await this.blobs.put(d.digest, await client.blob(d.digest));
    }
    const manifestDigest = await this.blobs.putBytes(body);
    return this.register(formatImageRef(r), manifestDigest);
  }

  async importArchive(path: string, options: { name?: string } = {}): Promise<ImageInfo[]> {
    let index: ImageIndex;
    if ((await stat(path)).isDirectory()) {
      index = JSON.parse(await readFile(join(path, 'index.json'), 'utf8')) as ImageIndex;
      for (const digest of await this.layoutBlobs(path, index)) {
        if (!(await this.blobs.has(digest))) await this.blobs.put(digest, createReadStream(join(path, 'blobs/sha256', checkDigest(digest))));
      }
    } else {
      index = await this.importTarBlobs(path);
    }
    const out: ImageInfo[] = [];
    for (const desc of index.manifests) {
      let manifestDigest = desc.digest;
      if (INDEX_TYPES.includes(desc.mediaType)) manifestDigest = pickPlatform(JSON.parse((await this.blobs.read(desc.digest)).toString()) as ImageIndex).digest;
      const a = desc.annotations ?? {};
      const tag = a['org.opencontainers.image.ref.name'];
      const name = options.name ?? a['io.containerd.image.name'] ?? (tag?.includes('/') ? tag : `import/image:${tag ?? manifestDigest.slice(7, 19)}`);
      out.push(await this.register(formatImageRef(parseImageRef(name)), manifestDigest));
    }
    return out;
  }

  /** Every blob an OCI layout's index reaches (manifests, nested indexes, configs, layers). */
  private async layoutBlobs(dir: string, index: ImageIndex): Promise<string[]> {
    const out: string[] = [];
    const visit = async (d: Descriptor): Promise<void> => {
      out.push(d.digest);
      if (d.mediaType.endsWith('json') && !d.mediaType.includes('config')) {
        const doc = JSON.parse(await readFile(join(dir, 'blobs/sha256', checkDigest(d.digest)), 'utf8')) as Partial<ImageIndex & ImageManifest>;
        for (const child of [...(doc.manifests ?? []), ...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) await visit(child);
      }
    };
    for (const m of index.manifests) await visit(m);
    return out;
  }

  /** Streams an oci-archive tar: blobs go straight into the store (verified), index.json is returned. */
  private async importTarBlobs(path: string): Promise<ImageIndex> {
    let index: ImageIndex | undefined;
    for await (const e of readTar(createReadStream(path))) {
      const name = e.path.replace(/^\.\//, '');
      const blob = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name);
      if (blob && e.type === 'file') await this.blobs.put(`sha256:${blob[1]}`, Readable.from([e.data]));
      else if (name === 'index.json') index = JSON.parse(e.data.toString()) as ImageIndex;
    }
    if (!index) throw new Error(`${path} is not an oci-archive (no index.json)`);
    return index;
  }

  private async register(name: string, manifestDigest: string): Promise<ImageInfo> {
    const manifest = JSON.parse((await this.blobs.read(manifestDigest)).toString()) as ImageManifest;
    for (const d of [manifest.config, ...manifest.layers]) {
      if (!(await this.blobs.has(d.digest))) throw new Error(`image ${name}: blob ${d.digest} missing`);
    }
    const cfg = JSON.parse((await this.blobs.read(manifest.config.digest)).toString()) as ImageConfigBlob;
    const rec: ImageRecord = { name, manifestDigest, configDigest: manifest.config.digest, layers: manifest.layers, config: summarise(cfg) };
    await this.update((s) => { s.images[name] = rec; });
    return info(rec);
  }

  async list(): Promise<ImageInfo[]> {
    return Object.values((await this.readState()).images).map(info);
  }

  async get(nameOrDigest: string): Promise<ImageInfo | undefined> {
    const rec = await this.find(nameOrDigest);
    return rec && info(rec);
  }

  private async find(nameOrDigest: string): Promise<ImageRecord | undefined> {
    const images = (await this.readState()).images;
    if (nameOrDigest.startsWith('sha256:')) return Object.values(images).find((i) => i.manifestDigest === nameOrDigest);
    return images[nameOrDigest] ?? images[formatImageRef(parseImageRef(nameOrDigest))];
  }

  async remove(name: string): Promise<void> {
    const rec = await this.find(name);
    if (rec) await this.update((s) => { delete s.images[rec.name]; });
  }

  async gc(): Promise<{ removedBlobs: number; removedRootfs: number }> {
    return this.update(async (s) => {
      const keep = new Set<string>();
      for (const i of Object.values(s.images)) [i.manifestDigest, i.configDigest, ...i.layers.map((l) => l.digest)].forEach((d) => keep.add(d));
      const inUse = new Set([...Object.values(s.images).map((i) => i.manifestDigest), ...Object.values(s.prepared)].map(checkDigest));
      let removedBlobs = 0;
      for (const d of await this.blobs.list()) if (!keep.has(d)) { await this.blobs.remove(d); removedBlobs++; }
      let removedRootfs = 0;
      for (const n of await readdir(join(this.config.root, 'rootfs')).catch(() => [] as string[])) {
        const unpacking = [...this.unpacking.keys()].some((d) => n.startsWith(`${d.split('/').pop()}.tmp-`));
        if (!inUse.has(n) && !unpacking) { await rm(join(this.config.root, 'rootfs', n), { recursive: true, force: true }); removedRootfs++; }
      }
      return { removedBlobs, removedRootfs };
    });
  }

  async prepareRootfs(image: string, containerDir: string): Promise<{ rootfs: string; mode: RootfsMode }> {
    const rec = await this.find(image);
    if (!rec) throw new Error(`image ${image} not found`);
    const lower = await this.unpacked(rec);
    await this.update((s) => { s.prepared[containerDir] = rec.manifestDigest; });
    const mode = await mountContainerRootfs(lower, containerDir, this.config.overlay !== false);
    return { rootfs: join(containerDir, 'merged'), mode };
  }

  async releaseRootfs(containerDir: string): Promise<void> {
    await releaseContainerRootfs(containerDir);
    await this.update((s) => { delete s.prepared[containerDir]; });
  }

  /** The image's unpacked, shared rootfs; unpacked once (per process) and published by rename. */
  async unpacked(rec: { manifestDigest: string; layers: Descriptor[] }): Promise<string> {
    const dir = this.rootfsDir(rec.manifestDigest);
    if (await stat(dir).then(() => true, () => false)) return dir;
    let p = this.unpacking.get(dir);
    if (!p) {
      p = this.unpackTo(dir, rec.layers).finally(() => this.unpacking.delete(dir));
      this.unpacking.set(dir, p);
    }
    return p;
  }

  private async unpackTo(dir: string, layers: Descriptor[]): Promise<string> {
    const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
    await mkdir(tmp, { recursive: true });
    const stats: UnpackStats = { entries: 0, skipped: 0, whiteouts: 0 };
    try {
      for (const layer of layers) {
        const raw = createReadStream(this.blobs.path(layer.digest));
        let source: Readable = raw;
        if (isGzipLayer(layer.mediaType)) {
          const gunzip = createGunzip();
          raw.on('error', (e) => gunzip.destroy(e)); // pipe() does not forward errors
          source = raw.pipe(gunzip);
        }
        await applyLayer(tmp, readTar(source), stats);
      }
      await rename(tmp, dir);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    return dir;
  }
}

function summarise(blob: ImageConfigBlob): ImageConfigSummary {
  const c = blob.config ?? {};
  return {
    entrypoint: c.Entrypoint ?? [], cmd: c.Cmd ?? [], env: c.Env ?? [], workingDir: c.WorkingDir ?? '',
    user: c.User ?? '', exposedPorts: Object.keys(c.ExposedPorts ?? {}),
  };
}

function info(rec: ImageRecord): ImageInfo {
  return { name: rec.name, digest: rec.manifestDigest, size: rec.layers.reduce((n, l) => n + l.size, 0), config: rec.config };
}
