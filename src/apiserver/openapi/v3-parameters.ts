/** OpenAPI 3.0 parameter objects for the Kubernetes REST verbs, as kube-apiserver documents them. */

export interface ParameterV3 {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean'; uniqueItems: true };
}

function query(name: string, type: ParameterV3['schema']['type'], description: string): ParameterV3 {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

function pathParam(name: string, description: string): ParameterV3 {
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

export const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
export const PRETTY = query('pretty', 'string', "If 'true', then the output is pretty printed.");

export function nameParam(kind: string): ParameterV3 {
  return pathParam('name', `name of the ${kind}`);
}

const DRY_RUN = query('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid value: All.');
const FIELD_MANAGER = query('fieldManager', 'string', 'A name associated with the actor or entity that is making these changes.');
// kubectl (cli-runtime query-param verifier) looks for this on the kind's PATCH operation: present
// ⇒ it sends fieldValidation=Strict and leaves field checks to the server.
const FIELD_VALIDATION = query(
  'fieldValidation',
  'string',
  'How the server handles unknown or duplicate fields in the request body: Ignore, Warn (default) or Strict.',
);
const FORCE = query('force', 'boolean', 'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.');

/** create (POST) and replace (PUT). */
export const WRITE_PARAMS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
/** PATCH: the write parameters plus `force` for server-side apply. */
export const PATCH_PARAMS = [...WRITE_PARAMS, FORCE];

/** DELETE of one object. */
export const DELETE_PARAMS = [
  DRY_RUN,
  query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  query('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy.'),
  query('propagationPolicy', 'string', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
];

/** list and watch. */
export const LIST_PARAMS = [
  query('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  query('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  query('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  query('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  query('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  query('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  query('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  query('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  query('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
];

/** deletecollection takes the list selectors and the delete options. */
export const DELETE_COLLECTION_PARAMS = [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks')];
