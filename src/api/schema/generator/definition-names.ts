/**
 * Upstream OpenAPI definition names for the declarations in `kubernetes-types`, so our generated
 * definitions line up name-for-name with what kube-apiserver publishes.
 */

/** Definition-name prefix for a declaration module such as `apps/v1` or `runtime`. */
export function definitionPrefix(moduleKey: string): string {
  switch (moduleKey) {
    case 'meta/v1':
      return 'io.k8s.apimachinery.pkg.apis.meta.v1';
    case 'runtime':
      return 'io.k8s.apimachinery.pkg.runtime';
    case 'api/resource':
      return 'io.k8s.apimachinery.pkg.api.resource';
    case 'version':
      return 'io.k8s.apimachinery.pkg.version';
    case 'apiextensions/v1':
      return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
    default:
      return `io.k8s.api.${moduleKey.replace('/', '.')}`;
  }
}

/** kubernetes-types inlines IntOrString as `number | string`; upstream names it here. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** `#/components/schemas/<name>`: the reference form used throughout the registry. */
export function schemaRef(name: string): string {
  return `#/components/schemas/${name}`;
}

/** The definition name a `$ref` points at, or undefined for foreign references. */
export function refName(ref: string): string | undefined {
  const prefix = '#/components/schemas/';
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}
