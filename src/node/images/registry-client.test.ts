import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeOciLayout } from './base-images.ts';
import { sha256 } from './blob-store.ts';
import { ImageStore } from './image-store.ts';
import { MEDIA, type ImageManifest } from './oci.ts';
import { parseChallenge } from './registry-client.ts';
import { parseImageRef, registryBaseUrl } from './image-ref.ts';

/**
 * A fake distribution registry that demands a Bearer token from its own token endpoint (which in
 * turn wants basic credentials) and serves a Docker v2 manifest list with two platforms.
 */
function fakeRegistry(blobs: Map<string, { type: string; body: Buffer }>, tags: Map<string, string>): Server {
  const token = 'tok-123';
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const host = req.headers.host ?? '';
    if (url.pathname === '/token') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`;
      const scopeOk = url.searchParams.get('scope') === 'repository:team/app:pull' && url.searchParams.get('service') === 'fake';
      res.writeHead(ok && scopeOk ? 200 : 401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(ok && scopeOk ? { access_token: token } : {}));
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake",scope="repository:team/app:pull"` });
      return res.end();
    }
    const m = /^\/v2\/team\/app\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
    const ref = m?.[2] ?? '';
    const blob = blobs.get(tags.get(ref) ?? ref);
    if (!blob) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': blob.type });
    res.end(blob.body);
  });
}

describe('registry pull (fake registry: bearer token, manifest list, Docker media types)', () => {
  let dir = '';
  let server: Server;
  let registry = '';
  let expectedManifest = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-reg-'));
    const layout = join(dir, 'layout');
    const built = await writeOciLayout(layout, [{ path: 'hello.txt', type: 'file', data: Buffer.from('hi') }],
      { Cmd: ['/hello'], Env: ['A=1'], WorkingDir: '/w', User: '1000:1000', ExposedPorts: { '8080/tcp': {} } }, { name: 'x/y:1', tag: '1' });
    const blobs = new Map<string, { type: string; body: Buffer }>();
    const ociManifest = JSON.parse(await readFile(join(layout, 'blobs/sha256', built.manifestDigest.slice(7)), 'utf8')) as ImageManifest;
    const put = (type: string, body: Buffer) => { const d = sha256(body); blobs.set(d, { type, body }); return d; };
    const read = (d: string) => readFile(join(layout, 'blobs/sha256', d.slice(7)));
    put(MEDIA.dockerConfig, await read(ociManifest.config.digest));
    put(MEDIA.dockerLayerGzip, await read(built.layerDigest));
    const docker = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: MEDIA.dockerManifest,
      config: { ...ociManifest.config, mediaType: MEDIA.dockerConfig },
      layers: ociManifest.layers.map((l) => ({ ...l, mediaType: MEDIA.dockerLayerGzip })),
    }));
    expectedManifest = put(MEDIA.dockerManifest, docker);
    const arm = put(MEDIA.dockerManifest, Buffer.from('{"schemaVersion":2,"config":{},"layers":[]}'));
    const list = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.dockerList, manifests: [
      { mediaType: MEDIA.dockerManifest, digest: arm, size: 10, platform: { architecture: 'arm64', os: 'linux' } },
      { mediaType: MEDIA.dockerManifest, digest: expectedManifest, size: docker.length, platform: { architecture: 'amd64', os: 'linux' } },
    ] }));
    const listDigest = put(MEDIA.dockerList, list);
    server = fakeRegistry(blobs, new Map([['v1', listDigest]]));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    registry = `127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });

  after(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the bearer challenge, picks linux/amd64 and stores verified blobs', async () => {
    const store = new ImageStore({ root: join(dir, 'store') });
    const img = await store.pull(`${registry}/team/app:v1`, { auth: { username: 'u', password: 'p' } });
    assert.equal(img.digest, expectedManifest);
    assert.deepEqual(img.config, { entrypoint: [], cmd: ['/hello'], env: ['A=1'], workingDir: '/w', user: '1000:1000', exposedPorts: ['8080/tcp'] });
    assert.equal((await store.blobs.list()).length, 3);
    assert.equal((await store.list())[0]?.name, `${registry}/team/app:v1`);
    const byDigest = await store.pull(`${registry}/team/app@${expectedManifest}`, { auth: { username: 'u', password: 'p' } });
    assert.equal(byDigest.digest, expectedManifest);
  });

  it('sends a pull secret\'s registry token as Bearer without asking the token endpoint', async () => {
    const store = new ImageStore({ root: join(dir, 'store-token') });
    assert.equal((await store.pull(`${registry}/team/app:v1`, { auth: { token: 'tok-123' } })).digest, expectedManifest);
    await assert.rejects(new ImageStore({ root: join(dir, 'store-token2') }).pull(`${registry}/team/app:v1`, { auth: { token: 'stale' } }), /401/);
  });

  it('fails clearly with wrong credentials', async () => {
    const store = new ImageStore({ root: join(dir, 'store2') });
    await assert.rejects(store.pull(`${registry}/team/app:v1`, { auth: { username: 'u', password: 'bad' } }), /token request .* 401/);
  });
});

describe('image references and challenges', () => {
  it('parses references with Docker Hub defaults', () => {
    assert.deepEqual(parseImageRef('busybox'), { registry: 'docker.io', repository: 'library/busybox', tag: 'latest', digest: undefined });
    assert.deepEqual(parseImageRef('127.0.0.1:5000/a/b:1'), { registry: '127.0.0.1:5000', repository: 'a/b', tag: '1', digest: undefined });
    assert.equal(parseImageRef(`localhost/x@sha256:${'a'.repeat(64)}`).tag, undefined);
    assert.throws(() => parseImageRef('UPPER/case'), /invalid image reference/);
  });
  it('uses http only for loopback registries', () => {
    assert.equal(registryBaseUrl('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(registryBaseUrl('localhost:5000'), 'http://localhost:5000');
    assert.equal(registryBaseUrl('ghcr.io'), 'https://ghcr.io');
    assert.equal(registryBaseUrl('docker.io'), 'https://registry-1.docker.io');
  });
  it('parses WWW-Authenticate', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://a/token",service="reg",scope="repository:x:pull,push"'),
      { scheme: 'bearer', params: { realm: 'https://a/token', service: 'reg', scope: 'repository:x:pull,push' } });
    assert.deepEqual(parseChallenge('Basic realm=minato'), { scheme: 'basic', params: { realm: 'minato' } });
  });
});
