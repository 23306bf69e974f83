/**
 * The real proof for `/openapi/v2`: kubectl 1.27 and 1.28 read only the gnostic protobuf form
 * there for `explain`, client-side validation and `apply`. A loopback stub serves discovery and
 * our encoded document (and 404 for `/openapi/v3`), and the real binaries run against it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_RESOURCES } from '../../api/builtin-resources.ts';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import { encodeSwaggerV2Protobuf, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './gnostic/encode-document.ts';
import { buildSwaggerV2 } from './v2.ts';
import { createTestSchemaSet } from './v2-test-fixtures.ts';
import type { SwaggerV2Document } from './v2-types.ts';

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.27', '1.28'].filter((v) => existsSync(join(KUBECTL_DIR, `kubectl.${v}`)));

const SERVED = BUILTIN_RESOURCES.filter((r) => (r.group === '' && r.kind === 'Pod') || (r.group === 'apps' && r.kind === 'Deployment'));

function resourceList(groupVersion: string, resources: ResourceDefinition[]): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.map((r) => ({ name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames })),
  };
}

/** Without `fieldValidation` on PATCH, kubectl must validate against the schema itself. */
function withoutFieldValidation(doc: SwaggerV2Document): SwaggerV2Document {
  const copy = structuredClone(doc);
  for (const item of Object.values(copy.paths)) {
    for (const op of [item.get, item.put, item.post, item.patch, item.delete]) {
      if (op?.parameters) op.parameters = op.parameters.filter((p) => p.name !== 'fieldValidation');
    }
  }
  return copy;
}

interface Stub {
  server: Server;
  url: string;
  /** Request lines the stub saw, e.g. `POST /apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict`. */
  requests: string[];
}

function send(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': payload.length });
  res.end(payload);
}

function notFound(res: ServerResponse, what: string): void {
  send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function answer(req: IncomingMessage, res: ServerResponse, openapi: Buffer, port: number): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const routes: Record<string, unknown> = {
    '/version': { major: '1', minor: '27', gitVersion: 'v1.27.0-minato', platform: 'linux/amd64' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] },
    '/apis': {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
    },
    '/api/v1': resourceList('v1', SERVED.filter((r) => r.group === '')),
    '/apis/apps/v1': resourceList('apps/v1', SERVED.filter((r) => r.group === 'apps')),
  };
  if (req.method === 'GET' && path === '/openapi/v2') return send(res, 200, openapi, OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
  if (req.method === 'GET' && routes[path] !== undefined) return send(res, 200, routes[path]);
  if (req.method === 'POST' && path.endsWith('/deployments')) {
    const obj = JSON.parse(await readBody(req)) as Record<string, unknown>;
    return send(res, 201, obj);
  }
  notFound(res, path);
}

async function startStub(doc: SwaggerV2Document): Promise<Stub> {
  const openapi = encodeSwaggerV2Protobuf(doc);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const port = (server.address() as AddressInfo).port;
    answer(req, res, openapi, port).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
`;

describe('kubectl 1.27/1.28 against /openapi/v2 protobuf', { skip: VERSIONS.length === 0 ? 'no kubectl 1.27/1.28 binaries' : false }, () => {
  let dir = '';
  let serverValidated: Stub;
  let clientValidated: Stub;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-openapi-v2-'));
    const doc = buildSwaggerV2(SERVED, createTestSchemaSet());
    serverValidated = await startStub(doc);
    clientValidated = await startStub(withoutFieldValidation(doc));
    await writeFile(join(dir, 'deploy.yaml'), DEPLOYMENT);
    await writeFile(join(dir, 'unknown-field.yaml'), DEPLOYMENT.replace('  replicas: 2', '  replicas: 2\n  replicaz: 3'));
  });

  after(async () => {
    for (const stub of [serverValidated, clientValidated]) stub.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function kubectl(version: string, stub: Stub, ...args: string[]): Promise<Run> {
    const kubeconfig = join(dir, `kubeconfig-${stub.url.split(':').pop() ?? ''}`);
    await writeFile(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${stub.url}"}\ncontexts:\n- name: c\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n`);
    const cacheDir = join(dir, `cache-${version}-${stub.url.split(':').pop() ?? ''}`);
    return new Promise((resolve) => {
      execFile(join(KUBECTL_DIR, `kubectl.${version}`), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      });
    });
  }

  for (const version of VERSIONS) {
    it(`${version}: explain deployment.spec shows descriptions and fields`, async () => {
      const run = await kubectl(version, serverValidated, 'explain', 'deployment.spec');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /KIND:\s+Deployment/);
      assert.match(run.stdout, /DeploymentSpec is the specification of the desired behavior of the\s+Deployment/);
      for (const field of ['replicas', 'selector', 'template', 'paused']) assert.match(run.stdout, new RegExp(`\\b${field}\\b`));
      assert.match(run.stdout, /template\s+<Object> -required-/);
    });

    it(`${version}: explain pods.spec.containers follows refs into Container`, async () => {
      const run = await kubectl(version, serverValidated, 'explain', 'pods.spec.containers');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /List of containers belonging to the pod/);
      assert.match(run.stdout, /image\s+<string>/);
      assert.match(run.stdout, /ports\s+<\[\]Object>/);
    });

    it(`${version}: create --dry-run=client validates against the v2 schema`, async () => {
      const good = await kubectl(version, clientValidated, 'create', '-f', join(dir, 'deploy.yaml'), '--dry-run=client', '-o', 'json', '--validate=true');
      assert.equal(good.code, 0, good.stderr);
      assert.equal((JSON.parse(good.stdout) as { kind: string }).kind, 'Deployment');
      const bad = await kubectl(version, clientValidated, 'create', '-f', join(dir, 'unknown-field.yaml'), '--dry-run=client', '-o', 'json', '--validate=true');
      assert.notEqual(bad.code, 0, 'an unknown field must be rejected');
      assert.match(bad.stderr, /unknown field "replicaz"|unknown field "spec.replicaz"/);
    });

    it(`${version}: apply --dry-run=client reads the document and succeeds`, async () => {
      const run = await kubectl(version, serverValidated, 'apply', '-f', join(dir, 'deploy.yaml'), '--dry-run=client');
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /deployment.apps\/web (created|configured) \(dry run\)/);
    });

    it(`${version}: create sends fieldValidation=Strict when PATCH lists the parameter`, async () => {
      const seenBefore = serverValidated.requests.length;
      const run = await kubectl(version, serverValidated, 'create', '-f', join(dir, 'unknown-field.yaml'), '-o', 'name');
      assert.equal(run.code, 0, run.stderr);
      // The server is trusted to reject the unknown field, so kubectl must not reject it itself.
      const seen = serverValidated.requests.slice(seenBefore);
      assert.ok(seen.some((r) => r.startsWith('GET /openapi/v2')), seen.join('\n'));
      assert.ok(seen.some((r) => r.startsWith('POST /apis/apps/v1/namespaces/default/deployments?') && r.includes('fieldValidation=Strict')), seen.join('\n'));
    });
  }
});
