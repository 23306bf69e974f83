import type { ResourceDefinition } from '../../api/resource-definition.ts';

/**
 * The set of served resources: built-ins plus established CRDs. Immutable; the server swaps in a
 * new catalog when CRDs change so a request always sees one consistent view.
 */
export class ResourceCatalog {
  private readonly byPath = new Map<string, ResourceDefinition>();
  private readonly groupOrder: string[] = [];

  constructor(readonly resources: readonly ResourceDefinition[]) {
    for (const r of resources) {
      this.byPath.set(`${r.group}/${r.version}/${r.plural}`, r);
      if (!this.groupOrder.includes(r.group)) this.groupOrder.push(r.group);
    }
  }

  find(group: string, version: string, plural: string): ResourceDefinition | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** Resource for a kind at a group/version (used to resolve ownerReferences and bodies). */
  findKind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    return this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.resources.some((r) => r.group === group && r.version === version);
  }

  /** Groups in discovery priority order, each with its versions in preference order. */
  groups(): Array<{ name: string; versions: string[] }> {
    return this.groupOrder.map((name) => {
      const versions: string[] = [];
      for (const r of this.resources) if (r.group === name && !versions.includes(r.version)) versions.push(r.version);
      return { name, versions };
    });
  }

  inGroupVersion(group: string, version: string): ResourceDefinition[] {
    return this.resources.filter((r) => r.group === group && r.version === version);
  }
}
