import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createAuthenticator, type Authenticator } from './authenticator.ts';
import { ensurePki, type Pki } from './pki.ts';
import type { UserInfo } from './user-info.ts';
import type { ServiceAccountTokens } from './service-account-tokens.ts';

/** A token verifier that knows one token, so these tests stay about the authenticator's own logic. */
const saTokens: ServiceAccountTokens = {
  issue: () => Promise.reject(new Error('not used')),
  verify: async (token) =>
    token === 'sa-token' ? { username: 'system:serviceaccount:team:builder', uid: 'u1', groups: ['system:serviceaccounts', 'system:serviceaccounts:team'] } : undefined,
};

function fakeRequest(headers: Record<string, string>, peer?: { authorized: boolean; subject: Record<string, string | string[]> }): IncomingMessage {
  const socket = peer ? { authorized: peer.authorized, getPeerCertificate: () => ({ subject: peer.subject }) } : { getPeerCertificate: () => ({}) };
  return { headers, socket } as unknown as IncomingMessage;
}

void describe('createAuthenticator', () => {
  const authn = createAuthenticator({ staticTokens: new Map([['static', { username: 'ops', groups: ['operators'] }]]), serviceAccountTokens: saTokens });

  void it('reads a verified client certificate: CN is the user, O entries the groups', async () => {
    const user = await authn.authenticate(fakeRequest({}, { authorized: true, subject: { CN: 'jane', O: ['dev', 'ops'] } }));
    assert.deepEqual(user, { username: 'jane', groups: ['dev', 'ops', 'system:authenticated'] });
  });

  void it('refuses an unverified client certificate rather than treating it as anonymous', async () => {
    assert.equal(await authn.authenticate(fakeRequest({}, { authorized: false, subject: { CN: 'mallory' } })), undefined);
  });

  void it('accepts static and service-account bearer tokens', async () => {
    assert.deepEqual(await authn.authenticate(fakeRequest({ authorization: 'Bearer static' })), { username: 'ops', groups: ['operators', 'system:authenticated'] });
    const sa = await authn.authenticate(fakeRequest({ authorization: 'bearer sa-token' }));
    assert.equal(sa?.username, 'system:serviceaccount:team:builder');
    assert.ok(sa?.groups.includes('system:authenticated'));
  });

  void it('answers 401 (undefined) for an unknown token', async () => {
    assert.equal(await authn.authenticate(fakeRequest({ authorization: 'Bearer nope' })), undefined);
  });

  void it('treats a request without credentials as system:anonymous', async () => {
    assert.deepEqual(await authn.authenticate(fakeRequest({})), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
    assert.deepEqual(await authn.authenticate(fakeRequest({ authorization: 'Basic Zm9vOmJhcg==' })), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
  });

  void it('rejects tokens of service accounts that no longer exist', async () => {
    const checked: string[] = [];
    const strict = createAuthenticator({
      staticTokens: new Map(),
      serviceAccountTokens: saTokens,
      serviceAccountExists: async (ns, name, uid) => {
        checked.push(`${ns}/${name}/${uid}`);
        return false;
      },
    });
    assert.equal(await strict.authenticate(fakeRequest({ authorization: 'Bearer sa-token' })), undefined);
    assert.deepEqual(checked, ['team/builder/u1']);
  });
});

/** Serves one TLS request the way the API server's listener is set up and returns who it authenticated as. */
async function whoOverTls(authn: Authenticator, pki: Pki, client?: { cert: string; key: string }): Promise<UserInfo | undefined> {
  let seen: Promise<UserInfo | undefined> = Promise.resolve(undefined);
  const server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    seen = authn.authenticate(req);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: pki.ca.cert, agent: false, ...client }, (res) => res.resume().on('end', resolve));
      req.on('error', reject).end();
    });
    return await seen;
  } finally {
    server.close();
  }
}

void describe('createAuthenticator over real TLS', () => {
  void it('reads admin and multi-group certificates, anonymous without one, and refuses a foreign CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minato-authn-'));
    try {
      const [pki, foreign] = await Promise.all([ensurePki(join(dir, 'a'), { hosts: [] }), ensurePki(join(dir, 'b'), { hosts: [] })]);
      const authn = createAuthenticator({ staticTokens: new Map(), serviceAccountTokens: saTokens });
      assert.deepEqual(await whoOverTls(authn, pki, pki.admin), { username: 'admin', groups: ['system:masters', 'system:authenticated'] });
      assert.deepEqual(await whoOverTls(authn, pki, await pki.issueClientCert('jane', ['dev', 'ops'])), { username: 'jane', groups: ['dev', 'ops', 'system:authenticated'] });
      assert.deepEqual(await whoOverTls(authn, pki), { username: 'system:anonymous', groups: ['system:unauthenticated'] });
      assert.equal(await whoOverTls(authn, pki, foreign.admin), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
