import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, it } from 'node:test';
import type { PodObjectSource } from '../volumes/object-source.ts';
import { containerArgv, containerEnv, EnvConfigError, expandVars } from './env.ts';

const objects: PodObjectSource = {
  configMap: async (_ns, name) => (name === 'cm' ? { data: { A: 'from-cm', B: 'b' } } : undefined),
  secret: async (_ns, name) => (name === 's' ? { data: { PASS: Buffer.from('pw').toString('base64') } } : undefined),
  claim: async () => undefined,
  volume: async () => undefined,
};
const node = { allocatableCpu: '4', allocatableMemory: '8Gi', hostIP: '127.0.0.1' };

describe('expandVars', () => {
  it('expands known $(VAR), keeps unknown ones, and unescapes $$', () => {
    assert.equal(expandVars('$(A)-$(B)', { A: '1', B: '2' }), '1-2');
    assert.equal(expandVars('$(MISSING) x', {}), '$(MISSING) x');
    assert.equal(expandVars('$$(A) $$ $', { A: '1' }), '$(A) $ $');
    assert.equal(expandVars('$(A', { A: '1' }), '$(A');
    assert.equal(expandVars('cost: $5', {}), 'cost: $5');
  });
});

describe('containerEnv', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }] },
  };

  it('layers image env, envFrom with prefix, env with expansion and downward values', async () => {
    const c = {
      name: 'c',
      envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }, { secretRef: { name: 's' } }],
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'MSG', value: '$(POD) in $(NS_UNKNOWN) uses $(CM_A) and $(PATH)' },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ],
    };
    const env = await containerEnv(pod, c, { objects, node, podIP: '10.0.0.5', imageEnv: ['PATH=/bin', 'CM_A=image'] });
    assert.equal(env.CM_A, 'from-cm', 'envFrom overrides the image');
    assert.equal(env.PASS, 'pw');
    assert.equal(env.POD, 'p');
    assert.equal(env.APP, 'web');
    assert.equal(env.MSG, 'p in $(NS_UNKNOWN) uses from-cm and /bin');
    assert.equal(env.MEM, '64');
    assert.equal(env.CPU_M, '250');
    assert.equal(env.CPU_LIMIT, '4', 'no limit: node allocatable');
    assert.equal(env.IP, '10.0.0.5');
  });

  it('fails with CreateContainerConfigError semantics for a missing key, unless optional', async () => {
    await assert.rejects(containerEnv(pod, { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope' } } }] }, { objects, node }), EnvConfigError);
    await assert.rejects(containerEnv(pod, { name: 'c', envFrom: [{ secretRef: { name: 'missing' } }] }, { objects, node }), EnvConfigError);
    const env = await containerEnv(pod, { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope', optional: true } } }] }, { objects, node });
    assert.equal(env.X, undefined);
  });
});

describe('containerArgv', () => {
  const image = { entrypoint: ['/entry'], cmd: ['default-arg'] };
  it('follows Kubernetes command/args over Entrypoint/Cmd', () => {
    assert.deepEqual(containerArgv({ name: 'c' }, image, {}), ['/entry', 'default-arg']);
    assert.deepEqual(containerArgv({ name: 'c', args: ['x'] }, image, {}), ['/entry', 'x']);
    assert.deepEqual(containerArgv({ name: 'c', command: ['sh'] }, image, {}), ['sh']);
    assert.deepEqual(containerArgv({ name: 'c', command: ['echo'], args: ['$(A)'] }, image, { A: 'hi' }), ['echo', 'hi']);
  });
});
