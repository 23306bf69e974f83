import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitErrorMessage } from './failure-message.ts';
import { unresolvable, unschedulable } from './framework/status.ts';

test('FailedScheduling message counts and sorts reasons as upstream prints them', () => {
  const perNode = new Map([
    ['a', unschedulable('Insufficient cpu')],
    ['b', unresolvable("node(s) didn't match Pod's node affinity/selector")],
    ['c', unschedulable('Insufficient cpu', 'Insufficient memory')],
  ]);
  assert.equal(
    fitErrorMessage(3, perNode, undefined, '0/3 nodes are available: 3 No preemption victims found for incoming pod.'),
    "0/3 nodes are available: 2 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
  );
  assert.equal(fitErrorMessage(0, new Map(), undefined, undefined), '0/0 nodes are available: no nodes available to schedule pods.');
});
