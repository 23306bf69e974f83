/**
 * Writes a built stage as an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`):
 * config and manifest go into the image store's blobs too, layer blobs (already in the store)
 * are hard-linked into the layout, or copied across file systems. The layout is complete, so
 * skopeo (`oci:<dir>:<tag>`) and umoci (`<dir>:<tag>`) read it, and the store imports it.
 */
import { copyFile, link, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from '../blob-store.ts';
import { MEDIA, type Descriptor, type ImageConfigBlob, type ImageIndex, type ImageManifest } from '../oci.ts';
import type { BuildConfig } from './stage-state.ts';

/** What to export. */
export interface ExportRequest {
  blobs: BlobStore;
  layoutDir: string;
  config: BuildConfig;
  layers: Descriptor[];
  diffIds: string[];
  /** Recorded as `io.containerd.image.name`. */
  name?: string;
  /** Recorded as `org.opencontainers.image.ref.name` (the tag skopeo/umoci select). */
  refName?: string;
}

/** What was exported. */
export interface ExportedImage {
  manifestDigest: string;
  /** The image ID, as Docker names images: the digest of the config blob. */
  configDigest: string;
}

/** Docker gzip layers are byte-for-byte OCI gzip layers; an OCI manifest names them as such. */
function asOciLayer(d: Descriptor): Descriptor {
  return d.mediaType === MEDIA.dockerLayerGzip ? { mediaType: MEDIA.ociLayerGzip, digest: d.digest, size: d.size } : { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

async function linkBlob(blobs: BlobStore, layoutDir: string, digest: string): Promise<void> {
  const target = join(layoutDir, 'blobs/sha256', digest.slice(7));
  if (await stat(target).then(() => true, () => false)) return;
  await link(blobs.path(digest), target).catch(() => copyFile(blobs.path(digest), target));
}

/** Writes the layout (replacing an existing `index.json`) and returns the digests. */
export async function exportImageLayout(req: ExportRequest): Promise<ExportedImage> {
  const configBlob: ImageConfigBlob = {
    // A fixed creation time keeps the image ID a function of the content: a rebuild from cache is the same image.
    architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z', config: req.config,
    rootfs: { type: 'layers', diff_ids: req.diffIds },
  };
  const configBytes = Buffer.from(JSON.stringify(configBlob));
  const configDigest = await req.blobs.putBytes(configBytes);
  const manifest: ImageManifest = {
    schemaVersion: 2, mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: configBytes.length },
    layers: req.layers.map(asOciLayer),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await req.blobs.putBytes(manifestBytes);
  await mkdir(join(req.layoutDir, 'blobs/sha256'), { recursive: true });
  for (const d of [configDigest, manifestDigest, ...req.layers.map((l) => l.digest)]) await linkBlob(req.blobs, req.layoutDir, d);
  const annotations: Record<string, string> = {};
  if (req.name) annotations['io.containerd.image.name'] = req.name;
  if (req.refName) annotations['org.opencontainers.image.ref.name'] = req.refName;
  const index: ImageIndex = {
    schemaVersion: 2, mediaType: MEDIA.ociIndex,
    manifests: [{ mediaType: MEDIA.ociManifest, digest: manifestDigest, size: manifestBytes.length, annotations }],
  };
  await rm(join(req.layoutDir, 'index.json'), { force: true });
  await writeFile(join(req.layoutDir, 'index.json'), JSON.stringify(index));
  await writeFile(join(req.layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { manifestDigest, configDigest };
}
