/**
 * A loopback HTTP stand-in for the API server, just rich enough for kubectl's imperative commands:
 * version, legacy discovery, GETs of seeded objects, and writes that are decoded, recorded and echoed.
 * Test-only; the real API server lives elsewhere.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../../api/types.ts';
import { decodeProtobufObject, isProtobufContentType } from '../decode.ts';
import { ProtobufDecodeError } from '../errors.ts';
import { discoveryDocument } from './discovery-fixture.ts';

/** One write request as kubectl sent it. */
export interface CapturedWrite {
  method: string;
  path: string;
  contentType: string;
  /** The decoded body (protobuf) or parsed body (JSON). */
  object?: KubeObject;
  /** Why decoding failed; the stub answered 415/400 with this message. */
  error?: string;
}

export interface KubectlStub {
  url: string;
  writes: CapturedWrite[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function notFound(res: ServerResponse, path: string): void {
  send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404,
    message: `${path} not found` });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeBody(contentType: string, body: Buffer): KubeObject {
  if (isProtobufContentType(contentType)) return decodeProtobufObject(body);
  return JSON.parse(body.toString('utf8')) as KubeObject;
}

/** Fills what a real server would (and answers reviews), so kubectl prints its usual success line. */
function serverView(object: KubeObject, path: string): KubeObject {
  const namespace = /\/namespaces\/([^/]+)\//.exec(path)?.[1];
  const metadata = { ...object.metadata, uid: 'uid-1', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' };
  if (namespace && object.kind !== 'Namespace') metadata.namespace = namespace;
  if (!metadata.name && metadata.generateName) metadata.name = `${metadata.generateName}abcde`;
  const view: KubeObject = { ...object, metadata };
  if (object.kind === 'TokenRequest') view.status = { token: 'stub-token', expirationTimestamp: '2026-01-01T01:00:00Z' };
  if (object.kind === 'SelfSubjectAccessReview') view.status = { allowed: true };
  if (object.kind === 'SelfSubjectReview') view.status = { userInfo: { username: 'stub-user', groups: ['system:authenticated'] } };
  if (object.kind === 'SelfSubjectRulesReview') {
    view.status = { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false };
  }
  return view;
}

async function handleWrite(req: IncomingMessage, res: ServerResponse, path: string, stub: KubectlStub,
  objects: Map<string, KubeObject>): Promise<void> {
  const contentType = req.headers['content-type'] ?? '';
  const body = await readBody(req);
  try {
    const object = decodeBody(contentType, body);
    stub.writes.push({ method: req.method ?? '', path, contentType, object });
    const view = serverView(object, path);
    if (req.method === 'POST' && view.metadata?.name) objects.set(`${path}/${view.metadata.name}`, view);
    send(res, req.method === 'POST' ? 201 : 200, view);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    stub.writes.push({ method: req.method ?? '', path, contentType, error: message });
    const code = err instanceof ProtobufDecodeError && err.failure === 'unsupported' ? 415 : 400;
    send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message });
  }
}

/** Starts the stub on a random loopback port; `objects` maps request paths to JSON answered on GET. */
export async function startKubectlStub(seed: Record<string, KubeObject>): Promise<KubectlStub> {
  const objects = new Map(Object.entries(seed));
  const stub: KubectlStub = { url: '', writes: [], close: () => Promise.resolve() };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stub').pathname;
    if (req.method === 'POST' || req.method === 'PUT') {
      handleWrite(req, res, path, stub, objects).catch((err: unknown) => send(res, 500, { message: String(err) }));
      return;
    }
    if (path === '/version') {
      send(res, 200, { major: '1', minor: '33', gitVersion: 'v1.33.1', platform: 'linux/amd64' });
      return;
    }
    const body = discoveryDocument(path) ?? objects.get(path);
    if (body === undefined) notFound(res, path);
    else send(res, 200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return stub;
}
