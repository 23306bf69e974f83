import type { FieldError } from '../../api/types.ts';

/**
 * A review request the API server must refuse: 400 BadRequest (`fieldErrors` empty) or 422 Invalid for
 * `kind` with the field errors, rendered into a Status by the API layer.
 */
export class ReviewError extends Error {
  constructor(
    readonly code: 400 | 422,
    readonly kind: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ReviewError';
  }

  static badRequest(kind: string, message: string): ReviewError {
    return new ReviewError(400, kind, message);
  }

  static invalid(kind: string, field: string, detail: string, value?: unknown): ReviewError {
    const error: FieldError = { field, type: 'FieldValueInvalid', detail, value };
    return new ReviewError(422, kind, `${kind}.authorization.k8s.io "" is invalid: ${field}: Invalid value: ${JSON.stringify(value ?? '')}: ${detail}`, [error]);
  }
}
