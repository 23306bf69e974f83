import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadBuiltinDefinitions } from './builtin-schemas.ts';

test('generates the definitions file when it is missing, then reads it', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'minato-schemas-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'nested', 'definitions.json');
  const first = await loadBuiltinDefinitions(file);
  assert.ok(existsSync(file));
  assert.equal(first['io.k8s.api.core.v1.PodSpec']?.properties?.containers?.['x-kubernetes-patch-merge-key'], 'name');
  const second = await loadBuiltinDefinitions(file);
  assert.deepEqual(second, first);
  assert.notEqual(second, first, 'each call returns a fresh object');
});
