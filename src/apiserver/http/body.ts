import type { IncomingMessage } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '../status-error.ts';

/** kube-apiserver's default limit on a request body (3 MiB); larger bodies get 413. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw tooLarge(`Request entity too large: limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw tooLarge(`Request entity too large: limit is ${limit}`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a JSON request body; syntax errors become 400s with the decoder's message, as upstream. */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the server rejected our request due to an error in our request: empty body');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the object provided is unrecognized (must be of type object): couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
}

/** YAML 1.1 like sigs.k8s.io/yaml (0644 → 420, `no` → false); exactly one document. */
export function parseYaml(body: Buffer): unknown {
  const docs = parseAllDocuments(body.toString('utf8'), { version: '1.1' });
  const list = Array.isArray(docs) ? docs : [docs];
  const first = list[0];
  if (!first) throw badRequest('the server rejected our request due to an error in our request: empty body');
  if (first.errors.length > 0) throw badRequest(`error converting YAML to JSON: ${first.errors[0]?.message ?? 'invalid YAML'}`);
  return first.toJS({ maxAliasCount: 100 });
}

export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Decodes a create/update body by media type; `decodeProtobuf` handles kubectl ≥ 1.32's typed-client bodies. */
export function decodeObjectBody(body: Buffer, contentType: string | undefined, decodeProtobuf: (b: Buffer) => unknown): unknown {
  const type = mediaType(contentType);
  let value: unknown;
  if (type === 'application/json' || type === '') value = parseJson(body);
  else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') value = parseYaml(body);
  else if (type === 'application/vnd.kubernetes.protobuf') value = decodeProtobuf(body);
  else throw unsupportedMediaType(type, OBJECT_MEDIA_TYPES);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('the object provided is unrecognized (must be of type object)');
  }
  return value;
}
