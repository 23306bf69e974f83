/**
 * Protocol-buffers wire encoding (proto3), just the parts the gnostic OpenAPI messages need:
 * varints, 64-bit doubles and length-delimited fields (strings and nested messages).
 *
 * A message is built bottom-up as a list of already-encoded fields; nesting it into a parent
 * field prefixes its total length, which is why children are encoded before their parents.
 */

/** Wire types of the protobuf encoding (only the three used here). */
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;

/** One encoded field (tag + payload), ready to be concatenated into a message. */
export type EncodedField = Buffer;

/**
 * Encodes a non-negative integer as a base-128 varint. Uses arithmetic rather than bit
 * operators because JavaScript bit operators truncate to 32 bits.
 */
export function encodeVarint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function tag(fieldNumber: number, wireType: number): Buffer {
  return encodeVarint(fieldNumber * 8 + wireType);
}

/** A length-delimited field holding raw bytes (the payload of strings and messages). */
export function bytesField(fieldNumber: number, payload: Buffer): EncodedField {
  return Buffer.concat([tag(fieldNumber, WIRE_LENGTH_DELIMITED), encodeVarint(payload.length), payload]);
}

/** A `string` field; proto3 omits the empty string, so it yields no field. */
export function stringField(fieldNumber: number, value: string | undefined): EncodedField[] {
  if (value === undefined || value === '') return [];
  return [bytesField(fieldNumber, Buffer.from(value, 'utf8'))];
}

/** A `repeated string` field: one length-delimited entry per element. */
export function repeatedStringField(fieldNumber: number, values: readonly string[] | undefined): EncodedField[] {
  return (values ?? []).map((v) => bytesField(fieldNumber, Buffer.from(v, 'utf8')));
}

/** A `bool` field; proto3 omits false. */
export function boolField(fieldNumber: number, value: boolean | undefined): EncodedField[] {
  return value === true ? [Buffer.concat([tag(fieldNumber, WIRE_VARINT), encodeVarint(1)])] : [];
}

/** A `bool` member of a `oneof`: oneof members have presence, so false is written too. */
export function oneofBoolField(fieldNumber: number, value: boolean): EncodedField[] {
  return [Buffer.concat([tag(fieldNumber, WIRE_VARINT), encodeVarint(value ? 1 : 0)])];
}

/** An `int64` field holding a non-negative count (lengths, item counts); proto3 omits zero. */
export function int64Field(fieldNumber: number, value: number | undefined): EncodedField[] {
  if (value === undefined || value === 0) return [];
  return [Buffer.concat([tag(fieldNumber, WIRE_VARINT), encodeVarint(value)])];
}

/** A `double` field (little-endian IEEE 754); proto3 omits zero. */
export function doubleField(fieldNumber: number, value: number | undefined): EncodedField[] {
  if (value === undefined || value === 0) return [];
  const payload = Buffer.alloc(8);
  payload.writeDoubleLE(value);
  return [Buffer.concat([tag(fieldNumber, WIRE_FIXED64), payload])];
}

/**
 * A nested-message field. Unlike scalars, a present-but-empty message is still written:
 * readers distinguish "absent" from "empty" for message fields.
 */
export function messageField(fieldNumber: number, message: Buffer | undefined): EncodedField[] {
  return message === undefined ? [] : [bytesField(fieldNumber, message)];
}

/** A `repeated` message field: one entry per element, in order. */
export function repeatedMessageField(fieldNumber: number, messages: readonly Buffer[]): EncodedField[] {
  return messages.map((m) => bytesField(fieldNumber, m));
}

/** Concatenates encoded fields into one message body. */
export function message(...fields: EncodedField[][]): Buffer {
  return Buffer.concat(fields.flat());
}
