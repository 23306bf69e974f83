import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../types.ts';
import { podPrinter } from './pod-printer.ts';
import { NOW, ago, cellMap, dur, headers, object } from './test-builders.ts';

interface PodShape {
  containers?: string[];
  initContainers?: Array<{ name: string; restartPolicy?: string }>;
  phase?: string;
  reason?: string;
  statuses?: unknown[];
  initStatuses?: unknown[];
  conditions?: unknown[];
  deleting?: boolean;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** A pod created 10m ago with the given containers and status. */
function pod(shape: PodShape): KubeObject {
  return object('v1', 'Pod', 'web-0', dur({ m: 10 }), {
    metadata: shape.deleting ? { deletionTimestamp: ago(dur({ s: 5 })) } : {},
    spec: {
      containers: (shape.containers ?? ['app']).map((name) => ({ name, image: `${name}:1` })),
      initContainers: shape.initContainers,
      ...shape.spec,
    },
    status: {
      phase: shape.phase ?? 'Running',
      reason: shape.reason,
      containerStatuses: shape.statuses,
      initContainerStatuses: shape.initStatuses,
      conditions: shape.conditions,
      ...shape.status,
    },
  });
}

const running = (name: string, ready = true, restartCount = 0) => ({ name, ready, restartCount, state: { running: { startedAt: ago(dur({ m: 9 })) } } });
const waiting = (name: string, reason: string, restartCount = 0) => ({ name, ready: false, restartCount, state: { waiting: { reason } } });
const terminated = (name: string, t: Record<string, unknown>) => ({ name, ready: false, restartCount: 0, state: { terminated: t } });

function status(p: KubeObject): unknown {
  return cellMap(podPrinter, p).Status;
}

test('pod columns match kubectl get pods [-o wide]', () => {
  assert.deepEqual(headers(podPrinter), { normal: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] });
  assert.equal(podPrinter.columns[0]?.format, 'name');
});

test('a running pod renders READY, STATUS, RESTARTS, AGE and <none> wide cells', () => {
  const p = pod({ containers: ['app', 'log'], statuses: [running('app'), running('log', false)] });
  assert.deepEqual(podPrinter.cells(p, NOW), ['web-0', '1/2', 'Running', '0', '10m', '<none>', '<none>', '<none>', '<none>']);
});

test('wide cells show pod IP, node, nominated node and readiness gates', () => {
  const p = pod({
    statuses: [running('app')],
    spec: { nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    status: { podIP: '10.1.0.5', nominatedNodeName: 'node-2' },
    conditions: [{ type: 'example.com/lb', status: 'True' }],
  });
  assert.deepEqual(podPrinter.cells(p, NOW).slice(5), ['10.1.0.5', 'node-1', 'node-2', '1/2']);
  const dual = pod({ status: { podIP: '10.1.0.5', podIPs: [{ ip: 'fd00::5' }, { ip: '10.1.0.5' }] } });
  assert.equal(cellMap(podPrinter, dual).IP, 'fd00::5');
});

test('RESTARTS shows the count and how long ago the last container terminated', () => {
  const crashing = { ...waiting('app', 'CrashLoopBackOff', 3), lastState: { terminated: { exitCode: 1, finishedAt: ago(dur({ m: 5 })) } } };
  const cells = cellMap(podPrinter, pod({ statuses: [crashing] }));
  assert.equal(cells.Status, 'CrashLoopBackOff');
  assert.equal(cells.Restarts, '3 (5m ago)');
  assert.equal(cellMap(podPrinter, pod({ statuses: [running('app', true, 2)] })).Restarts, '2');
});

test('STATUS comes from container waiting and terminated reasons', () => {
  assert.equal(status(pod({ phase: 'Pending', statuses: [waiting('app', 'ContainerCreating')] })), 'ContainerCreating');
  assert.equal(status(pod({ phase: 'Pending', statuses: [waiting('app', 'ImagePullBackOff')] })), 'ImagePullBackOff');
  assert.equal(status(pod({ phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })] })), 'Completed');
  assert.equal(status(pod({ phase: 'Failed', statuses: [terminated('app', { exitCode: 1, reason: 'Error' })] })), 'Error');
  assert.equal(status(pod({ statuses: [terminated('app', { exitCode: 2 })] })), 'ExitCode:2');
  assert.equal(status(pod({ statuses: [terminated('app', { exitCode: 137, signal: 9 })] })), 'Signal:9');
  assert.equal(status(pod({ phase: 'Pending' })), 'Pending');
  assert.equal(status(pod({ phase: 'Failed', reason: 'Evicted' })), 'Evicted');
});

test('a completed container beside a running one reports Running or NotReady by the Ready condition', () => {
  const statuses = [running('app'), terminated('job', { exitCode: 0, reason: 'Completed' })];
  const twoContainers = { containers: ['app', 'job'], statuses };
  assert.equal(status(pod({ ...twoContainers, conditions: [{ type: 'Ready', status: 'True' }] })), 'Running');
  assert.equal(status(pod({ ...twoContainers, conditions: [{ type: 'Ready', status: 'False' }] })), 'NotReady');
});

test('init containers give Init:N/M, Init:<reason> and Init:ExitCode', () => {
  const initContainers = [{ name: 'setup' }, { name: 'migrate' }];
  const base = { phase: 'Pending', initContainers, statuses: [waiting('app', 'PodInitializing')] };
  const done = terminated('setup', { exitCode: 0, reason: 'Completed' });
  assert.equal(status(pod({ ...base, initStatuses: [running('setup', false), waiting('migrate', 'PodInitializing')] })), 'Init:0/2');
  assert.equal(status(pod({ ...base, initStatuses: [done, running('migrate', false)] })), 'Init:1/2');
  assert.equal(status(pod({ ...base, initStatuses: [terminated('setup', { exitCode: 1, reason: 'Error' })] })), 'Init:Error');
  assert.equal(status(pod({ ...base, initStatuses: [terminated('setup', { exitCode: 3 })] })), 'Init:ExitCode:3');
  assert.equal(status(pod({ ...base, initStatuses: [waiting('setup', 'CrashLoopBackOff', 4)] })), 'Init:CrashLoopBackOff');
  const restarts = cellMap(podPrinter, pod({ ...base, initStatuses: [waiting('setup', 'CrashLoopBackOff', 4)] })).Restarts;
  assert.equal(restarts, '4');
});

test('restartable init containers (sidecars) count toward READY once started', () => {
  const sidecar = { ...running('proxy'), started: true };
  const p = pod({ initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], initStatuses: [sidecar], statuses: [running('app')] });
  assert.deepEqual(podPrinter.cells(p, NOW).slice(1, 4), ['2/2', 'Running', '0']);
});

test('deletion, node loss and scheduling gates override the status', () => {
  assert.equal(status(pod({ statuses: [running('app')], deleting: true })), 'Terminating');
  assert.equal(status(pod({ phase: 'Succeeded', statuses: [terminated('app', { exitCode: 0, reason: 'Completed' })], deleting: true })), 'Completed');
  assert.equal(status(pod({ reason: 'NodeLost', deleting: true })), 'Unknown');
  assert.equal(status(pod({ reason: 'NodeLost' })), 'NodeLost');
  const gated = pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(status(gated), 'SchedulingGated');
});
