import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeAtomically } from './atomic-writer.ts';
import { configMapFiles, downwardFiles, MissingSourceError, secretFiles } from './projection.ts';
import { serviceAccountProjection } from './service-account-volume.ts';

const text = (files: Array<{ path: string; content: Buffer; mode: number }>) => files.map((f) => [f.path, f.content.toString(), f.mode.toString(8)]);

describe('projection', () => {
  it('projects every key, or only items (with their modes), of a ConfigMap', () => {
    const cm = { data: { a: 'A', b: 'B' }, binaryData: { bin: Buffer.from([1, 2]).toString('base64') } };
    assert.deepEqual(text(configMapFiles(cm, {}, 0o644)), [['a', 'A', '644'], ['b', 'B', '644'], ['bin', '\u0001\u0002', '644']]);
    assert.deepEqual(text(configMapFiles(cm, { items: [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }] }, 0o644)), [['dir/b.txt', 'B', '600']]);
    assert.throws(() => configMapFiles(cm, { items: [{ key: 'zz', path: 'z' }] }, 0o644), MissingSourceError);
    assert.deepEqual(configMapFiles(cm, { items: [{ key: 'zz', path: 'z' }], optional: true }, 0o644), []);
    assert.throws(() => configMapFiles(undefined, { name: 'x' }, 0o644), /configmap x not found/);
    assert.throws(() => configMapFiles(cm, { items: [{ key: 'a', path: '../escape' }] }, 0o644), /invalid projected path/);
  });

  it('decodes Secret data', () => {
    const s = { data: { pw: Buffer.from('secret!').toString('base64') } };
    assert.deepEqual(text(secretFiles(s, {}, 0o400)), [['pw', 'secret!', '400']]);
    assert.deepEqual(secretFiles(undefined, { optional: true }, 0o400), []);
  });

  it('renders downward API files (labels in k="v" lines, resources with divisors)', () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'ns', labels: { b: '2', a: '1' } }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '128Mi' } } }] } };
    const files = downwardFiles(pod, [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
      { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
    ], 0o644, { allocatableCpu: '2', allocatableMemory: '4Gi' });
    assert.deepEqual(text(files), [['labels', 'a="1"\nb="2"', '644'], ['ns', 'ns', '644'], ['mem', '128', '644']]);
  });

  it('gives pods the service-account volume unless they opt out', () => {
    assert.deepEqual(serviceAccountProjection({ spec: { containers: [{ name: 'c' }] } })?.sources?.map((s) => Object.keys(s)[0]), ['serviceAccountToken', 'configMap', 'downwardAPI']);
    assert.equal(serviceAccountProjection({ spec: { automountServiceAccountToken: false, containers: [] } }), undefined);
  });
});

describe('writeAtomically', () => {
  it('publishes files through ..data, swaps versions atomically and removes the old one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mz-atomic-'));
    try {
      const f = (path: string, s: string) => ({ path, content: Buffer.from(s), mode: 0o640 });
      assert.equal(await writeAtomically(dir, [f('a', '1'), f('sub/b', '2')], 't1'), true);
      assert.equal(await readFile(join(dir, 'a'), 'utf8'), '1');
      assert.equal(await readFile(join(dir, 'sub/b'), 'utf8'), '2');
      assert.equal(await readlink(join(dir, 'a')), '..data/a');
      assert.equal((await stat(join(dir, 'a'))).mode & 0o777, 0o640);
      const v1 = await readlink(join(dir, '..data'));
      assert.equal(await writeAtomically(dir, [f('a', '1'), f('sub/b', '2')], 't2'), false, 'unchanged: no new version');
      assert.equal(await writeAtomically(dir, [f('a', 'changed')], 't3'), true);
      assert.equal(await readFile(join(dir, 'a'), 'utf8'), 'changed');
      const entries = (await readdir(dir)).sort();
      assert.equal(entries.includes(v1), false, 'old version removed');
      assert.equal(entries.includes('sub'), false, 'names that left the projection are gone');
      assert.deepEqual(entries.filter((e) => !e.startsWith('..')), ['a']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
