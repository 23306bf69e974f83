import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, invalidPatch, PatchError } from './errors.ts';
import { isJsonObject } from './json-value.ts';

/**
 * Applies an RFC 6902 JSON Patch (`add|remove|replace|move|copy|test`, `~0`/`~1` escapes).
 * Mirrors the API server: a body that is not a list of operation objects is a 400 BadRequest;
 * an operation that cannot be applied (failed `test`, missing path, unknown op) is a 422 Invalid
 * whose `detail` carries the json-patch style cause. Inputs are not mutated.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = decodeOperations(ops);
  try {
    return jsonPatch.applyPatch(doc, operations, true, false, true).newDocument;
  } catch (error) {
    throw invalidPatch(describeFailure(error, operations));
  }
}

function decodeOperations(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  for (const op of ops) {
    if (!isJsonObject(op)) {
      throw badRequest('json: cannot unmarshal value into Go value of type jsonpatch.Operation');
    }
  }
  // Shapes inside each operation are checked by fast-json-patch's validator during apply.
  return ops as Operation[];
}

/** Words the failure like evanphx/json-patch, the library the API server uses. */
function describeFailure(error: unknown, operations: Operation[]): string {
  if (error instanceof PatchError) return error.detail;
  if (!(error instanceof jsonPatch.JsonPatchError)) return String(error);
  const op = operations[error.index ?? -1];
  const kind = typeof op?.op === 'string' ? op.op : '';
  const path = typeof op?.path === 'string' ? op.path : '';
  switch (error.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_OP_INVALID':
      return `Unexpected kind: ${kind}`;
    case 'OPERATION_PATH_INVALID':
      return `operation missing path field`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${kind} operation does not apply: doc is missing from path: ${JSON.stringify(fromOf(op))}: missing value`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${kind} operation does not apply: doc is missing path: ${JSON.stringify(path)}: missing value`;
    default:
      return error.message.split('\n')[0] ?? error.message;
  }
}

function fromOf(op: Operation | undefined): string {
  return op !== undefined && 'from' in op ? op.from : '';
}
