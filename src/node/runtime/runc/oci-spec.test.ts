import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSpec } from '../container-runtime.ts';
import { buildOciSpec, DEFAULT_CAPABILITIES } from './oci-spec.ts';

const base: ContainerSpec = {
  id: 'c1', podUid: 'u1', podNamespace: 'ns', podName: 'pod', containerName: 'app', rootfs: '/r', command: ['sh'],
};
const ctx = { cgroupsPath: '/minato/u1/c1', nofileLimit: 4096 };

describe('OCI spec', () => {
  it('defaults like containerd, with oomScoreAdj 0 and the agent nofile limit', () => {
    const s = buildOciSpec(base, ctx);
    assert.deepEqual(s.process.capabilities.bounding, DEFAULT_CAPABILITIES);
    assert.equal(s.process.oomScoreAdj, 0);
    assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 4096, soft: 4096 }]);
    assert.equal(s.linux.cgroupsPath, '/minato/u1/c1');
    assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount', 'network']);
    assert.ok(s.linux.maskedPaths.includes('/proc/kcore'));
    assert.ok(s.process.env[0]?.startsWith('PATH='));
    assert.equal(s.hostname, 'pod');
    assert.deepEqual(s.linux.resources.devices, [{ allow: false, access: 'rwm' }]);
  });

  it('maps the container spec', () => {
    const s = buildOciSpec({
      ...base, env: { A: '1' }, workingDir: '/w', user: { uid: 7, gid: 8 }, readOnlyRootFilesystem: true,
      capabilities: { add: ['NET_ADMIN'], drop: ['chown', 'CAP_KILL'] }, networkNamespacePath: '/var/run/netns/x', hostname: 'h',
      resources: { cpuShares: 512, cpuQuotaUs: 50000, memoryLimitBytes: 1 << 26, pidsLimit: 10 },
      mounts: [{ type: 'bind', containerPath: '/data', hostPath: '/host', readOnly: true }, { type: 'tmpfs', containerPath: '/t', sizeBytes: 1024 }],
    }, ctx);
    assert.ok(s.process.capabilities.effective.includes('CAP_NET_ADMIN'));
    assert.ok(!s.process.capabilities.effective.includes('CAP_CHOWN') && !s.process.capabilities.effective.includes('CAP_KILL'));
    assert.deepEqual(s.linux.namespaces.at(-1), { type: 'network', path: '/var/run/netns/x' });
    assert.deepEqual(s.linux.resources.cpu, { shares: 512, quota: 50000, period: 100000 });
    assert.deepEqual(s.linux.resources.memory, { limit: 1 << 26, swap: 1 << 26 });
    assert.deepEqual(s.linux.resources.pids, { limit: 10 });
    assert.equal(s.root.readonly, true);
    assert.deepEqual([s.process.user.uid, s.process.user.gid, s.process.cwd], [7, 8, '/w']);
    assert.ok(s.process.env.includes('A=1') && s.process.env.includes('HOSTNAME=h'));
    assert.deepEqual(s.mounts.slice(-2).map((m) => [m.destination, m.type, m.options.at(-1)]), [['/data', 'bind', 'ro'], ['/t', 'tmpfs', 'size=1024']]);
  });

  it('drops ALL, and privileged gets every capability and no masks', () => {
    assert.deepEqual(buildOciSpec({ ...base, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }, ctx).process.capabilities.bounding, ['CAP_NET_BIND_SERVICE']);
    const p = buildOciSpec({ ...base, privileged: true }, ctx);
    assert.ok(p.process.capabilities.bounding.includes('CAP_SYS_ADMIN'));
    assert.deepEqual(p.linux.maskedPaths, []);
    assert.deepEqual(p.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    assert.throws(() => buildOciSpec({ ...base, command: [] }, ctx), /empty command/);
  });
});
