import { ProtobufDecodeError } from './errors.ts';
import { int32, int64, message, strs, str, type FieldDef, type MessageDef, type ValueKind } from './schema.ts';
import { readFields, readPackedVarints, WireType, type WireField } from './wire.ts';

/** The apimachinery helper messages behind the special kinds, decoded then folded into JSON scalars. */
const timestampMessage = message('meta/v1 Time', { 1: int64('seconds'), 2: int32('nanos') });
const quantityMessage = message('resource Quantity', { 1: str('string') });
const intOrStringMessage = message('intstr IntOrString', { 1: int64('type'), 2: int32('intVal'), 3: str('strVal') });
const stringListMessage = message('ExtraValue', { 1: strs('items') });
const mapEntryKey = str('key');

const utf8 = new TextDecoder('utf-8', { fatal: true });
const K8S_PROTOBUF_MAGIC = [0x6b, 0x38, 0x73, 0x00];

function fieldError(failure: 'malformed' | 'unsupported', path: string, detail: string): ProtobufDecodeError {
  return new ProtobufDecodeError(failure, `${detail} (at ${path === '' ? 'the object root' : path})`);
}

function expectedWireType(kind: ValueKind): number {
  return kind === 'bool' || kind === 'int32' || kind === 'int64' ? WireType.varint : WireType.lengthDelimited;
}

