import { ProtobufDecodeError } from './errors.ts';

/** Protocol-buffer wire types (the low three bits of a field tag). */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/** One field as it sits on the wire, before the message definition gives it meaning. */
export interface WireField {
  fieldNumber: number;
  wireType: number;
  /** Set for varint fields (as an unsigned 64-bit value). */
  varint?: bigint;
  /** Set for length-delimited and fixed-width fields (fixed values stay little-endian bytes). */
  bytes?: Uint8Array;
}

function malformed(detail: string): ProtobufDecodeError {
  return new ProtobufDecodeError('malformed', `malformed protobuf: ${detail}`);
}

/** Reads one base-128 varint at `offset`; returns the value and the offset after it. */
export function readVarint(buf: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = offset; i < buf.length && shift < 70n; i++) {
    const byte = buf[i] ?? 0;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value: BigInt.asUintN(64, value), next: i + 1 };
    shift += 7n;
  }
  throw malformed(`truncated or overlong varint at byte ${offset}`);
}

function takeBytes(buf: Uint8Array, offset: number, length: number, what: string): Uint8Array {
  if (length < 0 || offset + length > buf.length) {
    throw malformed(`${what} at byte ${offset} runs past the end (${length} bytes, ${buf.length - offset} left)`);
  }
  return buf.subarray(offset, offset + length);
}

function readOneField(buf: Uint8Array, offset: number): { field: WireField; next: number } {
  const tag = readVarint(buf, offset);
  const fieldNumber = Number(tag.value >> 3n);
  const wireType = Number(tag.value & 7n);
  if (fieldNumber === 0) throw malformed(`field number 0 at byte ${offset}`);
  let at = tag.next;
  switch (wireType) {
    case WireType.varint: {
      const v = readVarint(buf, at);
      return { field: { fieldNumber, wireType, varint: v.value }, next: v.next };
    }
    case WireType.lengthDelimited: {
      const len = readVarint(buf, at);
      at = len.next;
      const bytes = takeBytes(buf, at, Number(len.value), `field ${fieldNumber}`);
      return { field: { fieldNumber, wireType, bytes }, next: at + bytes.length };
    }
    case WireType.fixed64:
    case WireType.fixed32: {
      const width = wireType === WireType.fixed64 ? 8 : 4;
      const bytes = takeBytes(buf, at, width, `field ${fieldNumber}`);
      return { field: { fieldNumber, wireType, bytes }, next: at + width };
    }
    default:
      // Groups (3, 4) are proto1 relics that Kubernetes never emits.
      throw malformed(`unsupported wire type ${wireType} for field ${fieldNumber} at byte ${offset}`);
  }
}

/** Splits one serialized message into its fields, in wire order (repeated fields appear once per element). */
export function readFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const { field, next } = readOneField(buf, offset);
    fields.push(field);
    offset = next;
  }
  return fields;
}

/** Reads a packed run of varints (a packed repeated scalar field). */
export function readPackedVarints(buf: Uint8Array): bigint[] {
  const values: bigint[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const { value, next } = readVarint(buf, offset);
    values.push(value);
    offset = next;
  }
  return values;
}
