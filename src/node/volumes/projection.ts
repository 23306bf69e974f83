/**
 * Pure projection of ConfigMaps, Secrets and downward API values into files: which relative path
 * gets which bytes with which mode. Writing them is {@link writeAtomically}'s job.
 */
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, Secret } from 'kubernetes-types/core/v1.js';
import { fieldValue, resourceValue, type NodeFacts } from './downward.ts';

/** One file of a projected volume. */
export interface ProjectedFile {
  /** Relative path inside the volume (no leading slash, no `..`). */
  path: string;
  content: Buffer;
  mode: number;
}

/** Default file mode of configMap/secret/downwardAPI/projected volumes (0644). */
export const DEFAULT_MODE = 0o644;

/** Thrown when a referenced object or key is missing and the source is not optional. */
export class MissingSourceError extends Error {}

function checkPath(path: string): string {
  if (path.startsWith('/') || path.split('/').includes('..') || path === '') throw new Error(`invalid projected path ${JSON.stringify(path)}`);
  return path;
}

function project(
  data: Map<string, Buffer>,
  items: KeyToPath[] | undefined,
  mode: number,
  what: string,
  optional: boolean,
): ProjectedFile[] {
  if (!items?.length) return [...data].map(([key, content]) => ({ path: checkPath(key), content, mode }));
  const out: ProjectedFile[] = [];
  for (const item of items) {
    const content = data.get(item.key);
    if (content === undefined) {
      if (optional) continue;
      throw new MissingSourceError(`${what}: key ${item.key} not found`);
    }
    out.push({ path: checkPath(item.path), content, mode: item.mode ?? mode });
  }
  return out;
}

/** Files of a configMap source; `cm` undefined means the ConfigMap does not exist. */
export function configMapFiles(
  cm: ConfigMap | undefined,
  src: { name?: string; items?: KeyToPath[]; optional?: boolean },
  mode: number,
): ProjectedFile[] {
  const what = `configmap ${src.name ?? ''}`;
  if (!cm) {
    if (src.optional) return [];
    throw new MissingSourceError(`${what} not found`);
  }
  const data = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) data.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) data.set(k, Buffer.from(v, 'base64'));
  return project(data, src.items, mode, what, src.optional === true);
}

/** Files of a secret source; `secret` undefined means the Secret does not exist. */
export function secretFiles(
  secret: Secret | undefined,
  src: { name?: string; items?: KeyToPath[]; optional?: boolean },
  mode: number,
): ProjectedFile[] {
  const what = `secret ${src.name ?? ''}`;
  if (!secret) {
    if (src.optional) return [];
    throw new MissingSourceError(`${what} not found`);
  }
  const data = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(secret.data ?? {})) data.set(k, Buffer.from(v, 'base64'));
  for (const [k, v] of Object.entries(secret.stringData ?? {})) data.set(k, Buffer.from(v, 'utf8'));
  return project(data, src.items, mode, what, src.optional === true);
}

/** Files of a downwardAPI source. */
export function downwardFiles(
  pod: Pod,
  items: DownwardAPIVolumeFile[] | undefined,
  mode: number,
  node: NodeFacts,
  podIP?: string,
): ProjectedFile[] {
  return (items ?? []).map((item) => {
    let value: string | undefined;
    if (item.fieldRef) value = fieldValue(pod, item.fieldRef, podIP, node.hostIP);
    else if (item.resourceFieldRef) value = resourceValue(pod, item.resourceFieldRef, undefined, node);
    return { path: checkPath(item.path), content: Buffer.from(value ?? '', 'utf8'), mode: item.mode ?? mode };
  });
}

/** True when two projections would write the same files (so an unchanged source rewrites nothing). */
export function sameFiles(a: ProjectedFile[], b: ProjectedFile[]): boolean {
  if (a.length !== b.length) return false;
  const byPath = new Map(b.map((f) => [f.path, f]));
  return a.every((f) => {
    const o = byPath.get(f.path);
    return o !== undefined && o.mode === f.mode && o.content.equals(f.content);
  });
}
