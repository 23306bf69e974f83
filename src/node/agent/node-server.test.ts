import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerStatus } from '../runtime/container-runtime.ts';
import { instancesOf, runningByPod } from './node-server.ts';

const c = (id: string, attempt: number, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  id, state: 'exited', createdAt: '', podUid: 'u', podNamespace: 'ns', podName: 'p', containerName: 'c', labels: { 'minato.io/restart-count': String(attempt) }, ...extra,
});

describe('node server lookups', () => {
  it('orders a container\'s instances newest first and ignores an earlier pod of the same name', () => {
    const all = [c('a0', 0), c('a2', 2), c('a1', 1), c('old', 5, { podUid: 'gone' })];
    assert.deepEqual(instancesOf(all, 'ns', 'p', 'c', 'u').map((i) => i.id), ['a2', 'a1', 'a0']);
    assert.deepEqual(instancesOf(all, 'ns', 'p', 'other'), []);
  });

  it('lists running containers by pod', () => {
    const all = [c('a', 0, { state: 'running' }), c('b', 0, { state: 'exited', containerName: 'd' }), c('x', 0, { state: 'running', podUid: 'v', podName: 'q' })];
    assert.deepEqual(runningByPod(all), [
      { namespace: 'ns', name: 'p', uid: 'u', containers: [{ name: 'c', id: 'a' }] },
      { namespace: 'ns', name: 'q', uid: 'v', containers: [{ name: 'c', id: 'x' }] },
    ]);
  });
});
