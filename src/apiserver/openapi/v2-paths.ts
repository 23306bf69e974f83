import type { ResourceDefinition, SubresourceDefinition, Verb } from '../../api/resource-definition.ts';
import type { GroupVersionKind } from './v2-definitions.ts';
import type { SwaggerV2Operation, SwaggerV2Parameter, SwaggerV2PathItem, SwaggerV2Schema, SwaggerV2SimpleParameter } from './v2-types.ts';

/** What the path builder needs to know beyond the resource itself. */
export interface PathContext {
  /** Built-in kinds accept strategic merge patch; custom resources do not. */
  builtin: boolean;
  /** `#/definitions/<name>` for a published definition, undefined otherwise. */
  refTo(definitionName: string | undefined): SwaggerV2Schema | undefined;
  /** Definition name of a kind other than the resource's own (a subresource's body kind). */
  schemaNameFor(gvk: GroupVersionKind): string | undefined;
}

const PATCH_TYPES_CUSTOM = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const PATCH_TYPES_BUILTIN = [...PATCH_TYPES_CUSTOM.slice(0, 2), 'application/strategic-merge-patch+json', PATCH_TYPES_CUSTOM[2] ?? ''];
const PRODUCES = ['application/json', 'application/yaml'];

function query(name: string, type: SwaggerV2SimpleParameter['type'], description: string): SwaggerV2SimpleParameter {
  return { name, in: 'query', type, uniqueItems: true, description };
}

