/** OCI / Docker v2 image formats: media types and the JSON shapes this module reads and writes. */

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const INDEX_TYPES: readonly string[] = [MEDIA.ociIndex, MEDIA.dockerList];
export const MANIFEST_TYPES: readonly string[] = [MEDIA.ociManifest, MEDIA.dockerManifest];

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** The parts of an image config (`config` of the config blob) the agent needs. */
export interface ImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string> | null;
}

export interface ImageConfigBlob {
  architecture: string;
  os: string;
  config?: ImageConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  created?: string;
}

/** True for layer media types whose blobs are gzip-compressed. */
export function isGzipLayer(mediaType: string): boolean {
  return mediaType.endsWith('+gzip') || mediaType.endsWith('.tar.gzip');
}

/** Picks linux/amd64 from an index, as the node agent runs only there. */
export function pickPlatform(index: ImageIndex): Descriptor {
  const m = index.manifests.find((d) => d.platform?.os === 'linux' && d.platform.architecture === 'amd64')
    ?? index.manifests.find((d) => !d.platform && MANIFEST_TYPES.includes(d.mediaType));
  if (!m) throw new Error('image index has no linux/amd64 manifest');
  return m;
}
