/**
 * Test-only: a small hand-written schema set shaped like the upstream Pod and Deployment
 * definitions (OpenAPI 3 style refs, descriptions, patch extensions), so the v2 tests do not
 * depend on the generated built-in schemas.
 */
import type { JsonSchema, SchemaSet } from '../../api/schema/types.ts';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const described = (description: string, name: string): JsonSchema => ({ description, allOf: [ref(name)] });
const str = (description: string): JsonSchema => ({ type: 'string', description });

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

function typeMeta(): Record<string, JsonSchema> {
  return { apiVersion: str('APIVersion defines the versioned schema of this representation of an object.'), kind: str('Kind is a string value representing the REST resource this object represents.') };
}

function topLevel(description: string, gvk: { group: string; version: string; kind: string }, spec: string): JsonSchema {
  return {
    type: 'object',
    description,
    properties: { ...typeMeta(), metadata: described('Standard object metadata.', META), spec: described('Specification of the desired behavior.', spec) },
    'x-kubernetes-group-version-kind': [gvk],
  };
}

function list(item: string, gvk: { group: string; version: string; kind: string }): JsonSchema {
  return {
    type: 'object',
    required: ['items'],
    properties: { ...typeMeta(), items: { type: 'array', items: ref(item) }, metadata: described('Standard list metadata.', LIST_META) },
    'x-kubernetes-group-version-kind': [gvk],
  };
}

/** Definitions by name: Deployment, Pod, their lists, specs, Container, ObjectMeta, Scale and a CRD-ish Widget. */
export function testDefinitions(): Record<string, JsonSchema> {
  return {
    [META]: {
      type: 'object',
      description: 'ObjectMeta is metadata that all persisted resources must have.',
      properties: {
        name: str('Name must be unique within a namespace.'),
        namespace: str('Namespace defines the space within which each name must be unique.'),
        labels: { type: 'object', description: 'Map of string keys and values.', additionalProperties: { type: 'string', default: '' } },
      },
    },
    [LIST_META]: { type: 'object', properties: { resourceVersion: str('String that identifies the server internal version.') } },
    'io.k8s.api.apps.v1.Deployment': topLevel('Deployment enables declarative updates for Pods and ReplicaSets.', { group: 'apps', version: 'v1', kind: 'Deployment' }, 'io.k8s.api.apps.v1.DeploymentSpec'),
    'io.k8s.api.apps.v1.DeploymentList': list('io.k8s.api.apps.v1.Deployment', { group: 'apps', version: 'v1', kind: 'DeploymentList' }),
    'io.k8s.api.apps.v1.DeploymentSpec': {
      type: 'object',
      description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
      required: ['selector', 'template'],
      properties: {
        replicas: { type: 'integer', format: 'int32', description: 'Number of desired pods. Defaults to 1.' },
        selector: described('Label selector for pods.', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector'),
        template: described('Template describes the pods that will be created.', 'io.k8s.api.core.v1.PodTemplateSpec'),
        paused: { type: 'boolean', description: 'Indicates that the deployment is paused.' },
      },
    },
    'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
      type: 'object',
      description: 'A label selector is a label query over a set of resources.',
      properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } },
      'x-kubernetes-map-type': 'atomic',
    },
    'io.k8s.api.core.v1.PodTemplateSpec': {
      type: 'object',
      description: 'PodTemplateSpec describes the data a pod should have when created from a template.',
      properties: { metadata: described('Standard object metadata.', META), spec: described('Specification of the desired behavior of the pod.', 'io.k8s.api.core.v1.PodSpec') },
    },
    'io.k8s.api.core.v1.Pod': topLevel('Pod is a collection of containers that can run on a host.', { group: '', version: 'v1', kind: 'Pod' }, 'io.k8s.api.core.v1.PodSpec'),
    'io.k8s.api.core.v1.PodList': list('io.k8s.api.core.v1.Pod', { group: '', version: 'v1', kind: 'PodList' }),
    'io.k8s.api.core.v1.PodSpec': {
      type: 'object',
      description: 'PodSpec is a description of a pod.',
      required: ['containers'],
      properties: {
        containers: {
          type: 'array',
          description: 'List of containers belonging to the pod.',
          items: ref('io.k8s.api.core.v1.Container'),
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
        nodeName: str('NodeName indicates in which node this pod is scheduled.'),
        restartPolicy: { type: 'string', description: 'Restart policy for all containers within the pod.', enum: ['Always', 'OnFailure', 'Never'] },
      },
    },
    'io.k8s.api.core.v1.Container': {
      type: 'object',
      description: 'A single application container that you want to run within a pod.',
      required: ['name'],
      properties: {
        name: str('Name of the container specified as a DNS_LABEL.'),
        image: str('Container image name.'),
        args: { type: 'array', description: 'Arguments to the entrypoint.', items: { type: 'string', default: '' } },
        ports: { type: 'array', description: 'List of ports to expose from the container.', items: { type: 'object', properties: { containerPort: { type: 'integer', format: 'int32' } } } },
        stdin: { type: 'boolean', nullable: true, description: 'Whether this container should allocate a buffer for stdin.' },
        resources: { description: 'Compute Resources required by this container.', allOf: [ref('io.k8s.api.core.v1.ResourceRequirements')] },
      },
    },
    'io.k8s.api.autoscaling.v1.Scale': {
      type: 'object',
      description: 'Scale represents a scaling request for a resource.',
      properties: { ...typeMeta(), spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32' } } } },
      'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    },
    'io.minato.test.v1.Widget': {
      type: 'object',
      description: 'Widget is a custom resource used by the tests.',
      properties: { ...typeMeta(), metadata: ref(META), spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  };
}

/** A SchemaSet over the given definitions, resolving `$ref` and single-element `allOf`. */
export function createTestSchemaSet(definitions: Record<string, JsonSchema> = testDefinitions()): SchemaSet {
  const set: SchemaSet = {
    definition: (name) => definitions[name],
    resolve(schema) {
      const target = schema.$ref ?? (schema.allOf?.length === 1 ? schema.allOf[0]?.$ref : undefined);
      if (target === undefined) return schema;
      const next = definitions[target.replace('#/components/schemas/', '')];
      return next === undefined ? schema : set.resolve(next);
    },
    nameForKind: (gvk) =>
      Object.keys(definitions).find((name) => {
        const listed = definitions[name]?.['x-kubernetes-group-version-kind'] ?? [];
        return listed.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind);
      }),
  };
  return set;
}
