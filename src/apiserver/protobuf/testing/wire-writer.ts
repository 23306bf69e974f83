/** A tiny protobuf writer for hand-building test bodies (test-only; Minato never encodes protobuf). */

function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? byte : byte | 0x80);
  } while (v !== 0n);
  return out;
}

/** A varint field (`int32`, `int64`, `bool`); negative numbers take ten bytes, as Go writes them. */
export function varintField(fieldNumber: number, value: number | bigint | boolean): Buffer {
  const v = typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value);
  return Buffer.from([...varint(BigInt(fieldNumber << 3)), ...varint(v)]);
}

/** A length-delimited field holding raw bytes or a nested message. */
export function bytesField(fieldNumber: number, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varint(BigInt((fieldNumber << 3) | 2)), ...varint(BigInt(payload.length))]), payload]);
}

export function stringField(fieldNumber: number, value: string): Buffer {
  return bytesField(fieldNumber, Buffer.from(value, 'utf8'));
}

/** A whole request body: "k8s\0" + runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const typeMeta = Buffer.concat([stringField(1, apiVersion), stringField(2, kind)]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), bytesField(1, typeMeta), bytesField(2, raw)]);
}
