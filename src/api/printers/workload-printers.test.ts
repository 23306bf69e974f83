import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workload-printers.ts';
import { NOW, dur, headers, object } from './test-builders.ts';

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }], nodeSelector: { 'kubernetes.io/os': 'linux' } },
};
const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] };

test('deployment: READY ready/desired, UP-TO-DATE, AVAILABLE, wide containers and selector', () => {
  assert.deepEqual(headers(deploymentPrinter), { normal: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] });
  const d = object('apps/v1', 'Deployment', 'web', dur({ h: 3, m: 5 }), {
    spec: { replicas: 3, selector, template },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  });
  assert.deepEqual(deploymentPrinter.cells(d, NOW), ['web', '2/3', 3, 2, '3h5m', 'web,log', 'nginx:1.27,busybox', 'app=web,tier in (be,fe)']);
  const fresh = object('apps/v1', 'Deployment', 'new', dur({ s: 5 }), { spec: { replicas: 1 } });
  assert.deepEqual(deploymentPrinter.cells(fresh, NOW), ['new', '0/1', 0, 0, '5s', '', '', '']);
});

test('replicaset and replicationcontroller: DESIRED CURRENT READY', () => {
  assert.deepEqual(headers(replicaSetPrinter).normal, ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
  const rs = object('apps/v1', 'ReplicaSet', 'web-6d4b', dur({ d: 2, h: 3 }), { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 1 } });
  assert.deepEqual(replicaSetPrinter.cells(rs, NOW), ['web-6d4b', 3, 3, 1, '2d3h', 'web,log', 'nginx:1.27,busybox', 'app=web']);
  const rc = object('v1', 'ReplicationController', 'old', dur({ d: 45 }), { spec: { replicas: 2, selector: { app: 'old' }, template }, status: { replicas: 2 } });
  assert.deepEqual(replicationControllerPrinter.cells(rc, NOW), ['old', 2, 2, 0, '45d', 'web,log', 'nginx:1.27,busybox', 'app=old']);
});

test('statefulset: READY ready/desired and wide containers', () => {
  assert.deepEqual(headers(statefulSetPrinter), { normal: ['NAME', 'READY', 'AGE'], wide: ['CONTAINERS', 'IMAGES'] });
  const sts = object('apps/v1', 'StatefulSet', 'db', dur({ m: 5 }), { spec: { replicas: 3, template }, status: { readyReplicas: 3 } });
  assert.deepEqual(statefulSetPrinter.cells(sts, NOW), ['db', '3/3', '5m', 'web,log', 'nginx:1.27,busybox']);
});

test('daemonset: scheduling counts, NODE SELECTOR and <none> selector', () => {
  assert.deepEqual(headers(daemonSetPrinter).normal, ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
  const ds = object('apps/v1', 'DaemonSet', 'agent', dur({ h: 1 }), {
    spec: { template, selector: {} },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  });
  assert.deepEqual(daemonSetPrinter.cells(ds, NOW), ['agent', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '60m', 'web,log', 'nginx:1.27,busybox', '<none>']);
});

test('controllerrevision: CONTROLLER as kind.group/name', () => {
  const owned = object('apps/v1', 'ControllerRevision', 'db-7f9', dur({ m: 3 }), {
    metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] },
    revision: 2,
  });
  assert.deepEqual(controllerRevisionPrinter.cells(owned, NOW), ['db-7f9', 'statefulset.apps/db', 2, '3m']);
  const orphan = object('apps/v1', 'ControllerRevision', 'x', dur({ m: 3 }), { revision: 1 });
  assert.equal(controllerRevisionPrinter.cells(orphan, NOW)[1], '<none>');
});

test('podtemplate: CONTAINERS IMAGES POD LABELS', () => {
  const pt = object('v1', 'PodTemplate', 'tpl', 0, { template });
  assert.deepEqual(podTemplatePrinter.cells(pt, NOW), ['tpl', 'web,log', 'nginx:1.27,busybox', 'app=web']);
});
