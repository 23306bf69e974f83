import type { CustomResourceDefinition, CustomResourceDefinitionVersion } from 'kubernetes-types/apiextensions/v1.js';
import type { ResourceDefinition, SubresourceDefinition, Verb } from '../../api/resource-definition.ts';
import type { JsonSchema } from '../../api/schema/types.ts';

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Upstream names a CR's schema by its reversed group: `stable.example.com` v1 CronTab → `com.example.stable.v1.CronTab`. */
export function customSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

export function isEstablished(crd: CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/** The served resources of one CRD (one per served version, storage version first in preference). */
export function crdResources(crd: CustomResourceDefinition): ResourceDefinition[] {
  const { group, names, scope } = crd.spec;
  const versions = [...crd.spec.versions.filter((v) => v.served)].sort(versionPriority);
  return versions.map((v) => {
    const subresources: SubresourceDefinition[] = [];
    if (v.subresources?.status) subresources.push({ name: 'status', verbs: ['get', 'patch', 'update'] });
    if (v.subresources?.scale) subresources.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
    return {
      group,
      version: v.name,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      plural: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      namespaced: scope === 'Namespaced',
      verbs: ALL,
      shortNames: names.shortNames,
      categories: names.categories,
      subresources,
      hasStatusSubresource: !!v.subresources?.status,
      schemaName: customSchemaName(group, v.name, names.kind),
    };
  });
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
function versionPriority(a: CustomResourceDefinitionVersion, b: CustomResourceDefinitionVersion): number {
  const rank = (name: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(name);
    if (!m) return [3, 0, 0];
    const stage = m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const ra = rank(a.name);
  const rb = rank(b.name);
  return ra[0] - rb[0] || ra[1] - rb[1] || ra[2] - rb[2];
}

/** The schema definitions a CRD version contributes: the object, with metadata and apiVersion/kind wired in. */
export function crdDefinitions(crd: CustomResourceDefinition): Record<string, JsonSchema> {
  const defs: Record<string, JsonSchema> = {};
  for (const v of crd.spec.versions.filter((x) => x.served)) {
    const declared = (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JsonSchema;
    const properties = { ...(declared.properties ?? {}) };
    properties.apiVersion = { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' };
    properties.kind = { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' };
    properties.metadata = { $ref: `#/components/schemas/${META}.ObjectMeta`, description: "Standard object's metadata." };
    defs[customSchemaName(crd.spec.group, v.name, crd.spec.names.kind)] = {
      ...declared,
      type: 'object',
      properties,
      'x-kubernetes-group-version-kind': [{ group: crd.spec.group, version: v.name, kind: crd.spec.names.kind }],
    };
  }
  return defs;
}

export function crdVersion(crd: CustomResourceDefinition, version: string): CustomResourceDefinitionVersion | undefined {
  return crd.spec.versions.find((v) => v.name === version);
}
