import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from './errors.ts';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';
import { deploymentSchema, testSchemas } from './test-schemas.ts';

const smp = (original: unknown, patch: unknown): unknown => applyStrategicMergePatch(original, patch, deploymentSchema, testSchemas);

function deployment(containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 1, template: { spec: { containers } }, ...extra },
  };
}
const nginx = { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] };
const containersOf = (obj: unknown): unknown => (obj as { spec: { template: { spec: { containers: unknown } } } }).spec.template.spec.containers;

void describe('applyStrategicMergePatch — kubectl traces (§11.1)', () => {
  void it('changes image and replicas with $setElementOrder and keeps unmentioned container fields', () => {
    const patched = smp(deployment([nginx]), {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      spec: { replicas: 3, template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } },
    });
    assert.deepEqual(containersOf(patched), [{ ...nginx, image: 'nginx:1.26' }]);
    assert.equal((patched as { spec: { replicas: number } }).spec.replicas, 3);
    assert.deepEqual((patched as { metadata: unknown }).metadata, {
      name: 'web',
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
    });
  });

  void it('replaces a container: adds the new one and deletes the old by merge key', () => {
    const sidecar = { env: [{ name: 'X', value: 'y' }], image: 'busybox', name: 'sidecar' };
    const patched = smp(deployment([nginx]), {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }], containers: [sidecar, { $patch: 'delete', name: 'nginx' }] } } },
    });
    assert.deepEqual(containersOf(patched), [sidecar]);
  });

  void it('removes a field with null', () => {
    const patched = smp(deployment([nginx], { strategy: { type: 'Recreate' } }), { spec: { strategy: null } });
    assert.equal('strategy' in (patched as { spec: object }).spec, false);
  });

  void it('set image keeps ports and env (regression: SMP must not act like JSON merge patch)', () => {
    const patched = smp(deployment([nginx, { name: 'side', image: 'b' }]), {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'side' }], containers: [{ image: 'nginx:1.27', name: 'nginx' }] } } },
    });
    assert.deepEqual(containersOf(patched), [{ ...nginx, image: 'nginx:1.27' }, { name: 'side', image: 'b' }]);
  });

  void it('adds and removes env entries by name', () => {
    const patched = smp(deployment([nginx]), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ name: 'nginx', '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'B', value: '2' }, { $patch: 'delete', name: 'A' }] }],
          },
        },
      },
    });
    assert.deepEqual(containersOf(patched), [{ ...nginx, env: [{ name: 'B', value: '2' }] }]);
  });

  void it('volumes with merge,retainKeys switch the volume source', () => {
    const original = deployment([nginx]);
    (original.spec as { template: { spec: Record<string, unknown> } }).template.spec.volumes = [
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'c' } },
    ];
    const patched = smp(original, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
            volumes: [{ $retainKeys: ['hostPath', 'name'], hostPath: { path: '/x' }, name: 'data' }],
          },
        },
      },
    });
    assert.deepEqual((patched as { spec: { template: { spec: { volumes: unknown } } } }).spec.template.spec.volumes, [
      { name: 'data', hostPath: { path: '/x' } },
      { name: 'cfg', configMap: { name: 'c' } },
    ]);
  });

  void it('strategy with retainKeys clears rollingUpdate when switching to Recreate', () => {
    const original = deployment([nginx], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } });
    const patched = smp(original, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual((patched as { spec: { strategy: unknown } }).spec.strategy, { type: 'Recreate' });
  });

  void it('rejects patch keys missing from $retainKeys with 400', () => {
    assert.throws(
      () => smp(deployment([], { strategy: { type: 'Recreate' } }), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }),
      (e: unknown) => e instanceof PatchError && e.reason === 'BadRequest' && e.message === 'invalid patch format of retainKeys',
    );
  });
});

void describe('applyStrategicMergePatch — rules', () => {
  void it('replaces lists without a patch strategy', () => {
    const patched = smp(deployment([{ name: 'a', args: ['x', 'y'] }]), {
      spec: { template: { spec: { containers: [{ name: 'a', args: ['z'] }] } } },
    });
    assert.deepEqual(containersOf(patched), [{ name: 'a', args: ['z'] }]);
  });

  void it('unions primitive merge lists and deletes with $deleteFromPrimitiveList', () => {
    const original = { metadata: { finalizers: ['a', 'b'] } };
    assert.deepEqual(smp(original, { metadata: { finalizers: ['c', 'a'] } }), { metadata: { finalizers: ['c', 'a', 'b'] } });
    assert.deepEqual(smp(original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), { metadata: { finalizers: ['b'] } });
  });

  void it('merges conditions by type and appends new ones', () => {
    const original = { status: { conditions: [{ type: 'Available', status: 'False', reason: 'x' }] } };
    const patched = smp(original, { status: { conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True' }] } });
    assert.deepEqual(patched, {
      status: { conditions: [{ type: 'Available', status: 'True', reason: 'x' }, { type: 'Progressing', status: 'True' }] },
    });
  });

  void it('$patch: replace on a list element replaces the whole list', () => {
    const patched = smp(deployment([nginx, { name: 'b' }]), {
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'c', image: 'c' }] } } },
    });
    assert.deepEqual(containersOf(patched), [{ name: 'c', image: 'c' }]);
  });

  void it('$patch: replace and delete in maps', () => {
    const original = { metadata: { labels: { a: '1', b: '2' } } };
    assert.deepEqual(smp(original, { metadata: { labels: { $patch: 'replace', c: '3' } } }), { metadata: { labels: { c: '3' } } });
    assert.deepEqual(smp(original, { metadata: { labels: { $patch: 'delete' } } }), { metadata: { labels: {} } });
    assert.deepEqual(smp(original, { metadata: { labels: { $patch: 'merge', c: '3' } } }), { metadata: { labels: { a: '1', b: '2', c: '3' } } });
  });

  void it('orders merged elements by $setElementOrder', () => {
    const patched = smp(deployment([{ name: 'a' }, { name: 'b' }, { name: 'c' }]), {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } } },
    });
    assert.deepEqual(containersOf(patched), [{ name: 'c' }, { name: 'a' }, { name: 'b' }]);
  });

  void it('treats fields without schema like JSON merge patch', () => {
    const patched = smp({ spec: { extra: { list: [1, 2], keep: true } } }, { spec: { extra: { list: [3], gone: null } } });
    assert.deepEqual(patched, { spec: { extra: { list: [3], keep: true } } });
  });

  void it('drops directives and nulls from new values', () => {
    const patched = smp({}, { spec: { template: { spec: { containers: [{ name: 'a', image: null }, { $patch: 'delete', name: 'b' }] } } } });
    assert.deepEqual(patched, { spec: { template: { spec: { containers: [{ name: 'a' }] } } } });
  });

  void it('does not mutate its inputs', () => {
    const original = deployment([nginx]);
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } };
    const before = JSON.stringify([original, patch]);
    smp(original, patch);
    assert.equal(JSON.stringify([original, patch]), before);
  });

  void it('fails on a list element without its merge key and on non-object patches', () => {
    assert.throws(() => smp(deployment([nginx]), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), PatchError);
    assert.throws(() => smp({}, [1]), (e: unknown) => e instanceof PatchError && e.reason === 'BadRequest');
  });
});
