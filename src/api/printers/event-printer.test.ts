import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventPrinter } from './event-printer.ts';
import { NOW, ago, dur, headers, object } from './test-builders.ts';

test('event columns put LAST SEEN first and NAME last (wide)', () => {
  assert.deepEqual(headers(eventPrinter), { normal: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], wide: ['SUBOBJECT', 'SOURCE', 'FIRST SEEN', 'COUNT', 'NAME'] });
  assert.equal(eventPrinter.columns.find((c) => c.name === 'Name')?.format, 'name');
});

test('core event with timestamps, source and count', () => {
  const ev = object('v1', 'Event', 'web-0.17f', dur({ m: 10 }), {
    involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx"\n',
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(dur({ m: 10 })),
    lastTimestamp: ago(dur({ m: 2 })),
    count: 4,
  });
  assert.deepEqual(eventPrinter.cells(ev, NOW), ['2m', 'Normal', 'Pulled', 'pod/web-0', 'spec.containers{app}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '10m', 4, 'web-0.17f']);
});

test('events without legacy timestamps fall back to eventTime, series and reporting controller', () => {
  const single = object('v1', 'Event', 'e1', 0, {
    involvedObject: { kind: 'Node' },
    reason: 'Starting',
    type: 'Normal',
    eventTime: ago(dur({ s: 30 })),
    reportingComponent: 'kube-proxy',
  });
  assert.deepEqual(eventPrinter.cells(single, NOW), ['30s', 'Normal', 'Starting', 'node', '', 'kube-proxy', '', '30s', 1, 'e1']);
  const series = object('v1', 'Event', 'e2', 0, { involvedObject: { kind: 'Pod', name: 'p' }, series: { count: 7, lastObservedTime: ago(dur({ s: 5 })) } });
  assert.deepEqual([eventPrinter.cells(series, NOW)[0], eventPrinter.cells(series, NOW)[8], eventPrinter.cells(series, NOW)[7]], ['5s', 7, '<unknown>']);
});

test('events.k8s.io/v1 events print like their core form', () => {
  const ev = object('events.k8s.io/v1', 'Event', 'web.1', dur({ m: 1 }), {
    regarding: { kind: 'Deployment', name: 'web' },
    reason: 'ScalingReplicaSet',
    note: 'Scaled up replica set web-6d4b to 3',
    type: 'Normal',
    eventTime: ago(dur({ m: 1 })),
    reportingController: 'deployment-controller',
    reportingInstance: 'cp-1',
  });
  assert.deepEqual(eventPrinter.cells(ev, NOW), ['60s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller, cp-1', 'Scaled up replica set web-6d4b to 3', '60s', 1, 'web.1']);
});
