import type {
  SwaggerV2Document,
  SwaggerV2Operation,
  SwaggerV2Parameter,
  SwaggerV2PathItem,
  SwaggerV2Response,
} from '../v2-types.ts';
import { encodeNamedSchemas, encodeSchema, vendorExtensionFields } from './encode-schema.ts';
import {
  BODY_PARAMETER,
  DOCUMENT,
  INFO,
  NAMED,
  NON_BODY_PARAMETER,
  OPERATION,
  PARAMETER,
  PARAMETERS_ITEM,
  PATH_ITEM,
  PATH_PARAMETER,
  PATHS,
  QUERY_PARAMETER,
  RESPONSE,
  RESPONSE_VALUE,
  RESPONSES,
  SCHEMA_ITEM,
} from './messages.ts';
import { boolField, message, messageField, repeatedMessageField, repeatedStringField, stringField } from './wire-writer.ts';

/** The media type kubectl puts in `Accept` for `/openapi/v2` (and the older form servers also accept). */
export const OPENAPI_V2_PROTOBUF_ACCEPT = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];

/**
 * The Content-Type to answer with. Not the `@` form kubectl asks for: `@` is not a MIME token
 * character, Go's mime parser rejects it and kubectl fails with "mime: unexpected content after
 * media subtype" (observed with 1.27/1.28); kube-apiserver answers with this dotted spelling.
 */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function encodeNonBodyParameter(p: Exclude<SwaggerV2Parameter, { in: 'body' }>): Buffer {
  const f = p.in === 'query' ? QUERY_PARAMETER : PATH_PARAMETER;
  const sub = message(
    boolField(f.required, p.required),
    stringField(f.in, p.in),
    stringField(f.description, p.description),
    stringField(f.name, p.name),
    stringField(f.type, p.type),
    boolField(f.uniqueItems, p.uniqueItems),
  );
  const which = p.in === 'query' ? NON_BODY_PARAMETER.queryParameterSubSchema : NON_BODY_PARAMETER.pathParameterSubSchema;
  return message(messageField(PARAMETER.nonBodyParameter, message(messageField(which, sub))));
}

/** A `ParametersItem` wrapping an inline `Parameter` (body or non-body). */
function encodeParameter(p: SwaggerV2Parameter): Buffer {
  const parameter =
    p.in === 'body'
      ? message(
          messageField(
            PARAMETER.bodyParameter,
            message(
              stringField(BODY_PARAMETER.description, p.description),
              stringField(BODY_PARAMETER.name, p.name),
              stringField(BODY_PARAMETER.in, p.in),
              boolField(BODY_PARAMETER.required, p.required),
              messageField(BODY_PARAMETER.schema, encodeSchema(p.schema)),
            ),
          ),
        )
      : encodeNonBodyParameter(p);
  return message(messageField(PARAMETERS_ITEM.parameter, parameter));
}

function encodeResponse(r: SwaggerV2Response): Buffer {
  const schemaItem = r.schema === undefined ? undefined : message(messageField(SCHEMA_ITEM.schema, encodeSchema(r.schema)));
  const response = message(stringField(RESPONSE.description, r.description), messageField(RESPONSE.schema, schemaItem));
  return message(messageField(RESPONSE_VALUE.response, response));
}

function encodeResponses(responses: Record<string, SwaggerV2Response>): Buffer {
  const named = Object.entries(responses).map(([code, r]) =>
    message(stringField(NAMED.name, code), messageField(NAMED.value, encodeResponse(r))),
  );
  return message(repeatedMessageField(RESPONSES.responseCode, named));
}

function encodeOperation(op: SwaggerV2Operation): Buffer {
  return message(
    repeatedStringField(OPERATION.tags, op.tags),
    stringField(OPERATION.description, op.description),
    stringField(OPERATION.operationId, op.operationId),
    repeatedStringField(OPERATION.produces, op.produces),
    repeatedStringField(OPERATION.consumes, op.consumes),
    repeatedMessageField(OPERATION.parameters, (op.parameters ?? []).map(encodeParameter)),
    messageField(OPERATION.responses, encodeResponses(op.responses)),
    repeatedStringField(OPERATION.schemes, op.schemes),
    vendorExtensionFields(OPERATION.vendorExtension, op),
  );
}

function encodePathItem(item: SwaggerV2PathItem): Buffer {
  const op = (o: SwaggerV2Operation | undefined): Buffer | undefined => (o === undefined ? undefined : encodeOperation(o));
  return message(
    messageField(PATH_ITEM.get, op(item.get)),
    messageField(PATH_ITEM.put, op(item.put)),
    messageField(PATH_ITEM.post, op(item.post)),
    messageField(PATH_ITEM.delete, op(item.delete)),
    messageField(PATH_ITEM.patch, op(item.patch)),
    repeatedMessageField(PATH_ITEM.parameters, (item.parameters ?? []).map(encodeParameter)),
  );
}

function encodePaths(paths: Record<string, SwaggerV2PathItem>): Buffer {
  const named = Object.entries(paths).map(([path, item]) =>
    message(stringField(NAMED.name, path), messageField(NAMED.value, encodePathItem(item))),
  );
  return message(repeatedMessageField(PATHS.path, named));
}

/**
 * Encodes a Swagger 2.0 document as a gnostic `openapi.v2.Document` protobuf message: the body
 * of `GET /openapi/v2` for `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`,
 * the only form kubectl 1.27/1.28 accept there.
 */
export function encodeSwaggerV2Protobuf(doc: SwaggerV2Document): Buffer {
  const info = message(
    stringField(INFO.title, doc.info.title),
    stringField(INFO.version, doc.info.version),
    stringField(INFO.description, doc.info.description),
  );
  return message(
    stringField(DOCUMENT.swagger, doc.swagger),
    messageField(DOCUMENT.info, info),
    messageField(DOCUMENT.paths, encodePaths(doc.paths)),
    messageField(DOCUMENT.definitions, encodeNamedSchemas(doc.definitions)),
  );
}
