import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { renderKubeconfig } from './kubeconfig.ts';
import { ensurePki, type Pki } from './pki.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

/** An HTTPS stub that requires a CA-signed client cert and echoes who the peer is. */
function startStub(pki: Pki): Promise<Server> {
  const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.setHeader('Content-Type', 'application/json');
    if (req.url?.startsWith('/version')) {
      res.end(JSON.stringify({ major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' }));
      return;
    }
    res.end(JSON.stringify({ authorized: (req.socket as TLSSocket).authorized, cn: peer.subject.CN, o: peer.subject.O }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function getJson(port: number, pki: Pki, client: { cert: string; key: string }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/whoami', ca: pki.ca.cert, cert: client.cert, key: client.key }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

void describe('ensurePki', () => {
  let dir: string;
  let pki: Pki;
  let server: Server;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-pki-'));
    pki = await ensurePki(dir, { hosts: ['10.0.0.5', 'minato.local'] });
    server = await startStub(pki);
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('writes keys with mode 0600 and certificates readable', async () => {
    for (const key of ['ca.key', 'server.key', 'admin.key', 'sa.key']) assert.equal((await stat(join(dir, key))).mode & 0o777, 0o600, key);
    assert.equal((await stat(join(dir, 'ca.crt'))).mode & 0o777, 0o644);
    assert.ok(existsSync(join(dir, 'sa.pub')));
  });

  void it('serves TLS that a client with the admin cert passes, reading CN and O back', async () => {
    const port = (server.address() as AddressInfo).port;
    assert.deepEqual(await getJson(port, pki, pki.admin), { authorized: true, cn: 'admin', o: 'system:masters' });
  });

  void it('issues client certs whose groups come back as several O entries', async () => {
    const port = (server.address() as AddressInfo).port;
    const jane = await pki.issueClientCert('jane', ['dev', 'ops']);
    assert.deepEqual(await getJson(port, pki, jane), { authorized: true, cn: 'jane', o: ['dev', 'ops'] });
  });

  void it('loads the same material on a second run and re-issues only the serving cert when hosts change', async () => {
    const again = await ensurePki(dir, { hosts: ['10.0.0.5', 'minato.local'] });
    assert.equal(again.ca.cert, pki.ca.cert);
    assert.equal(again.server.cert, pki.server.cert);
    assert.equal(again.admin.cert, pki.admin.cert);
    assert.equal(again.serviceAccount.privateKey, pki.serviceAccount.privateKey);
    const moved = await ensurePki(dir, { hosts: ['10.0.0.6'] });
    assert.notEqual(moved.server.cert, pki.server.cert);
    assert.equal(moved.admin.cert, pki.admin.cert);
    assert.equal(await readFile(join(dir, 'server.crt'), 'utf8'), moved.server.cert);
    const { X509Certificate } = await import('node:crypto');
    assert.match(new X509Certificate(moved.server.cert).subjectAltName ?? '', /IP Address:10\.0\.0\.6/);
  });

  void it('re-issues leaf certificates when the CA was replaced', async () => {
    const other = await mkdtemp(join(tmpdir(), 'minato-pki-'));
    try {
      const first = await ensurePki(other, { hosts: [] });
      await rm(join(other, 'ca.key'));
      const second = await ensurePki(other, { hosts: [] });
      assert.notEqual(second.ca.cert, first.ca.cert);
      assert.notEqual(second.admin.cert, first.admin.cert);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  void it('is accepted by the real kubectl through a rendered kubeconfig', { skip: !existsSync(KUBECTL) && 'kubectl.1.33 not installed' }, async () => {
    const port = (server.address() as AddressInfo).port;
    const kubeconfig = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfig, renderKubeconfig({ server: `https://127.0.0.1:${port}`, caPem: pki.ca.cert, user: { clientCert: pki.admin.cert, clientKey: pki.admin.key } }));
    const { stdout } = await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfig, 'version', '-o', 'json'], { timeout: 20_000 });
    assert.equal((JSON.parse(stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion, 'v1.33.0');
  });
});
