import type { KubeClient } from '../../client/kube-client.ts';
import type { ResourceRef } from '../../client/resource-ref.ts';

interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
}

interface ApiGroupList {
  groups: Array<{ name: string; preferredVersion?: { version: string }; versions: Array<{ version: string }> }>;
}

/**
 * Every resource the server serves in each group's preferred version, with the verbs it
 * supports (legacy discovery: `/api/v1`, `/apis`, `/apis/<group>/<version>`). Subresources are left
 * out. A group whose list fails is skipped and reported through `onError`.
 */
export async function discoverResources(client: KubeClient, onError?: (groupVersion: string, err: unknown) => void): Promise<Array<ResourceRef & { verbs: string[] }>> {
  const lists: Array<{ group: string; version: string }> = [{ group: '', version: 'v1' }];
  const groups = await client.getPath<ApiGroupList>('/apis');
  for (const g of groups.groups) {
    const version = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (version) lists.push({ group: g.name, version });
  }
  const found = await Promise.all(
    lists.map(async ({ group, version }) => {
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      try {
        const list = await client.getPath<{ resources: ApiResource[] }>(path);
        return list.resources
          .filter((r) => !r.name.includes('/'))
          .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
      } catch (err) {
        onError?.(path, err);
        return [];
      }
    }),
  );
  return found.flat();
}

/** True when the resource can be listed, watched and deleted: what GC and namespace cleanup need. */
export function isDeletable(r: { verbs: string[] }): boolean {
  return ['list', 'watch', 'delete'].every((v) => r.verbs.includes(v));
}
