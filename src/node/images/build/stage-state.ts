/**
 * The state of one build stage: image config, layers, ARGs in scope, the cache key of the last
 * step, and a root filesystem that is only materialised when a step actually needs files (a RUN,
 * COPY or WORKDIR that misses the cache, a `--chown` by name, a `COPY --from` of this stage). A
 * build whose steps all hit the cache therefore never copies a rootfs nor starts a container.
 */
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { sha256, type BlobStore } from '../blob-store.ts';
import type { ImageStore } from '../image-store.ts';
import { MEDIA, isGzipLayer, type Descriptor, type ImageConfig, type ImageConfigBlob, type ImageManifest } from '../oci.ts';
import { writeTar } from '../tar/tar-writer.ts';
import { readTar } from '../tar/tar-reader.ts';
import { applyLayer } from '../unpack.ts';
import type { CachedLayer } from './build-cache.ts';
import { cloneTree } from './copy-into-rootfs.ts';
import { diffSnapshots, layerEntries, snapshotRootfs } from './layer-diff.ts';

/** The image config a build writes: the agent's fields plus the Docker ones builds set. */
export type BuildConfig = ImageConfig & { StopSignal?: string; Volumes?: Record<string, object>; Shell?: string[] };

/** Everything known about a stage while it is built. */
export interface StageState {
  index: number;
  name?: string;
  /** Cache key of the last step (the chain every later key extends). */
  key: string;
  config: BuildConfig;
  layers: Descriptor[];
  diffIds: string[];
  /** The base image, unpacked (shared, read-only) only when the rootfs is materialised; none for `scratch`. */
  baseImage?: { manifestDigest: string; layers: Descriptor[] };
  /** Layers this build added on top of the base image, applied in order when materialising. */
  buildLayers: Descriptor[];
  rootfs: string;
  materialized: boolean;
  /** ARGs declared in this stage: value, or undefined when declared without a value. */
  args: Map<string, string | undefined>;
  /** Whether this stage set CMD (then ENTRYPOINT keeps it; an inherited CMD is reset). */
  cmdSet: boolean;
}

/** A stored image as a build base. */
export interface BaseImage {
  manifestDigest: string;
  configDigest: string;
  manifest: ImageManifest;
  config: ImageConfigBlob;
}

/** Looks an image up in the store (builds never pull). */
export async function loadBaseImage(store: ImageStore, ref: string, what: string): Promise<BaseImage> {
  const info = await store.get(ref);
  if (!info) throw new Error(`${what}: image ${ref} is not in the image store (import or pull it first; builds do not pull)`);
  const manifest = JSON.parse((await store.blobs.read(info.digest)).toString()) as ImageManifest;
  const config = JSON.parse((await store.blobs.read(manifest.config.digest)).toString()) as ImageConfigBlob;
  return { manifestDigest: info.digest, configDigest: manifest.config.digest, manifest, config };
}

async function applyLayerBlob(rootfs: string, blobs: BlobStore, layer: Descriptor): Promise<void> {
  let source: Readable = createReadStream(blobs.path(layer.digest));
  if (isGzipLayer(layer.mediaType)) source = source.pipe(createGunzip());
  await applyLayer(rootfs, readTar(source), { entries: 0, skipped: 0, whiteouts: 0 });
}

/** Makes `s.rootfs` hold the stage's files: the base image plus every layer the build added. */
export async function materialize(s: StageState, store: ImageStore): Promise<string> {
  if (s.materialized) return s.rootfs;
  await mkdir(s.rootfs, { recursive: true });
  if (s.baseImage) await cloneTree(await store.unpacked(s.baseImage), s.rootfs);
  for (const layer of s.buildLayers) await applyLayerBlob(s.rootfs, store.blobs, layer);
  s.materialized = true;
  return s.rootfs;
}

/** Adds a layer (from the cache or just built); a materialised rootfs gets its files unless `applied`. */
export async function addLayer(s: StageState, blobs: BlobStore, layer: CachedLayer, applied: boolean): Promise<void> {
  const desc: Descriptor = { mediaType: layer.mediaType, digest: layer.digest, size: layer.size };
  if (s.materialized && !applied) await applyLayerBlob(s.rootfs, blobs, desc);
  s.layers.push(desc);
  s.diffIds.push(layer.diffId);
  s.buildLayers.push(desc);
}

/**
 * Runs `change` on the (materialised) rootfs and stores what it changed as a gzip layer blob;
 * returns undefined when nothing changed, as Docker then adds no layer either.
 */
export async function commitChange(s: StageState, blobs: BlobStore, change: () => Promise<void>): Promise<CachedLayer | undefined> {
  const before = await snapshotRootfs(s.rootfs);
  await change();
  const diff = diffSnapshots(before, await snapshotRootfs(s.rootfs));
  if (diff.changed.length === 0 && diff.deleted.length === 0) return undefined;
  const tar = writeTar(await layerEntries(s.rootfs, diff));
  const gz = gzipSync(tar, { level: 6 });
  const layer: CachedLayer = { mediaType: MEDIA.ociLayerGzip, digest: await blobs.putBytes(gz), size: gz.length, diffId: sha256(tar) };
  await addLayer(s, blobs, layer, true);
  return layer;
}
