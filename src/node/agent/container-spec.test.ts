import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, it } from 'node:test';
import { containerMounts, containerResources, containerUser, hostsFile } from './container-spec.ts';
import { pullPolicyOf } from './container-starter.ts';
import { authsForImage, registryAuths } from './pull-secrets.ts';

describe('containerResources', () => {
  it('maps cpu request to shares, cpu limit to quota, memory limit to bytes', () => {
    assert.deepEqual(containerResources({ name: 'c', resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '64Mi' } } }), {
      cpuShares: 256, cpuQuotaUs: 50_000, cpuPeriodUs: 100_000, memoryLimitBytes: 67_108_864,
    });
    assert.deepEqual(containerResources({ name: 'c' }), { cpuShares: 2 }, 'best effort: minimum shares');
    assert.equal(containerResources({ name: 'c', resources: { limits: { cpu: '2' } } }).cpuShares, 2048, 'request defaults to the limit');
  });
});

describe('containerUser', () => {
  it('takes the container context over the pod over the image, and adds fsGroup/supplementalGroups', () => {
    const pod: Pod = { spec: { securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000, supplementalGroups: [3000] }, containers: [] } };
    assert.deepEqual(containerUser(pod, { name: 'c', securityContext: { runAsUser: 1234 } }), { uid: 1234, gid: 1000, additionalGids: [3000, 2000] });
    assert.deepEqual(containerUser({ spec: { containers: [] } }, { name: 'c' }, '65534:65534'), { uid: 65534, gid: 65534 });
    assert.equal(containerUser({ spec: { containers: [] } }, { name: 'c' }), undefined);
    // The image user's own groups (from its /etc/group) come along, but not for a runAsUser override.
    assert.deepEqual(containerUser({ spec: { containers: [] } }, { name: 'c' }, '2001:2001', [3001]), { uid: 2001, gid: 2001, additionalGids: [3001] });
    assert.deepEqual(containerUser({ spec: { containers: [] } }, { name: 'c', securityContext: { runAsUser: 5 } }, '2001:2001', [3001]), { uid: 5, gid: 2001 });
  });
});

describe('containerMounts', () => {
  const volumes = new Map([['data', { hostPath: '/h/data', readOnly: false }], ['cfg', { hostPath: '/h/cfg', readOnly: true }], ['kube-api-access-minato', { hostPath: '/h/sa', readOnly: true }]]);
  it('binds volumes (subPath inside the volume), the service-account volume and the pod files', () => {
    const pod: Pod = { spec: { containers: [] } };
    const mounts = containerMounts(pod, { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data', subPath: 'x/y' }, { name: 'cfg', mountPath: '/etc/cfg' }] }, volumes, { hosts: '/h/hosts' });
    assert.deepEqual(mounts, [
      { containerPath: '/data', hostPath: '/h/data/x/y', type: 'bind', readOnly: false },
      { containerPath: '/etc/cfg', hostPath: '/h/cfg', type: 'bind', readOnly: true },
      { containerPath: '/var/run/secrets/kubernetes.io/serviceaccount', hostPath: '/h/sa', type: 'bind', readOnly: true },
      { containerPath: '/etc/hosts', hostPath: '/h/hosts', type: 'bind' },
    ]);
    assert.throws(() => containerMounts(pod, { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/d', subPath: '../../etc' }] }, volumes, {}), /escapes/);
    const noSa = containerMounts({ spec: { automountServiceAccountToken: false, containers: [] } }, { name: 'c' }, volumes, {});
    assert.deepEqual(noSa, []);
  });

  it('writes an /etc/hosts with the pod IP and host aliases', () => {
    const text = hostsFile({ metadata: { name: 'web', namespace: 'ns' }, spec: { containers: [], hostAliases: [{ ip: '10.1.1.1', hostnames: ['a', 'b'] }] } }, '10.0.0.9');
    assert.match(text, /^127\.0\.0\.1\tlocalhost$/m);
    assert.match(text, /^10\.0\.0\.9\tweb$/m);
    assert.match(text, /^10\.1\.1\.1\ta\tb$/m);
  });
});

describe('image pull policy and secrets', () => {
  it('defaults to Always for :latest or untagged images, else IfNotPresent', () => {
    assert.equal(pullPolicyOf({ name: 'c', image: 'busybox' }), 'Always');
    assert.equal(pullPolicyOf({ name: 'c', image: 'busybox:latest' }), 'Always');
    assert.equal(pullPolicyOf({ name: 'c', image: 'localhost:5000/busybox:1' }), 'IfNotPresent');
    assert.equal(pullPolicyOf({ name: 'c', image: 'localhost:5000/busybox' }), 'Always');
    assert.equal(pullPolicyOf({ name: 'c', image: 'busybox', imagePullPolicy: 'Never' }), 'Never');
  });

  it('reads dockerconfigjson auths (basic and token) and matches them to the image registry', () => {
    const doc = { auths: { 'reg.local:5000': { auth: Buffer.from('user:pa:ss').toString('base64') }, 'https://index.docker.io/v1/': { registrytoken: 'tok' }, 'other.io': { identitytoken: 'refresh' } } };
    const auths = registryAuths({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(doc)).toString('base64') } });
    assert.deepEqual(auths, [{ registry: 'reg.local:5000', username: 'user', password: 'pa:ss' }, { registry: 'docker.io', token: 'tok' }, { registry: 'other.io' }]);
    assert.deepEqual(authsForImage('reg.local:5000/app:1', auths).map((a) => a.username), ['user']);
    assert.deepEqual(authsForImage('library/busybox', auths).map((a) => a.token), ['tok']);
    assert.deepEqual(registryAuths({ data: { '.dockerconfigjson': 'bm90IGpzb24=' } }), []);
  });
});
