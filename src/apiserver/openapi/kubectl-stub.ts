import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceDefinition } from '../../api/resource-definition.ts';
import { apiVersionOf } from '../../api/types.ts';
import type { OpenApiV3 } from './v3.ts';

/**
 * A loopback HTTP server with just enough API (version, legacy discovery, `/openapi/v3`) for real
 * kubectl to run `explain` and client-side `create --dry-run=client`. For tests only: it proves our
 * OpenAPI documents are accepted without needing the full API server.
 */
export interface KubectlStub {
  url: string;
  /** Request lines seen so far (`GET /openapi/v3/apis/apps/v1?hash=…`). */
  requests: string[];
  close(): Promise<void>;
}

function discoveryResource(r: ResourceDefinition): object[] {
  const main = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames, categories: r.categories };
  const subs = (r.subresources ?? []).map((s) => ({
    name: `${r.plural}/${s.name}`,
    singularName: '',
    namespaced: r.namespaced,
    group: s.kind?.group,
    version: s.kind?.version,
    kind: s.kind?.kind ?? r.kind,
    verbs: s.verbs,
  }));
  return [main, ...subs];
}

function discovery(resources: ResourceDefinition[], url: string): unknown {
  const gvs = [...new Set(resources.map((r) => apiVersionOf(r)))];
  if (url === '/api') return { kind: 'APIVersions', versions: gvs.filter((gv) => !gv.includes('/')), serverAddressByClientCIDRs: [] };
  if (url === '/apis') {
    const groups = gvs.filter((gv) => gv.includes('/')).map((gv) => {
      const [name = '', version = ''] = gv.split('/');
      const v = { groupVersion: gv, version };
      return { name, versions: [v], preferredVersion: v };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = url.replace(/^\/apis?\//, '');
  const members = resources.filter((r) => apiVersionOf(r) === gv);
  if (members.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: members.flatMap(discoveryResource) };
}

function handle(req: IncomingMessage, res: ServerResponse, resources: ResourceDefinition[], openapi: OpenApiV3): void {
  const url = new URL(req.url ?? '/', 'http://stub');
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (url.pathname === '/version') return json(200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
  if (url.pathname === '/openapi/v3') return json(200, openapi.index());
  if (url.pathname.startsWith('/openapi/v3/')) {
    const doc = openapi.document(url.pathname.slice('/openapi/v3/'.length));
    if (doc === undefined) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    res.setHeader('ETag', `"${doc.etag}"`);
    return json(200, doc.body);
  }
  const body = discovery(resources, url.pathname);
  if (body !== undefined) return json(200, body);
  json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 });
}

/** Starts the stub on a random free loopback port. */
export async function startKubectlStub(resources: ResourceDefinition[], openapi: OpenApiV3): Promise<KubectlStub> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    handle(req, res, resources, openapi);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
