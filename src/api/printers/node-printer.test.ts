import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../types.ts';
import { nodePrinter } from './node-printer.ts';
import { NOW, cellMap, dur, headers, object } from './test-builders.ts';

function node(fields: { labels?: Record<string, string>; ready?: string; unschedulable?: boolean; status?: Record<string, unknown> }): KubeObject {
  const conditions = fields.ready === undefined ? [] : [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: fields.ready }];
  return object('v1', 'Node', 'node-1', dur({ d: 3 }), {
    metadata: { namespace: undefined, labels: fields.labels },
    spec: { unschedulable: fields.unschedulable },
    status: { conditions, ...fields.status },
  });
}

test('node columns match kubectl get nodes [-o wide]', () => {
  assert.deepEqual(headers(nodePrinter), {
    normal: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  });
});

test('a ready control-plane node with system info', () => {
  const n = node({
    ready: 'True',
    labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'edge', 'node-role.kubernetes.io/': '' },
    status: {
      addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.33.1', osImage: 'Ubuntu 24.04 LTS', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://2.0.0' },
    },
  });
  assert.deepEqual(nodePrinter.cells(n, NOW), ['node-1', 'Ready', 'control-plane,edge,worker', '3d', 'v1.33.1', '192.168.1.10', '<none>', 'Ubuntu 24.04 LTS', '6.8.0', 'containerd://2.0.0']);
});

test('STATUS: NotReady, Unknown and SchedulingDisabled; ROLES <none>; unknown system info', () => {
  assert.equal(cellMap(nodePrinter, node({ ready: 'False' })).Status, 'NotReady');
  assert.equal(cellMap(nodePrinter, node({ ready: 'Unknown' })).Status, 'NotReady');
  assert.equal(cellMap(nodePrinter, node({})).Status, 'Unknown');
  assert.equal(cellMap(nodePrinter, node({ ready: 'True', unschedulable: true })).Status, 'Ready,SchedulingDisabled');
  const bare = cellMap(nodePrinter, node({}));
  assert.deepEqual([bare.Roles, bare.Version, bare['OS-Image'], bare['Container-Runtime']], ['<none>', '', '<unknown>', '<unknown>']);
});
