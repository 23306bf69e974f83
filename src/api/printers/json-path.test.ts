import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, parsePath } from './json-path.ts';

const doc = {
  metadata: { name: 'db', labels: { 'app.kubernetes.io/name': 'pg' } },
  spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] },
  status: {
    conditions: [
      { type: 'Synced', status: 'True', age: 3 },
      { type: 'Ready', status: 'False', age: 9 },
    ],
  },
};

function find(path: string): unknown[] {
  return evaluate(parsePath(path), doc);
}

test('fields, indexes, wildcards and quoted keys', () => {
  assert.deepEqual(find('.spec.replicas'), [3]);
  assert.deepEqual(find('{.spec.replicas}'), [3]);
  assert.deepEqual(find('$.metadata.name'), ['db']);
  assert.deepEqual(find('.spec.ports[1].port'), [443]);
  assert.deepEqual(find('.spec.ports[-1].port'), [443]);
  assert.deepEqual(find('.spec.ports[*].port'), [80, 443]);
  assert.deepEqual(find(".metadata.labels['app.kubernetes.io/name']"), ['pg']);
  assert.deepEqual(find('..port'), [80, 443]);
});

test('filters select list items by a field', () => {
  assert.deepEqual(find('.status.conditions[?(@.type=="Ready")].status'), ['False']);
  assert.deepEqual(find(".status.conditions[?(@.type == 'Synced')].status"), ['True']);
  assert.deepEqual(find('.status.conditions[?(@.type!="Ready")].type'), ['Synced']);
  assert.deepEqual(find('.status.conditions[?(@.age>5)].type'), ['Ready']);
  assert.deepEqual(find('.status.conditions[?(@.reason)].type'), []);
});

test('missing keys yield nothing and bad syntax throws', () => {
  assert.deepEqual(find('.spec.missing.deeper'), []);
  assert.deepEqual(find('.spec.ports[5]'), []);
  assert.throws(() => parsePath('.spec[?(@.x=="a"'));
  assert.throws(() => parsePath('spec'));
});