function isZero(value: unknown): boolean {
  if (value === '' || value === false || value === 0 || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function decodeText(buf: Uint8Array, path: string): string {
  try {
    return utf8.decode(buf);
  } catch {
    throw fieldError('malformed', path, 'string field is not valid UTF-8');
  }
}

function decodeEmbeddedJson(raw: Uint8Array, path: string): unknown {
  if (raw.length === 0) return undefined;
  if (K8S_PROTOBUF_MAGIC.every((b, i) => raw[i] === b)) {
    throw fieldError('unsupported', path, 'embedded objects encoded as protobuf are not supported');
  }
  try {
    return JSON.parse(decodeText(raw, path));
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw fieldError('malformed', path, 'embedded raw object is not JSON');
  }
}

/** Go's time.Time JSON form: RFC3339 in UTC, seconds precision (Time) or microseconds (MicroTime). */
function formatTimestamp(seconds: number, nanos: number, micro: boolean): string | undefined {
  // An unset metav1.Time travels as an empty message (decoded as the Unix epoch): it means null.
  if (seconds === 0 && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!micro) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function decodeSpecial(kind: ValueKind, buf: Uint8Array, path: string): unknown {
  switch (kind) {
    case 'time':
    case 'microTime': {
      const t = decodeMessage(timestampMessage, buf, path);
      return formatTimestamp(Number(t.seconds ?? 0), Number(t.nanos ?? 0), kind === 'microTime');
    }
    case 'quantity':
      return decodeMessage(quantityMessage, buf, path).string ?? '';
    case 'intOrString': {
      const v = decodeMessage(intOrStringMessage, buf, path);
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
    case 'rawExtension':
    case 'fieldsV1': {
      const raw = readFields(buf).find((f) => f.fieldNumber === 1)?.bytes;
      return raw ? decodeEmbeddedJson(raw, path) : undefined;
    }
    case 'stringList':
      return decodeMessage(stringListMessage, buf, path).items ?? [];
    default:
      throw fieldError('unsupported', path, `no decoder for kind ${kind}`);
  }
}

function decodeVarint(kind: ValueKind, value: bigint): unknown {
  if (kind === 'bool') return value !== 0n;
  return Number(kind === 'int32' ? BigInt.asIntN(32, value) : BigInt.asIntN(64, value));
}

/** Decodes one wire value of `field` (one element, for repeated fields). */
function decodeValue(field: FieldDef, wire: WireField, path: string): unknown {
  if (wire.varint !== undefined) return decodeVarint(field.kind, wire.varint);
  const buf = wire.bytes ?? new Uint8Array();
  switch (field.kind) {
    case 'string':
      return decodeText(buf, path);
    case 'bytes':
      return Buffer.from(buf).toString('base64');
    case 'message':
      return decodeMessage(messageOf(field, path), buf, path);
    default:
      return decodeSpecial(field.kind, buf, path);
  }
}

function messageOf(field: FieldDef, path: string): MessageDef {
  if (!field.message) throw fieldError('unsupported', path, `field ${field.json} has no message definition`);
  return field.message();
}

function checkWireType(def: MessageDef, field: FieldDef, wire: WireField, path: string): void {
  const expected = expectedWireType(field.kind);
  const packed = field.repeated === true && expected === WireType.varint && wire.wireType === WireType.lengthDelimited;
  if (wire.wireType !== expected && !packed) {
    throw fieldError('malformed', path,
      `field ${wire.fieldNumber} (${field.json}) of ${def.name} has wire type ${wire.wireType}, expected ${expected}`);
  }
}

function decodeMapEntry(field: FieldDef, wire: WireField, path: string): [string, unknown] {
  let key = '';
  let value: unknown;
  for (const entry of readFields(wire.bytes ?? new Uint8Array())) {
    if (entry.fieldNumber === 1 && entry.wireType === WireType.lengthDelimited) {
      key = String(decodeValue(mapEntryKey, entry, path));
    } else if (entry.fieldNumber === 2 && entry.wireType === expectedWireType(field.kind)) {
      value = decodeValue(field, entry, `${path}[${JSON.stringify(key)}]`);
    } else {
      throw fieldError('malformed', path, `map entry has unexpected field ${entry.fieldNumber}`);
    }
  }
  // A missing value is the zero value of its type, which a map keeps (a label may be "").
  return [key, value ?? zeroValue(field.kind)];
}

function zeroValue(kind: ValueKind): unknown {
  if (kind === 'message') return {};
  if (kind === 'stringList') return [];
  if (kind === 'bool') return false;
  if (kind === 'int32' || kind === 'int64') return 0;
  return kind === 'time' || kind === 'microTime' ? null : '';
}

function decodeRepeated(field: FieldDef, wire: WireField, path: string): unknown[] {
  if (wire.wireType === WireType.lengthDelimited && expectedWireType(field.kind) === WireType.varint) {
    return readPackedVarints(wire.bytes ?? new Uint8Array()).map((v) => decodeVarint(field.kind, v));
  }
  return [decodeValue(field, wire, path)];
}

function childPath(path: string, json: string): string {
  return path === '' ? json : `${path}.${json}`;
}

/**
 * Decodes one serialized message into the JSON object Kubernetes would have sent, dropping the zero
 * values the Go encoder writes for non-pointer fields. Unknown field numbers are errors, not skipped.
 */
export function decodeMessage(def: MessageDef, buf: Uint8Array, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const wire of readFields(buf)) {
    const field = def.fields[wire.fieldNumber];
    if (!field) {
      throw fieldError('unsupported', path, `field ${wire.fieldNumber} of ${def.name} is not known to Minato`);
    }
    checkWireType(def, field, wire, path);
    const at = childPath(path, field.json);
    if (field.map) {
      const [key, value] = decodeMapEntry(field, wire, at);
      const map = (out[field.json] ??= {}) as Record<string, unknown>;
      // defineProperty, not assignment: a wire key such as "__proto__" must stay plain data.
      Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    } else if (field.repeated) {
      const list = (out[field.json] ??= []) as unknown[];
      list.push(...decodeRepeated(field, wire, `${at}[${list.length}]`));
    } else if (field.inline) {
      Object.assign(out, decodeMessage(messageOf(field, path), wire.bytes ?? new Uint8Array(), path));
    } else {
      const value = decodeValue(field, wire, at);
      if (value === undefined || (!field.pointer && isZero(value))) delete out[field.json];
      else out[field.json] = value;
    }
  }
  return out;
}
