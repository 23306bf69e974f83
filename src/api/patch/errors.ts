/** Kubernetes Status reasons a patch can fail with, and the HTTP code each maps to. */
export type PatchErrorReason = 'BadRequest' | 'Invalid' | 'InternalError';

const codeOf: Record<PatchErrorReason, number> = { BadRequest: 400, Invalid: 422, InternalError: 500 };

/**
 * A patch that could not be applied. `message` is what the API server puts in the Status;
 * `detail` keeps the low-level cause (upstream drops it from 422 responses, but it helps logs).
 */
export class PatchError extends Error {
  readonly reason: PatchErrorReason;
  readonly code: number;
  readonly detail: string;

  constructor(reason: PatchErrorReason, message: string, detail: string = message) {
    super(message);
    this.name = 'PatchError';
    this.reason = reason;
    this.code = codeOf[reason];
    this.detail = detail;
  }
}

/** Upstream answers 422 patch failures with this generic text (apimachinery NewGenericServerResponse). */
export const invalidPatchMessage = 'the server rejected our request due to an error in our request';

/** 400 with the upstream error text as the message. */
export function badRequest(message: string): PatchError {
  return new PatchError('BadRequest', message);
}

/** 422 with upstream's generic message; the specific cause goes to `detail`. */
export function invalidPatch(detail: string): PatchError {
  return new PatchError('Invalid', invalidPatchMessage, detail);
}
