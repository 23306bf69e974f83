/**
 * A minimal protobuf wire decoder, used to check our encoder (round trips in tests) and to
 * inspect served documents while debugging. It does not know any schema: it splits a message
 * into its raw fields, and callers interpret them by field number.
 */

/** One decoded field: varints as numbers, fixed64 as a double, length-delimited as bytes. */
export type RawField =
  | { fieldNumber: number; wireType: 0; value: number }
  | { fieldNumber: number; wireType: 1; value: number }
  | { fieldNumber: number; wireType: 2; value: Buffer };

function readVarint(buf: Buffer, start: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let pos = start;
  for (;;) {
    const byte = buf[pos];
    if (byte === undefined) throw new RangeError('truncated varint');
    value += (byte & 0x7f) * scale;
    scale *= 0x80;
    pos += 1;
    if (byte < 0x80) return { value, next: pos };
  }
}

/** Splits an encoded message into its fields, in wire order. Throws on malformed input. */
export function readFields(buf: Buffer): RawField[] {
  const fields: RawField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const key = readVarint(buf, pos);
    const fieldNumber = Math.floor(key.value / 8);
    const wireType = key.value % 8;
    pos = key.next;
    if (wireType === 0) {
      const v = readVarint(buf, pos);
      fields.push({ fieldNumber, wireType, value: v.value });
      pos = v.next;
    } else if (wireType === 1) {
      if (pos + 8 > buf.length) throw new RangeError('truncated fixed64');
      fields.push({ fieldNumber, wireType, value: buf.readDoubleLE(pos) });
      pos += 8;
    } else if (wireType === 2) {
      const len = readVarint(buf, pos);
      const end = len.next + len.value;
      if (end > buf.length) throw new RangeError('truncated length-delimited field');
      fields.push({ fieldNumber, wireType, value: buf.subarray(len.next, end) });
      pos = end;
    } else {
      throw new RangeError(`unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** The payloads of every length-delimited occurrence of a field (repeated messages). */
export function messagesOf(buf: Buffer, fieldNumber: number): Buffer[] {
  return readFields(buf).flatMap((f) => (f.fieldNumber === fieldNumber && f.wireType === 2 ? [f.value] : []));
}

/** The first occurrence of a message field, or undefined when absent. */
export function messageOf(buf: Buffer, fieldNumber: number): Buffer | undefined {
  return messagesOf(buf, fieldNumber)[0];
}

/** Every occurrence of a string field, decoded as UTF-8. */
export function stringsOf(buf: Buffer, fieldNumber: number): string[] {
  return messagesOf(buf, fieldNumber).map((b) => b.toString('utf8'));
}

/** A singular string field ('' when absent, as proto3 reads it). */
export function stringOf(buf: Buffer, fieldNumber: number): string {
  return stringsOf(buf, fieldNumber)[0] ?? '';
}

/** A singular varint or double field (0 when absent, as proto3 reads it). */
export function numberOf(buf: Buffer, fieldNumber: number): number {
  const f = readFields(buf).find((x) => x.fieldNumber === fieldNumber && x.wireType !== 2);
  return f === undefined ? 0 : (f.value as number);
}
