import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import { reconcileHealthTaints, TAINT_NOT_READY, TAINT_UNREACHABLE } from './node-health.ts';
import { evictionDecision } from './taint-eviction.ts';

const taint: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' };
const withTolerations = (tolerations: NonNullable<Pod['spec']>['tolerations']): Pod => ({ spec: { containers: [], tolerations } });

test('NoExecute eviction: untolerated now, tolerationSeconds after the taint, no seconds never', () => {
  assert.deepEqual(evictionDecision(withTolerations([]), [taint]), { kind: 'now' });
  assert.deepEqual(evictionDecision(withTolerations([{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]), [taint]), { kind: 'at', atMs: Date.parse('2026-01-01T00:05:00Z') });
  assert.deepEqual(evictionDecision(withTolerations([{ operator: 'Exists' }]), [taint]), { kind: 'never' });
});

test('health taints follow Ready and leave other taints alone', () => {
  const other: Taint = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
  const added = reconcileHealthTaints([other], TAINT_UNREACHABLE, 0);
  assert.deepEqual(added?.map((t) => `${t.key}:${t.effect}`), ['dedicated:NoSchedule', `${TAINT_UNREACHABLE}:NoSchedule`, `${TAINT_UNREACHABLE}:NoExecute`]);
  assert.equal(reconcileHealthTaints(added, TAINT_UNREACHABLE, 0), undefined);
  assert.deepEqual(reconcileHealthTaints(added, TAINT_NOT_READY, 0)?.map((t) => t.key), ['dedicated', TAINT_NOT_READY, TAINT_NOT_READY]);
  assert.deepEqual(reconcileHealthTaints(added, undefined, 0), [other]);
});
