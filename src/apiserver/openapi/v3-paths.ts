import type { ResourceDefinition, SubresourceDefinition, Verb } from '../../api/resource-definition.ts';
import type { GroupVersionKind } from '../../api/types.ts';
import * as p from './v3-parameters.ts';

type Schema = { $ref: string };

export interface OperationV3 {
  operationId: string;
  description: string;
  tags: string[];
  parameters?: p.ParameterV3[];
  requestBody?: { required: true; content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

export interface PathItemV3 {
  parameters: p.ParameterV3[];
  get?: OperationV3;
  put?: OperationV3;
  post?: OperationV3;
  patch?: OperationV3;
  delete?: OperationV3;
}

/** What the path builder needs beyond the resource: definition names of the kinds it serves. */
export interface PathContext {
  /** Definition name of a kind (the resource's own, its list, or a subresource's), if known. */
  schemaNameFor(gvk: GroupVersionKind): string | undefined;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const WATCH_EVENT = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';
const OBJECT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const STREAM_TYPES = [...OBJECT_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

/**
 * Built-in kinds accept strategic merge patch; custom resources do not (their schemas carry no
 * patch strategies), and kubectl falls back to merge patch when the content type is missing.
 */
export function acceptsStrategicMerge(schemaName: string | undefined): boolean {
  return schemaName !== undefined && /^io\.k8s\.(api\.|apiextensions-apiserver\.|kube-aggregator\.)/.test(schemaName);
}

function patchTypes(builtin: boolean): string[] {
  const types = ['application/json-patch+json', 'application/merge-patch+json'];
  if (builtin) types.push('application/strategic-merge-patch+json');
  return [...types, 'application/apply-patch+yaml'];
}

function content(types: string[], schemaName: string): Record<string, { schema: Schema }> {
  return Object.fromEntries(types.map((t) => [t, { schema: ref(schemaName) }]));
}

function responses(schemaName: string, codes: string[], types = OBJECT_TYPES): OperationV3['responses'] {
  const out: OperationV3['responses'] = {};
  for (const code of codes) out[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: content(types, schemaName) };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

/** `apps` → `AppsV1`, `rbac.authorization.k8s.io` → `RbacAuthorizationV1`, core → `CoreV1`, as upstream operation ids read. */
function groupVersionWord(group: string, version: string): string {
  const words = [...(group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split('.')), version];
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The set of facts one resource (or subresource) path needs to describe its operations. */
interface Target {
  r: ResourceDefinition;
  gvk: GroupVersionKind;
  schemaName: string;
  /** Operation-id suffix: `NamespacedDeployment`, `NamespacedDeploymentStatus`, `Node`. */
  idSuffix: string;
  builtin: boolean;
  tag: string;
}

function op(t: Target, verbWord: string, action: string, extra: Omit<OperationV3, 'operationId' | 'description' | 'tags' | 'x-kubernetes-action' | 'x-kubernetes-group-version-kind'>): OperationV3 {
  return {
    operationId: `${verbWord}${groupVersionWord(t.r.group, t.r.version)}${t.idSuffix}`,
    description: `${verbWord} ${action === 'list' || action === 'deletecollection' ? `collection of ${t.gvk.kind}` : `the specified ${t.gvk.kind}`}`,
    tags: [t.tag],
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': t.gvk,
  };
}

function itemOperations(t: Target, verbs: Verb[]): Partial<PathItemV3> {
  const item: Partial<PathItemV3> = {};
  if (verbs.includes('get')) item.get = op(t, 'read', 'get', { responses: responses(t.schemaName, ['200']) });
  if (verbs.includes('update')) {
    item.put = op(t, 'replace', 'put', { parameters: p.WRITE_PARAMS, requestBody: { required: true, content: content(OBJECT_TYPES, t.schemaName) }, responses: responses(t.schemaName, ['200', '201']) });
  }
  if (verbs.includes('patch')) {
    item.patch = op(t, 'patch', 'patch', { parameters: p.PATCH_PARAMS, requestBody: { required: true, content: content(patchTypes(t.builtin), PATCH) }, responses: responses(t.schemaName, ['200', '201']) });
  }
  if (verbs.includes('delete')) {
    item.delete = op(t, 'delete', 'delete', { parameters: p.DELETE_PARAMS, requestBody: { required: true, content: content(OBJECT_TYPES.slice(0, 1), DELETE_OPTIONS) }, responses: responses(STATUS, ['200', '202']) });
  }
  return item;
}

function collectionOperations(t: Target, listSchema: string | undefined): Partial<PathItemV3> {
  const verbs = t.r.verbs;
  const coll: Partial<PathItemV3> = {};
  if (verbs.includes('list') && listSchema !== undefined) coll.get = op(t, 'list', 'list', { parameters: p.LIST_PARAMS, responses: responses(listSchema, ['200'], STREAM_TYPES) });
  if (verbs.includes('create')) {
    coll.post = op(t, 'create', 'post', { parameters: p.WRITE_PARAMS, requestBody: { required: true, content: content(OBJECT_TYPES, t.schemaName) }, responses: responses(t.schemaName, ['200', '201', '202']) });
  }
  if (verbs.includes('deletecollection')) {
    coll.delete = op(t, 'deletecollection', 'deletecollection', { parameters: p.DELETE_COLLECTION_PARAMS, responses: responses(STATUS, ['200']) });
  }
  return coll;
}

/** Subresources worth documenting: those whose request/response body is a known kind. */
function documentedSubresource(sub: SubresourceDefinition): boolean {
  return sub.kind !== undefined || sub.name === 'status' || sub.name === 'finalize';
}

function nonEmpty(item: Partial<PathItemV3>): boolean {
  return item.get !== undefined || item.put !== undefined || item.post !== undefined || item.patch !== undefined || item.delete !== undefined;
}

/**
 * Every OpenAPI path of one resource (collection, item, all-namespaces list, watch list and
 * documented subresources), keyed by URL path. Returns nothing when the kind has no schema.
 */
export function resourcePaths(r: ResourceDefinition, ctx: PathContext): Record<string, PathItemV3> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const schemaName = r.schemaName ?? ctx.schemaNameFor(gvk);
  if (schemaName === undefined) return {};
  const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const tag = groupVersionWord(r.group, r.version).replace(/^./, (c) => c.toLowerCase()).replace(/V\d.*$/, (v) => `_${v.toLowerCase()}`);
  const scope = r.namespaced ? 'Namespaced' : '';
  const t: Target = { r, gvk, schemaName, idSuffix: `${scope}${r.kind}`, builtin: acceptsStrategicMerge(schemaName), tag };
  const listSchema = ctx.schemaNameFor({ ...gvk, kind: r.listKind });
  const base = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const common = r.namespaced ? [p.NAMESPACE, p.PRETTY] : [p.PRETTY];
  const named = [p.nameParam(r.kind), ...common];
  const out: Record<string, PathItemV3> = {};
  const add = (path: string, parameters: p.ParameterV3[], item: Partial<PathItemV3>): void => {
    if (nonEmpty(item)) out[path] = { parameters, ...item };
  };
  add(base, common, collectionOperations(t, listSchema));
  if (!r.virtual) add(`${base}/{name}`, named, itemOperations(t, r.verbs));
  if (r.namespaced && r.verbs.includes('list') && listSchema !== undefined) {
    const all: Target = { ...t, idSuffix: `${r.kind}ForAllNamespaces` };
    add(`${prefix}/${r.plural}`, [p.PRETTY], { get: op(all, 'list', 'list', { parameters: p.LIST_PARAMS, responses: responses(listSchema, ['200'], STREAM_TYPES) }) });
  }
  if (r.verbs.includes('watch')) {
    const watchBase = r.namespaced ? `${prefix}/watch/namespaces/{namespace}/${r.plural}` : `${prefix}/watch/${r.plural}`;
    add(watchBase, common, { get: op({ ...t, idSuffix: `${t.idSuffix}List` }, 'watch', 'watchlist', { parameters: p.LIST_PARAMS, responses: responses(WATCH_EVENT, ['200'], STREAM_TYPES) }) });
  }
  for (const sub of (r.subresources ?? []).filter(documentedSubresource)) {
    const subGvk = sub.kind ?? gvk;
    const subSchema = sub.kind === undefined ? schemaName : ctx.schemaNameFor(subGvk);
    if (subSchema === undefined) continue;
    const subTarget: Target = { ...t, gvk: subGvk, schemaName: subSchema, idSuffix: `${t.idSuffix}${sub.name.charAt(0).toUpperCase()}${sub.name.slice(1)}` };
    const subItem = itemOperations(subTarget, sub.verbs);
    if (sub.verbs.includes('create')) {
      subItem.post = op(subTarget, 'create', 'post', { parameters: p.WRITE_PARAMS, requestBody: { required: true, content: content(OBJECT_TYPES, subSchema) }, responses: responses(subSchema, ['200', '201', '202']) });
    }
    add(`${base}/{name}/${sub.name}`, named, subItem);
  }
  return out;
}