const DRY_RUN = query('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid value: All.');
const FIELD_MANAGER = query('fieldManager', 'string', 'A name associated with the actor or entity that is making these changes.');
// kubectl 1.27/1.28 look for this parameter on the kind's PATCH operation to decide whether the
// server validates fields itself (then it sends fieldValidation=Strict and skips client checks).
const FIELD_VALIDATION = query('fieldValidation', 'string', 'How the server treats unknown or duplicate fields: Ignore, Warn or Strict.');
const FORCE = query('force', 'boolean', 'Force is going to "force" Apply requests; it must be unset for non-apply patch requests.');
const GRACE_PERIOD = query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.');
const PROPAGATION = query('propagationPolicy', 'string', 'Whether and how garbage collection will be performed: Orphan, Background or Foreground.');
const LIST_QUERY = [
  query('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels.'),
  query('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields.'),
  query('limit', 'integer', 'The maximum number of responses to return for a list call.'),
  query('continue', 'string', 'The continue option from a previous paginated list call.'),
  query('resourceVersion', 'string', 'Sets a constraint on what resource versions a request may be served from.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  query('watch', 'boolean', 'Watch for changes to the described resources.'),
];

function pathParam(name: string, description: string): SwaggerV2SimpleParameter {
  return { name, in: 'path', required: true, type: 'string', uniqueItems: true, description };
}

function body(schema: SwaggerV2Schema | undefined): SwaggerV2Parameter[] {
  return [{ name: 'body', in: 'body', required: true, schema: schema ?? { type: 'object' } }];
}

function ok(schema: SwaggerV2Schema | undefined, ...codes: string[]): SwaggerV2Operation['responses'] {
  const responses: SwaggerV2Operation['responses'] = {};
  for (const code of codes) responses[code] = schema === undefined ? { description: 'OK' } : { description: 'OK', schema };
  responses['401'] = { description: 'Unauthorized' };
  return responses;
}

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`, as upstream operation ids read. */
function groupWord(group: string): string {
  const words = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split('.');
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

interface Target {
  gvk: GroupVersionKind;
  schemaName: string | undefined;
  /** `Namespaced`/'' + Kind (+ subresource), the tail of the operation id. */
  idTail: string;
}

function operation(t: Target, action: string, fields: Omit<SwaggerV2Operation, 'responses'>, responses: SwaggerV2Operation['responses']): SwaggerV2Operation {
  const verb = action === 'put' ? 'replace' : action === 'post' ? 'create' : action === 'get' ? 'read' : action;
  return {
    description: `${action} ${t.idTail}`,
    operationId: `${verb}${groupWord(t.gvk.group)}${t.gvk.version.charAt(0).toUpperCase()}${t.gvk.version.slice(1)}${t.idTail}`,
    produces: PRODUCES,
    schemes: ['https'],
    ...fields,
    responses,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: t.gvk.group, kind: t.gvk.kind, version: t.gvk.version },
  };
}

function itemOperations(t: Target, verbs: readonly Verb[], ctx: PathContext): SwaggerV2PathItem {
  const ref = ctx.refTo(t.schemaName);
  const item: SwaggerV2PathItem = {};
  if (verbs.includes('get')) item.get = operation(t, 'get', {}, ok(ref, '200'));
  if (verbs.includes('update')) {
    item.put = operation(t, 'put', { consumes: ['*/*'], parameters: [...body(ref), DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION] }, ok(ref, '200', '201'));
  }
  if (verbs.includes('patch')) {
    const consumes = ctx.builtin ? PATCH_TYPES_BUILTIN : PATCH_TYPES_CUSTOM;
    item.patch = operation(t, 'patch', { consumes, parameters: [...body(undefined), DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE] }, ok(ref, '200', '201'));
  }
  if (verbs.includes('delete')) {
    const deleteOptions = ctx.refTo('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
    item.delete = operation(t, 'delete', { consumes: ['*/*'], parameters: [...body(deleteOptions), DRY_RUN, GRACE_PERIOD, PROPAGATION] }, ok(ctx.refTo('io.k8s.apimachinery.pkg.apis.meta.v1.Status'), '200', '202'));
  }
  return item;
}

function collectionOperations(t: Target, verbs: readonly Verb[], ctx: PathContext, listName: string | undefined): SwaggerV2PathItem {
  const ref = ctx.refTo(t.schemaName);
  const item: SwaggerV2PathItem = {};
  if (verbs.includes('list')) item.get = operation(t, 'list', { parameters: LIST_QUERY }, ok(ctx.refTo(listName), '200'));
  if (verbs.includes('create')) {
    item.post = operation(t, 'post', { consumes: ['*/*'], parameters: [...body(ref), DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION] }, ok(ref, '200', '201', '202'));
  }
  if (verbs.includes('deletecollection')) {
    item.delete = operation(t, 'deletecollection', { parameters: [DRY_RUN, GRACE_PERIOD, PROPAGATION, ...LIST_QUERY] }, ok(ctx.refTo('io.k8s.apimachinery.pkg.apis.meta.v1.Status'), '200'));
  }
  return item;
}

function withParams(item: SwaggerV2PathItem, parameters: SwaggerV2SimpleParameter[]): SwaggerV2PathItem {
  return parameters.length === 0 ? item : { ...item, parameters };
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPrefix(r: { group: string; version: string }): string {
  return r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
}

/**
 * Subresources published as paths: the ones with a body kind of their own (scale, eviction…)
 * and `status`. Streaming subresources (exec, attach, log, portforward) are connect
 * operations kubectl never looks up in OpenAPI.
 */
function publishedSubresources(r: ResourceDefinition): SubresourceDefinition[] {
  return (r.subresources ?? []).filter((s) => s.kind !== undefined || s.name === 'status');
}

/** The Swagger paths of one served resource: its collection, its items and their subresources. */
export function resourcePaths(r: ResourceDefinition, ctx: PathContext): Record<string, SwaggerV2PathItem> {
  const prefix = groupVersionPrefix(r);
  const scope = r.namespaced ? 'Namespaced' : '';
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const nsParams = r.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
  const nameParams = [pathParam('name', `name of the ${r.kind}`), ...nsParams];
  const own: Target = { gvk: r, schemaName: r.schemaName, idTail: `${scope}${r.kind}` };
  const listName = r.schemaName?.replace(/[^.]+$/, r.listKind);
  const paths: Record<string, SwaggerV2PathItem> = {};
  const collectionItem = collectionOperations(own, r.verbs, ctx, listName);
  if (Object.keys(collectionItem).length > 0) paths[collection] = withParams(collectionItem, nsParams);
  const objectItem = itemOperations(own, r.verbs, ctx);
  if (Object.keys(objectItem).length > 0) paths[`${collection}/{name}`] = withParams(objectItem, nameParams);
  for (const sub of publishedSubresources(r)) {
    const gvk = sub.kind ?? r;
    const schemaName = sub.kind === undefined ? r.schemaName : ctx.schemaNameFor(sub.kind);
    const t: Target = { gvk, schemaName, idTail: `${scope}${r.kind}${sub.name.charAt(0).toUpperCase()}${sub.name.slice(1)}` };
    const subItem = { ...itemOperations(t, sub.verbs, ctx), ...(sub.verbs.includes('create') ? collectionOperations(t, ['create'], ctx, undefined) : {}) };
    if (Object.keys(subItem).length > 0) paths[`${collection}/{name}/${sub.name}`] = withParams(subItem, nameParams);
  }
  if (r.namespaced && r.verbs.includes('list')) {
    paths[`${prefix}/${r.plural}`] = collectionOperations({ ...own, idTail: `${r.kind}ForAllNamespaces` }, ['list'], ctx, listName);
  }
  return paths;
}
