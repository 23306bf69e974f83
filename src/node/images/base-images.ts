/**
 * Small base images built from this machine's own binaries, so tests and single-node clusters
 * need no outside registry: `busybox` (busybox-static plus its applet symlinks) and `node`
 * (/usr/bin/node, the libraries `ldd` names, and a few /etc files). Output is an OCI image layout
 * directory (which skopeo reads as `oci:<dir>:<tag>`) and optionally an oci-archive tar. Layers are
 * deterministic tars (sorted, owner 0, mtime 0), so the same host gives the same digests.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { sha256 } from './blob-store.ts';
import { MEDIA, type Descriptor, type ImageConfig, type ImageConfigBlob, type ImageIndex, type ImageManifest } from './oci.ts';
import { writeTar, type TarWriteEntry } from './tar/tar-writer.ts';

const exec = promisify(execFile);

/** Options for building a base image. */
export interface BaseImageOptions {
  /** Image name recorded in the index (`io.containerd.image.name`), e.g. "minato.local/busybox:1". */
  name: string;
  /** Tag recorded as `org.opencontainers.image.ref.name` (skopeo's `oci:<dir>:<tag>`). */
  tag: string;
  /** gzip level 1-9, or 0 for an uncompressed `tar` layer (default 6). */
  gzipLevel?: number;
}

/** Where the layout went and what it holds. */
export interface BuiltImage {
  layoutDir: string;
  manifestDigest: string;
  layerDigest: string;
  layerBytes: number;
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Adds every missing parent directory and sorts, so the tar is complete and deterministic. */
export function normaliseEntries(entries: TarWriteEntry[]): TarWriteEntry[] {
  const byPath = new Map(entries.map((e) => [e.path.replace(/\/$/, ''), e]));
  for (const p of [...byPath.keys()]) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'directory', mode: 0o755 });
    }
  }
  return [...byPath.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
}

function baseFiles(): TarWriteEntry[] {
  return [
    { path: 'etc/passwd', type: 'file', data: Buffer.from(PASSWD) },
    { path: 'etc/group', type: 'file', data: Buffer.from(GROUP) },
    { path: 'tmp', type: 'directory', mode: 0o1777 },
    { path: 'root', type: 'directory', mode: 0o700 },
    { path: 'proc', type: 'directory' }, { path: 'sys', type: 'directory' }, { path: 'dev', type: 'directory' },
  ];
}

/** Builds the busybox image from busybox-static: `/bin/busybox` and one absolute symlink per applet. */
export async function buildBusyboxImage(outDir: string, options: BaseImageOptions, busybox = '/bin/busybox'): Promise<BuiltImage> {
  const { stdout } = await exec(busybox, ['--list-full']);
  const entries: TarWriteEntry[] = [...baseFiles(), { path: 'bin/busybox', type: 'file', mode: 0o755, data: await readFile(busybox) }];
  for (const applet of stdout.split('\n').map((l) => l.trim()).filter((l) => l && l !== 'bin/busybox')) {
    entries.push({ path: applet, type: 'symlink', linkname: '/bin/busybox' });
  }
  const config: ImageConfig = { Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] };
  return writeOciLayout(outDir, normaliseEntries(entries), config, options);
}

/** Builds the node image: the node binary, its shared libraries, CA certificates and name-service files. */
export async function buildNodeImage(outDir: string, options: BaseImageOptions, node = '/usr/bin/node'): Promise<BuiltImage> {
  const { stdout } = await exec('ldd', [node]);
  const libs = [...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] as string);
  const entries: TarWriteEntry[] = [...baseFiles(), { path: 'usr/bin/node', type: 'file', mode: 0o755, data: await readFile(node) }];
  for (const lib of libs) entries.push({ path: lib.slice(1), type: 'file', mode: 0o755, data: await readFile(lib) });
  for (const f of ['/etc/ssl/certs/ca-certificates.crt', '/etc/nsswitch.conf']) {
    entries.push({ path: f.slice(1), type: 'file', data: await readFile(f) });
  }
  entries.push({ path: 'etc/hosts', type: 'file', data: Buffer.from('127.0.0.1\tlocalhost\n::1\tlocalhost\n') });
  const config: ImageConfig = { Cmd: ['node'], Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'] };
  return writeOciLayout(outDir, normaliseEntries(entries), config, options);
}

async function writeBlob(dir: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  await writeFile(join(dir, 'blobs/sha256', digest.slice(7)), data);
  return digest;
}

/** Writes a one-layer image as an OCI image layout in `outDir`. */
export async function writeOciLayout(outDir: string, entries: TarWriteEntry[], config: ImageConfig, options: BaseImageOptions): Promise<BuiltImage> {
  await mkdir(join(outDir, 'blobs/sha256'), { recursive: true });
  const tar = writeTar(entries);
  const level = options.gzipLevel ?? 6;
  const layer = level > 0 ? gzipSync(tar, { level }) : tar;
  const layerDigest = await writeBlob(outDir, layer);
  const configBlob: ImageConfigBlob = {
    architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z', config,
    rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
  };
  const configBytes = Buffer.from(JSON.stringify(configBlob));
  const layerDesc: Descriptor = { mediaType: level > 0 ? MEDIA.ociLayerGzip : MEDIA.ociLayer, digest: layerDigest, size: layer.length };
  const manifest: ImageManifest = {
    schemaVersion: 2, mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: await writeBlob(outDir, configBytes), size: configBytes.length },
    layers: [layerDesc],
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = await writeBlob(outDir, manifestBytes);
  const index: ImageIndex = {
    schemaVersion: 2, mediaType: MEDIA.ociIndex,
    manifests: [{
      mediaType: MEDIA.ociManifest, digest: manifestDigest, size: manifestBytes.length,
      annotations: { 'org.opencontainers.image.ref.name': options.tag, 'io.containerd.image.name': options.name },
    }],
  };
  await writeFile(join(outDir, 'index.json'), JSON.stringify(index));
  await writeFile(join(outDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { layoutDir: outDir, manifestDigest, layerDigest, layerBytes: layer.length };
}

/** Packs an OCI layout directory into an oci-archive tar (what `skopeo copy oci-archive:` reads). */
export async function writeOciArchive(layoutDir: string, archivePath: string): Promise<void> {
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as ImageIndex;
  const manifests = index.manifests.map((m) => m.digest);
  const entries: TarWriteEntry[] = [
    { path: 'oci-layout', type: 'file', data: await readFile(join(layoutDir, 'oci-layout')) },
    { path: 'index.json', type: 'file', data: Buffer.from(JSON.stringify(index)) },
  ];
  const digests = new Set<string>(manifests);
  for (const m of manifests) {
    const doc = JSON.parse(await readFile(join(layoutDir, 'blobs/sha256', m.slice(7)), 'utf8')) as ImageManifest;
    [doc.config, ...doc.layers].forEach((d) => digests.add(d.digest));
  }
  for (const d of [...digests].sort()) {
    entries.push({ path: `blobs/sha256/${d.slice(7)}`, type: 'file', data: await readFile(join(layoutDir, 'blobs/sha256', d.slice(7))) });
  }
  await writeFile(archivePath, writeTar(normaliseEntries(entries)));
}
