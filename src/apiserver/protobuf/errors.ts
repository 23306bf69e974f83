/**
 * Why a protobuf body could not be decoded: `malformed` bodies are broken bytes (HTTP 400);
 * `unsupported` bodies are well-formed but carry a kind, field or encoding Minato does not know (HTTP 415).
 */
export type ProtobufDecodeFailure = 'malformed' | 'unsupported';

/** Thrown for every protobuf body Minato cannot turn into JSON; the message names what and where. */
export class ProtobufDecodeError extends Error {
  readonly failure: ProtobufDecodeFailure;

  constructor(failure: ProtobufDecodeFailure, message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
    this.failure = failure;
  }
}
