/** Decoding Kubernetes protobuf request bodies (kubectl ≥ 1.32 sends them for typed-client writes). */
export { decodeProtobufObject, isProtobufContentType, PROTOBUF_MEDIA_TYPE } from './decode.ts';
export { ProtobufDecodeError, type ProtobufDecodeFailure } from './errors.ts';
export { messageForKind, supportedKinds } from './kinds.ts';
