import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SwaggerV2Document } from '../v2-types.ts';
import { encodeSwaggerV2Protobuf } from './encode-document.ts';
import { encodeSchema } from './encode-schema.ts';
import { ANY, DOCUMENT, NAMED, NAMED_SCHEMAS, NON_BODY_PARAMETER, OPERATION, PARAMETER, PARAMETERS_ITEM, PATH_ITEM, PATHS, QUERY_PARAMETER, SCHEMA } from './messages.ts';
import { messageOf, messagesOf, numberOf, readFields, stringOf, stringsOf } from './wire-reader.ts';
import { encodeVarint, message, messageField, oneofBoolField, stringField } from './wire-writer.ts';

/** Follows singular message fields down a path of field numbers; fails the test when one is absent. */
function dig(buf: Buffer, ...fieldNumbers: number[]): Buffer {
  return fieldNumbers.reduce((current, n) => {
    const next = messageOf(current, n);
    assert.ok(next, `field ${n} present`);
    return next;
  }, buf);
}

/** Decodes repeated NamedX pairs into [name, value-bytes] entries. */
function named(entries: Buffer[]): Array<[string, Buffer]> {
  return entries.map((e) => [stringOf(e, NAMED.name), dig(e, NAMED.value)]);
}

function extensions(buf: Buffer, fieldNumber: number): Record<string, unknown> {
  return Object.fromEntries(named(messagesOf(buf, fieldNumber)).map(([k, v]) => [k, JSON.parse(stringOf(v, ANY.yaml)) as unknown]));
}

describe('wire encoding', () => {
  it('writes varints as base-128 groups, low bits first', () => {
    assert.deepEqual([...encodeVarint(0)], [0]);
    assert.deepEqual([...encodeVarint(150)], [0x96, 0x01]);
    assert.deepEqual([...encodeVarint(2 ** 35)], [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    assert.throws(() => encodeVarint(-1), RangeError);
  });

  it('matches the protobuf reference bytes for a string field', () => {
    // field 2, wire type 2, length 7, "testing" — the example from the protobuf encoding guide.
    assert.equal(message(stringField(2, 'testing')).toString('hex'), '120774657374696e67');
  });

  it('round-trips nested messages and explicit false in a oneof', () => {
    const encoded = message(stringField(1, 'outer'), messageField(5, message(oneofBoolField(2, false), stringField(3, 'inner ✓'))));
    const inner = messageOf(encoded, 5);
    assert.ok(inner);
    assert.deepEqual(readFields(inner).map((f) => [f.fieldNumber, f.wireType]), [[2, 0], [3, 2]]);
    assert.equal(stringOf(inner, 3), 'inner ✓');
    assert.equal(stringOf(encoded, 1), 'outer');
  });

  it('rejects truncated input', () => {
    assert.throws(() => readFields(Buffer.from([0x12, 0x05, 0x61])), RangeError);
  });
});

describe('encodeSchema', () => {
  it('encodes type, properties, items, numbers and vendor extensions', () => {
    const buf = encodeSchema({
      type: 'object',
      description: 'A thing.',
      required: ['name'],
      properties: { name: { type: 'string', maxLength: 63 }, ports: { type: 'array', items: { $ref: '#/definitions/P' }, 'x-kubernetes-list-type': 'map' } },
      additionalProperties: false,
      minimum: 0.5,
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Thing', version: 'v1' }],
    });
    assert.equal(stringOf(buf, SCHEMA.description), 'A thing.');
    assert.deepEqual(stringsOf(dig(buf, SCHEMA.type), 1), ['object']);
    assert.deepEqual(stringsOf(buf, SCHEMA.required), ['name']);
    assert.equal(numberOf(buf, SCHEMA.minimum), 0.5);
    const props = named(messagesOf(dig(buf, SCHEMA.properties), NAMED_SCHEMAS.additionalProperties));
    assert.deepEqual(props.map(([n]) => n), ['name', 'ports']);
    const [[, name], [, ports]] = props as [[string, Buffer], [string, Buffer]];
    assert.equal(numberOf(name, SCHEMA.maxLength), 63);
    assert.equal(stringOf(dig(ports, SCHEMA.items, 1), SCHEMA.ref), '#/definitions/P');
    assert.deepEqual(extensions(ports, SCHEMA.vendorExtension), { 'x-kubernetes-list-type': 'map' });
    assert.deepEqual(extensions(buf, SCHEMA.vendorExtension), { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Thing', version: 'v1' }] });
    assert.deepEqual(readFields(dig(buf, SCHEMA.additionalProperties)), [{ fieldNumber: 2, wireType: 0, value: 0 }]);
  });
});

describe('encodeSwaggerV2Protobuf', () => {
  const doc: SwaggerV2Document = {
    swagger: '2.0',
    info: { title: 'Minato', version: 'v1' },
    paths: {
      '/api/v1/namespaces/{namespace}/pods/{name}': {
        parameters: [{ name: 'name', in: 'path', required: true, type: 'string' }],
        patch: {
          consumes: ['application/strategic-merge-patch+json'],
          parameters: [{ name: 'fieldValidation', in: 'query', type: 'string' }],
          responses: { '200': { description: 'OK' } },
          'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' },
        },
      },
    },
    definitions: { 'io.k8s.api.core.v1.Pod': { type: 'object', properties: { kind: { type: 'string' } } } },
  };
  const buf = encodeSwaggerV2Protobuf(doc);

  it('writes the header, definitions and paths', () => {
    assert.equal(stringOf(buf, DOCUMENT.swagger), '2.0');
    const defs = named(messagesOf(dig(buf, DOCUMENT.definitions), NAMED_SCHEMAS.additionalProperties));
    assert.deepEqual(defs.map(([n]) => n), ['io.k8s.api.core.v1.Pod']);
    const paths = named(messagesOf(dig(buf, DOCUMENT.paths), PATHS.path));
    assert.deepEqual(paths.map(([n]) => n), ['/api/v1/namespaces/{namespace}/pods/{name}']);
    const patch = dig(paths[0]?.[1] ?? Buffer.alloc(0), PATH_ITEM.patch);
    assert.deepEqual(stringsOf(patch, OPERATION.consumes), ['application/strategic-merge-patch+json']);
    assert.deepEqual(extensions(patch, OPERATION.vendorExtension), { 'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' } });
  });

  it('nests a query parameter as ParametersItem → Parameter → NonBodyParameter → QueryParameterSubSchema', () => {
    const paths = named(messagesOf(dig(buf, DOCUMENT.paths), PATHS.path));
    const patch = dig(paths[0]?.[1] ?? Buffer.alloc(0), PATH_ITEM.patch);
    const [item] = messagesOf(patch, OPERATION.parameters);
    const query = dig(item ?? Buffer.alloc(0), PARAMETERS_ITEM.parameter, PARAMETER.nonBodyParameter, NON_BODY_PARAMETER.queryParameterSubSchema);
    assert.equal(stringOf(query, QUERY_PARAMETER.name), 'fieldValidation');
    assert.equal(stringOf(query, QUERY_PARAMETER.in), 'query');
  });
});
