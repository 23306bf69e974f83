/** The patch engines against the generated built-in schemas (src/api/schema), not hand-made ones. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadBuiltinDefinitions } from '../schema/builtin-schemas.ts';
import { createSchemaSet } from '../schema/schema-set.ts';
import type { JsonSchema, SchemaSet } from '../schema/types.ts';
import type { KubeObject } from '../types.ts';
import { applyConfiguration } from './server-side-apply.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

let schemas: SchemaSet;
let schema: JsonSchema;
before(async () => {
  schemas = createSchemaSet(await loadBuiltinDefinitions());
  schema = { $ref: `#/components/schemas/${schemas.nameForKind({ group: 'apps', version: 'v1', kind: 'Deployment' }) ?? 'missing'}` };
});

const manifest = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }] },
    },
  },
});
type Pod = { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };

void describe('patching Deployments with the built-in schemas', () => {
  void it('client-side apply image change keeps ports and env', () => {
    const live = manifest('nginx:1.25');
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } } };
    const patched = applyStrategicMergePatch(live, patch, schema, schemas) as Pod;
    assert.deepEqual(patched.spec.template.spec.containers, [{ ...(manifest('nginx:1.26') as unknown as Pod).spec.template.spec.containers[0] }]);
  });

  void it('server-side re-apply over a defaulted object does not duplicate ports', () => {
    const first = applyConfiguration({ live: undefined, config: manifest('a'), manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, schemas, now: '2026-01-01T00:00:00Z' });
    assert.ok('object' in first);
    const stored = structuredClone(first.object) as KubeObject & Pod;
    const [container] = stored.spec.template.spec.containers;
    (container?.ports as Array<Record<string, unknown>>)[0]!.protocol = 'TCP';
    const again = applyConfiguration({ live: stored, config: manifest('b'), manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, schemas, now: '2026-01-01T00:01:00Z' });
    assert.ok('object' in again);
    const containers = (again.object as unknown as Pod).spec.template.spec.containers;
    assert.deepEqual(containers, [{ name: 'nginx', image: 'b', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] }]);
  });
});
