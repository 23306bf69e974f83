import type { FieldError } from '../types.ts';
import type { FieldPath } from './field-path.ts';

/* One constructor per cause type, as apimachinery's `field` package offers; the API server renders them. */

/** `<field>: Required value[: detail]`. */
export function required(path: FieldPath, detail?: string): FieldError {
  return { field: path.toString(), type: 'FieldValueRequired', ...(detail ? { detail } : {}) };
}

/** `<field>: Invalid value: <value>: <detail>`. */
export function invalid(path: FieldPath, value: unknown, detail: string): FieldError {
  return { field: path.toString(), type: 'FieldValueInvalid', value, detail };
}

/** `<field>: Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupported(path: FieldPath, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined;
  return { field: path.toString(), type: 'FieldValueNotSupported', value, ...(detail ? { detail } : {}) };
}

/** `<field>: Duplicate value: <value>`. */
export function duplicate(path: FieldPath, value: unknown): FieldError {
  return { field: path.toString(), type: 'FieldValueDuplicate', value };
}

/** `<field>: Forbidden: <detail>`. */
export function forbidden(path: FieldPath, detail: string): FieldError {
  return { field: path.toString(), type: 'FieldValueForbidden', detail };
}

/** `<field>: Too long: may not be more than <max> bytes`. */
export function tooLong(path: FieldPath, value: unknown, detail: string): FieldError {
  return { field: path.toString(), type: 'FieldValueTooLong', value, detail };
}

/** `<field>: Not found: <value>`. */
export function notFound(path: FieldPath, value: unknown): FieldError {
  return { field: path.toString(), type: 'FieldValueNotFound', value };
}

/** `<field>: Too many: <n>: must have at most <max> items`. */
export function tooMany(path: FieldPath, count: number, max: number): FieldError {
  return { field: path.toString(), type: 'FieldValueTooMany', value: count, detail: `must have at most ${max} items` };
}

/** One `Invalid` error per message a name rule returned. */
export function invalidEach(path: FieldPath, value: unknown, messages: readonly string[]): FieldError[] {
  return messages.map((m) => invalid(path, value, m));
}
