import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_RESOURCES } from '../builtin-resources.ts';
import { defaultPrinter, printerFor } from './printer-registry.ts';
import { podPrinter } from './pod-printer.ts';
import { eventPrinter } from './event-printer.ts';
import { NOW, dur, object } from './test-builders.ts';

test('printerFor finds built-in printers by group and kind', () => {
  assert.equal(printerFor('', 'Pod'), podPrinter);
  assert.equal(printerFor('', 'Event'), eventPrinter);
  assert.equal(printerFor('events.k8s.io', 'Event'), eventPrinter);
  assert.equal(printerFor('apps', 'Pod'), defaultPrinter);
  assert.equal(printerFor('autoscaling', 'HorizontalPodAutoscaler').columns[2]?.name, 'Targets');
});

test('kinds without an upstream printer get NAME and Created At', () => {
  for (const [group, kind] of [['rbac.authorization.k8s.io', 'Role'], ['rbac.authorization.k8s.io', 'ClusterRole'], ['', 'LimitRange'], ['apiextensions.k8s.io', 'CustomResourceDefinition']] as const) {
    assert.equal(printerFor(group, kind), defaultPrinter, `${group}/${kind}`);
  }
  assert.deepEqual(
    defaultPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [['Name', 'string', 'name', 0], ['Created At', 'date', '', 0]],
  );
  const role = object('rbac.authorization.k8s.io/v1', 'Role', 'reader', 0, { metadata: { creationTimestamp: '2025-05-31T08:15:30.123Z' } });
  assert.deepEqual(defaultPrinter.cells(role, NOW), ['reader', '2025-05-31T08:15:30Z']);
  assert.deepEqual(defaultPrinter.cells({ metadata: { name: 'x' } }, NOW), ['x', '0001-01-01T00:00:00Z']);
});

test('every printer yields one cell per column for a bare object of each served kind', () => {
  for (const r of BUILTIN_RESOURCES) {
    const printer = printerFor(r.group, r.kind);
    const apiVersion = r.group === '' ? r.version : `${r.group}/${r.version}`;
    const cells = printer.cells(object(apiVersion, r.kind, 'bare', dur({ m: 1 })), NOW);
    assert.equal(cells.length, printer.columns.length, `${apiVersion} ${r.kind}`);
    assert.equal(printer.columns.filter((c) => c.format === 'name').length, 1, `${r.kind} has one name column`);
  }
});
