import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, it } from 'node:test';
import type { ContainerStatus } from '../runtime/container-runtime.ts';
import { computePodStatus, podPhase, statusChanged, type ContainerView, type PodObservation } from './pod-status.ts';

const now = new Date('2026-01-01T00:00:10Z');

function inst(id: string, state: ContainerStatus['state'], exitCode?: number, reason?: ContainerStatus['reason']): ContainerStatus {
  return {
    id, state, exitCode, reason, createdAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:01.123Z',
    finishedAt: state === 'exited' ? '2026-01-01T00:00:02.000Z' : undefined,
    podUid: 'u', podNamespace: 'ns', podName: 'p', containerName: 'c', labels: {},
  };
}

function view(partial: Partial<ContainerView>): ContainerView {
  return { name: 'c', image: 'busybox', restartCount: 0, readinessOk: true, startupOk: true, ...partial };
}

function obs(app: ContainerView[], init: ContainerView[] = []): PodObservation {
  return { app, init, podIP: '10.0.0.2', hostIP: '127.0.0.1', now, sandboxReady: true };
}

const pod = (restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always'): Pod => ({ metadata: { name: 'p' }, spec: { restartPolicy, containers: [{ name: 'c' }] }, status: { qosClass: 'BestEffort' } });

describe('podPhase', () => {
  it('is Pending while a container waits to be created or an init container runs', () => {
    assert.equal(podPhase(pod(), obs([view({})])), 'Pending');
    assert.equal(podPhase(pod(), obs([view({})], [view({ latest: inst('i', 'running') })])), 'Pending');
  });

  it('follows the restart policy once containers exited', () => {
    const ok = view({ latest: inst('a', 'exited', 0, 'Completed') });
    const bad = view({ latest: inst('a', 'exited', 3, 'Error') });
    assert.equal(podPhase(pod('Never'), obs([ok])), 'Succeeded');
    assert.equal(podPhase(pod('Never'), obs([bad])), 'Failed');
    assert.equal(podPhase(pod('OnFailure'), obs([bad])), 'Running');
    assert.equal(podPhase(pod('OnFailure'), obs([ok])), 'Succeeded');
    assert.equal(podPhase(pod('Always'), obs([ok])), 'Running');
    assert.equal(podPhase(pod('Never'), obs([view({})], [bad])), 'Failed', 'a failed init container fails a Never pod');
  });

  it('keeps a crash-looping pod Running', () => {
    const v = view({ latest: inst('a', 'exited', 1, 'Error'), restartCount: 3, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } });
    assert.equal(podPhase(pod(), obs([v])), 'Running');
  });
});

describe('computePodStatus', () => {
  it('writes running state, ready, conditions, IPs and keeps qosClass', () => {
    const s = computePodStatus(pod(), obs([view({ latest: inst('abc', 'running'), imageID: 'sha256:1' })]));
    assert.equal(s.phase, 'Running');
    assert.equal(s.qosClass, 'BestEffort');
    assert.equal(s.podIP, '10.0.0.2');
    assert.deepEqual(s.podIPs, [{ ip: '10.0.0.2' }]);
    assert.equal(s.hostIP, '127.0.0.1');
    assert.equal(s.startTime, '2026-01-01T00:00:10Z');
    const cs = s.containerStatuses?.[0];
    assert.deepEqual(cs?.state, { running: { startedAt: '2026-01-01T00:00:01Z' } });
    assert.equal(cs?.containerID, 'runc://abc');
    assert.equal(cs?.ready, true);
    assert.equal(cs?.started, true);
    for (const t of ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'PodReadyToStartContainers']) {
      assert.equal(s.conditions?.find((c) => c.type === t)?.status, 'True', t);
    }
  });

  it('shows CrashLoopBackOff as waiting with the last termination in lastState', () => {
    const s = computePodStatus(pod(), obs([view({ latest: inst('a2', 'exited', 1, 'Error'), restartCount: 2, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } })]));
    const cs = s.containerStatuses?.[0];
    assert.deepEqual(cs?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } });
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    assert.equal(cs?.restartCount, 2);
    assert.equal(cs?.ready, false);
    assert.equal(s.conditions?.find((c) => c.type === 'Ready')?.reason, 'ContainersNotReady');
  });

  it('reports OOMKilled terminations and the previous instance as lastState', () => {
    const s = computePodStatus(pod(), obs([view({ latest: inst('a1', 'running'), previous: inst('a0', 'exited', 137, 'OOMKilled'), restartCount: 1 })]));
    assert.equal(s.containerStatuses?.[0]?.lastState?.terminated?.reason, 'OOMKilled');
    assert.equal(s.containerStatuses?.[0]?.lastState?.terminated?.exitCode, 137);
  });

  it('is not ready while the readiness probe fails', () => {
    const s = computePodStatus(pod(), obs([view({ latest: inst('a', 'running'), readinessOk: false })]));
    assert.equal(s.containerStatuses?.[0]?.ready, false);
    assert.equal(s.conditions?.find((c) => c.type === 'ContainersReady')?.status, 'False');
  });

  it('keeps transition times of unchanged conditions, so an unchanged pod needs no write', () => {
    const o = obs([view({ latest: inst('a', 'running') })]);
    const first = computePodStatus(pod(), o);
    const later = computePodStatus({ ...pod(), status: first }, { ...o, now: new Date('2026-01-01T00:05:00Z') });
    assert.equal(statusChanged(first, later), false);
    const notReady = computePodStatus({ ...pod(), status: first }, { ...o, app: [view({ latest: inst('a', 'running'), readinessOk: false })], now: new Date('2026-01-01T00:05:00Z') });
    assert.equal(notReady.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(statusChanged(first, notReady), true);
    // Key order and dropped nulls/empty objects as the server returns them do not count as changes.
    const roundTrip = JSON.parse(JSON.stringify(first, Object.keys(first).sort())) as typeof first;
    assert.equal(statusChanged({ ...roundTrip, ...first }, first), false);
  });
});
