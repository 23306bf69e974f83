import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1.js';
import { BUILTIN_RESOURCES } from '../../api/builtin-resources.ts';
import { METRICS_RESOURCES } from '../metrics/metrics-resources.ts';
import { customResourcePrinter, printerFor } from '../../api/printers/printer-registry.ts';
import type { ResourceDefinition, TablePrinter } from '../../api/resource-definition.ts';
import { compileStructuralSchema } from '../../api/schema/crd-schema.ts';
import type { ExtensibleSchemaSet } from '../../api/schema/schema-set.ts';
import type { JsonSchema } from '../../api/schema/types.ts';
import type { CustomResourceSchema } from '../api-context.ts';
import { crdDefinitions, crdResources, crdVersion, isEstablished } from './crd-resources.ts';
import { ResourceCatalog } from './resource-catalog.ts';

/** One consistent snapshot of what the server serves: resources, schemas, CR validators and printers. */
export interface CatalogState {
  catalog: ResourceCatalog;
  schemas: ExtensibleSchemaSet;
  customSchemas: Map<string, CustomResourceSchema>;
  printers: Map<string, TablePrinter>;
  scalePaths: Map<string, { spec: string; status: string; selector: string }>;
}

const key = (r: { group: string; version: string; plural: string }) => `${r.group}/${r.version}/${r.plural}`;

/** Builds the served catalog from the built-ins plus every Established CRD. */
export function buildCatalogState(builtinSchemas: ExtensibleSchemaSet, crds: CustomResourceDefinition[]): CatalogState {
  const resources: ResourceDefinition[] = [...BUILTIN_RESOURCES, ...METRICS_RESOURCES];
  const extra: Record<string, JsonSchema> = {};
  const customSchemas = new Map<string, CustomResourceSchema>();
  const printers = new Map<string, TablePrinter>();
  const scalePaths = new Map<string, { spec: string; status: string; selector: string }>();
  for (const crd of crds.filter(isEstablished)) {
    Object.assign(extra, crdDefinitions(crd));
    for (const r of crdResources(crd)) {
      resources.push(r);
      const v = crdVersion(crd, r.version);
      const schema = (v?.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as JsonSchema;
      customSchemas.set(key(r), compileStructuralSchema(schema));
      if (v?.additionalPrinterColumns?.length) printers.set(key(r), customResourcePrinter(v.additionalPrinterColumns));
      const scale = v?.subresources?.scale;
      if (scale) scalePaths.set(key(r), { spec: scale.specReplicasPath, status: scale.statusReplicasPath, selector: scale.labelSelectorPath ?? '' });
    }
  }
  return { catalog: new ResourceCatalog(resources), schemas: builtinSchemas.withDefinitions(extra), customSchemas, printers, scalePaths };
}

export function printerOf(state: CatalogState, r: ResourceDefinition): TablePrinter {
  return state.printers.get(key(r)) ?? printerFor(r.group, r.kind);
}

export function customSchemaOf(state: CatalogState, r: ResourceDefinition): CustomResourceSchema | undefined {
  return state.customSchemas.get(key(r));
}

export function scalePathsOf(state: CatalogState, r: ResourceDefinition): { spec: string; status: string; selector: string } | undefined {
  return state.scalePaths.get(key(r));
}
