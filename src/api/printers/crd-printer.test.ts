import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customResourcePrinter } from './crd-printer.ts';
import { NOW, ago, dur, object } from './test-builders.ts';

const columns = [
  { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Whether it is ready' },
  { name: 'Ratio', type: 'number', jsonPath: '.status.ratio', priority: 1 },
  { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
  { name: 'Endpoints', type: 'string', jsonPath: '.status.endpoints' },
  { name: 'Last Backup', type: 'date', jsonPath: '.status.lastBackup' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

test('CRD columns follow Name with each printer column', () => {
  const printer = customResourcePrinter(columns);
  assert.deepEqual(
    printer.columns.map((c) => [c.name, c.type, c.priority]),
    [['Name', 'string', 0], ['Replicas', 'integer', 0], ['Ready', 'string', 0], ['Ratio', 'number', 1], ['Paused', 'boolean', 0], ['Endpoints', 'string', 0], ['Last Backup', 'date', 0], ['Age', 'date', 0]],
  );
  assert.equal(printer.columns[1]?.description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
  assert.equal(printer.columns[2]?.description, 'Whether it is ready');
});

test('cells are typed as the CRD table convertor types them; dates become ages', () => {
  const printer = customResourcePrinter(columns);
  const cr = object('example.com/v1', 'Database', 'pg', dur({ d: 2, h: 3 }), {
    spec: { replicas: 3.7, paused: false },
    status: { conditions: [{ type: 'Ready', status: 'True' }], ratio: 0.5, endpoints: ['a', { b: 1, a: 2 }], lastBackup: ago(dur({ m: 5 })) },
  });
  assert.deepEqual(printer.cells(cr, NOW), ['pg', 3, 'True', 0.5, false, '["a",{"a":2,"b":1}]', '5m', '2d3h']);
});

test('missing values are null, mismatched types are null, bad dates are <invalid>', () => {
  const printer = customResourcePrinter(columns);
  const cr = object('example.com/v1', 'Database', 'empty', 0, { spec: { replicas: 'three', paused: 'no' }, status: { lastBackup: 'yesterday', endpoints: 42 } });
  assert.deepEqual(printer.cells(cr, NOW), ['empty', null, null, null, null, '42', '<invalid>', '0s']);
});

test('a CRD version without printer columns is served with an Age column', () => {
  for (const printer of [customResourcePrinter([]), customResourcePrinter(undefined)]) {
    assert.deepEqual(printer.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
    assert.deepEqual(printer.cells(object('example.com/v1', 'Widget', 'w', dur({ h: 3, m: 5 })), NOW), ['w', '3h5m']);
  }
});

test('an unparsable JSONPath keeps its header and prints null', () => {
  const printer = customResourcePrinter([{ name: 'Broken', type: 'string', jsonPath: '.spec[?(' }]);
  assert.deepEqual(printer.cells(object('example.com/v1', 'Widget', 'w', 0), NOW), ['w', null]);
});
