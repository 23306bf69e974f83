import type { KubeObject } from '../../api/types.ts';
import { decodeMessage } from './decode-message.ts';
import { ProtobufDecodeError } from './errors.ts';
import { messageForKind } from './kinds.ts';
import { readFields, WireType } from './wire.ts';

/** Every Kubernetes protobuf body starts with these four bytes: "k8s" and a NUL. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** True when a request's Content-Type is the Kubernetes protobuf media type (parameters ignored). */
export function isProtobufContentType(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function text(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('utf8') : '';
}

/** Reads runtime.Unknown {1: typeMeta{1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding, 4: contentType}. */
function readEnvelope(body: Uint8Array): Envelope {
  const envelope: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '' };
  for (const field of readFields(body)) {
    if (field.wireType !== WireType.lengthDelimited) {
      throw new ProtobufDecodeError('malformed', `malformed protobuf envelope: field ${field.fieldNumber} is not length-delimited`);
    }
    if (field.fieldNumber === 1) {
      for (const meta of readFields(field.bytes ?? new Uint8Array())) {
        if (meta.fieldNumber === 1) envelope.apiVersion = text(meta.bytes);
        if (meta.fieldNumber === 2) envelope.kind = text(meta.bytes);
      }
    } else if (field.fieldNumber === 2) {
      envelope.raw = field.bytes ?? new Uint8Array();
    } else if (field.fieldNumber === 3) {
      envelope.contentEncoding = text(field.bytes);
    }
  }
  return envelope;
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body into the plain JSON object the same client
 * would have sent as JSON: `apiVersion`/`kind` from the envelope, zero values dropped, bytes as base64,
 * times as RFC3339, quantities as strings. Throws {@link ProtobufDecodeError} (`malformed` → 400,
 * `unsupported` → 415) for broken bodies and for kinds or fields Minato does not describe.
 */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError('malformed', 'protobuf body does not start with the "k8s\\0" prefix');
  }
  const envelope = readEnvelope(body.subarray(MAGIC.length));
  if (envelope.apiVersion === '' || envelope.kind === '') {
    throw new ProtobufDecodeError('malformed', 'protobuf envelope carries no apiVersion/kind');
  }
  if (envelope.contentEncoding !== '') {
    throw new ProtobufDecodeError('unsupported', `protobuf content encoding "${envelope.contentEncoding}" is not supported`);
  }
  const def = messageForKind(envelope.apiVersion, envelope.kind);
  if (!def) {
    throw new ProtobufDecodeError('unsupported',
      `protobuf bodies of kind ${envelope.kind} (${envelope.apiVersion}) are not supported; send application/json instead`);
  }
  const fields = decodeMessage(def, envelope.raw, '');
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...fields };
}
