/**
 * Test helper: hand-written Deployment/Pod-like schemas with the patch and list metadata the
 * real built-in schemas carry, and a tiny SchemaSet that resolves `#/components/schemas/<name>`.
 */
import type { JsonSchema, SchemaSet } from '../schema/types.ts';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const stringMap: JsonSchema = { type: 'object', additionalProperties: str };

const definitions: Record<string, JsonSchema> = {
  ObjectMeta: {
    type: 'object',
    properties: {
      name: str,
      namespace: str,
      uid: str,
      resourceVersion: str,
      generation: int,
      creationTimestamp: str,
      labels: stringMap,
      annotations: stringMap,
      finalizers: { type: 'array', items: str, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
      ownerReferences: {
        type: 'array',
        items: { type: 'object', properties: { uid: str, name: str, kind: str } },
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'uid',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
      },
      managedFields: { type: 'array', items: { type: 'object' } },
    },
  },
  LabelSelector: {
    type: 'object',
    properties: { matchLabels: stringMap },
    'x-kubernetes-map-type': 'atomic',
  },
  ContainerPort: {
    type: 'object',
    properties: { containerPort: int, name: str, protocol: { type: 'string', default: 'TCP' } },
  },
  EnvVar: { type: 'object', properties: { name: str, value: str } },
  Container: {
    type: 'object',
    properties: {
      name: str,
      image: str,
      args: { type: 'array', items: str },
      ports: {
        type: 'array',
        items: ref('ContainerPort'),
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'containerPort',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      },
      env: { type: 'array', items: ref('EnvVar'), 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
    },
  },
  Volume: {
    type: 'object',
    properties: {
      name: str,
      emptyDir: { type: 'object', properties: { medium: str } },
      configMap: { type: 'object', properties: { name: str } },
      hostPath: { type: 'object', properties: { path: str } },
    },
  },
  PodSpec: {
    type: 'object',
    properties: {
      containers: {
        type: 'array',
        items: ref('Container'),
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      volumes: {
        type: 'array',
        items: ref('Volume'),
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
      nodeSelector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
      unschedulable: { type: 'boolean' },
    },
  },
  PodTemplateSpec: { type: 'object', properties: { metadata: ref('ObjectMeta'), spec: ref('PodSpec') } },
  DeploymentStrategy: {
    type: 'object',
    properties: {
      type: str,
      rollingUpdate: { type: 'object', properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } } },
    },
  },
  Condition: { type: 'object', properties: { type: str, status: str, reason: str } },
  DeploymentSpec: {
    type: 'object',
    properties: {
      replicas: int,
      selector: ref('LabelSelector'),
      template: ref('PodTemplateSpec'),
      strategy: { allOf: [ref('DeploymentStrategy')], 'x-kubernetes-patch-strategy': 'retainKeys' },
      paused: { type: 'boolean' },
    },
  },
  DeploymentStatus: {
    type: 'object',
    properties: {
      replicas: int,
      conditions: {
        type: 'array',
        items: ref('Condition'),
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'type',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['type'],
      },
    },
  },
  Deployment: {
    type: 'object',
    properties: { apiVersion: str, kind: str, metadata: ref('ObjectMeta'), spec: ref('DeploymentSpec'), status: ref('DeploymentStatus') },
  },
};

/** A SchemaSet over the definitions above (resolves `$ref` and single-element `allOf`). */
export const testSchemas: SchemaSet = {
  definition: (name) => definitions[name],
  resolve(schema) {
    let current = schema;
    for (let hops = 0; hops < 20; hops++) {
      const target = current.$ref?.replace('#/components/schemas/', '') ?? (current.allOf?.length === 1 ? current.allOf[0]?.$ref?.replace('#/components/schemas/', '') : undefined);
      const next = target === undefined ? undefined : definitions[target];
      if (next === undefined) return current;
      current = next;
    }
    return current;
  },
  nameForKind: (gvk) => (gvk.kind in definitions ? gvk.kind : undefined),
};

/** The Deployment-like root schema. */
export const deploymentSchema: JsonSchema = ref('Deployment');
