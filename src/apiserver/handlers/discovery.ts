import type { ResourceDefinition } from '../../api/resource-definition.ts';
import { apiVersionOf } from '../../api/types.ts';
import type { ResourceCatalog } from '../registry/resource-catalog.ts';

/** Extra groups served outside the catalog (metrics.k8s.io later), shown in discovery like any other. */
function subresourceEntries(r: ResourceDefinition) {
  return (r.subresources ?? []).map((s) => ({
    name: `${r.plural}/${s.name}`,
    singularName: '',
    namespaced: r.namespaced,
    ...(s.kind && (s.kind.group !== r.group || s.kind.version !== r.version) ? { group: s.kind.group, version: s.kind.version } : {}),
    kind: s.kind?.kind ?? r.kind,
    verbs: s.verbs,
  }));
}

/** `GET /api/v1`, `GET /apis/<g>/<v>`: the legacy APIResourceList. */
export function resourceList(catalog: ResourceCatalog, group: string, version: string): Record<string, unknown> {
  const resources = catalog.inGroupVersion(group, version).flatMap((r) => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    },
    ...subresourceEntries(r),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

export function legacyApiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function legacyApiGroupList(catalog: ResourceCatalog): Record<string, unknown> {
  const groups = catalog.groups().filter((g) => g.name !== '').map((g) => apiGroup(g.name, g.versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function legacyApiGroup(catalog: ResourceCatalog, name: string): Record<string, unknown> | undefined {
  const g = catalog.groups().find((x) => x.name === name);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) } : undefined;
}

function aggregatedResource(r: ResourceDefinition) {
  return {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories?.length ? { categories: r.categories } : {}),
    ...((r.subresources ?? []).length
      ? {
          subresources: (r.subresources ?? []).map((s) => ({
            subresource: s.name,
            responseKind: s.kind ?? { group: r.group, version: r.version, kind: r.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** `apidiscovery.k8s.io` APIGroupDiscoveryList for `/api` (core only) or `/apis` (every other group). */
export function aggregatedDiscovery(catalog: ResourceCatalog, core: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items = catalog
    .groups()
    .filter((g) => (g.name === '') === core)
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: catalog.inGroupVersion(g.name, v).map(aggregatedResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
