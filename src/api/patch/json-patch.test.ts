import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalidPatchMessage, PatchError } from './errors.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';

const doc = { metadata: { annotations: { 'a/b': '1', 'c~d': '2' } }, spec: { replicas: 1, list: ['x', 'y'] } };

function failsWith(reason: string, detail: string): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof PatchError);
    assert.equal(e.reason, reason);
    assert.equal(e.detail, detail);
    return true;
  };
}

void describe('applyJsonPatch', () => {
  void it('applies add, remove, replace, move, copy and test', () => {
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/spec/list/-', value: 'z' },
      { op: 'remove', path: '/spec/list/0' },
      { op: 'copy', from: '/spec/replicas', path: '/spec/copied' },
      { op: 'move', from: '/spec/copied', path: '/spec/moved' },
    ]);
    assert.deepEqual(result, { metadata: doc.metadata, spec: { replicas: 3, list: ['y', 'z'], moved: 3 } });
    assert.equal(doc.spec.replicas, 1, 'input is not mutated');
  });

  void it('understands ~0 and ~1 escapes', () => {
    const result = applyJsonPatch(doc, [
      { op: 'remove', path: '/metadata/annotations/a~1b' },
      { op: 'replace', path: '/metadata/annotations/c~0d', value: '3' },
    ]);
    assert.deepEqual((result as typeof doc).metadata.annotations, { 'c~d': '3' });
  });

  void it('reports a failed test as 422 Invalid with the upstream message', () => {
    assert.throws(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/replicas', value: 2 }]), (e: unknown) => {
      failsWith('Invalid', 'testing value /spec/replicas failed: test failed')(e);
      assert.equal((e as PatchError).message, invalidPatchMessage);
      assert.equal((e as PatchError).code, 422);
      return true;
    });
  });

  void it('reports missing paths and unknown ops as 422 Invalid', () => {
    assert.throws(
      () => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/nope', value: 1 }]),
      failsWith('Invalid', 'replace operation does not apply: doc is missing path: "/spec/nope": missing value'),
    );
    assert.throws(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope/x' }]), failsWith('Invalid', 'remove operation does not apply: doc is missing path: "/nope/x": missing value'));
    assert.throws(() => applyJsonPatch(doc, [{ op: 'jump', path: '/spec' }]), failsWith('Invalid', 'Unexpected kind: jump'));
  });

  void it('reports a malformed document as 400 BadRequest', () => {
    assert.throws(() => applyJsonPatch(doc, { op: 'add' }), (e: unknown) => e instanceof PatchError && e.reason === 'BadRequest' && e.code === 400);
    assert.throws(() => applyJsonPatch(doc, ['add']), (e: unknown) => e instanceof PatchError && e.reason === 'BadRequest');
  });
});

void describe('applyMergePatch', () => {
  void it('merges maps, deletes with null and replaces lists', () => {
    const result = applyMergePatch(doc, { spec: { replicas: null, list: ['q'], extra: { a: 1 } }, metadata: { annotations: { 'a/b': null } } });
    assert.deepEqual(result, { metadata: { annotations: { 'c~d': '2' } }, spec: { list: ['q'], extra: { a: 1 } } });
    assert.equal(doc.spec.replicas, 1, 'input is not mutated');
  });

  void it('follows RFC 7386 for non-object patches and documents', () => {
    assert.deepEqual(applyMergePatch({ a: 1 }, ['x']), ['x']);
    assert.deepEqual(applyMergePatch('text', { a: { b: null, c: 1 } }), { a: { c: 1 } });
  });
});
