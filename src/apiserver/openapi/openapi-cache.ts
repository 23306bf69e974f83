import type { CatalogState } from '../registry/catalog-state.ts';
import { encodeSwaggerV2Protobuf } from './gnostic/encode-document.ts';
import { buildSwaggerV2, type SwaggerV2Document } from './v2.ts';
import { createOpenApiV3, type OpenApiV3 } from './v3.ts';

export interface OpenApiCache {
  v3(): OpenApiV3;
  v2Json(): SwaggerV2Document;
  v2Protobuf(): Buffer;
  /** Drops everything built so far (the catalog changed). */
  invalidate(): void;
}

/** Builds the OpenAPI documents lazily from the current catalog and keeps them until it changes. */
export function createOpenApiCache(state: () => CatalogState): OpenApiCache {
  let v3: OpenApiV3 | undefined;
  let v2: SwaggerV2Document | undefined;
  let v2pb: Buffer | undefined;
  const servedResources = () => state().catalog.resources.filter((r) => !r.virtual || r.verbs.includes('create'));
  return {
    v3: () => (v3 ??= createOpenApiV3([...servedResources()], state().schemas)),
    v2Json: () => (v2 ??= buildSwaggerV2(servedResources(), state().schemas)),
    v2Protobuf() {
      v2pb ??= encodeSwaggerV2Protobuf(this.v2Json());
      return v2pb;
    },
    invalidate() {
      v3 = undefined;
      v2 = undefined;
      v2pb = undefined;
    },
  };
}
