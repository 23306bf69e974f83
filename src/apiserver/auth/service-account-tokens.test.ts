import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { generateKeyPairPem } from './pki-certs.ts';
import { createServiceAccountTokens } from './service-account-tokens.ts';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';

function fixture(start = new Date('2026-01-01T00:00:00Z')) {
  const clock = { now: start };
  const keys = generateKeyPairPem();
  const tokens = createServiceAccountTokens({ privateKeyPem: keys.privateKey, publicKeyPem: keys.publicKey, issuer: ISSUER, now: () => clock.now });
  return { clock, keys, tokens };
}

const request = { namespace: 'team', name: 'builder', uid: 'sa-uid', audiences: [], expirationSeconds: 3600 };

void describe('createServiceAccountTokens', () => {
  void it('issues a token carrying upstream claims and verifies it back to the service account', async () => {
    const { tokens } = fixture();
    const issued = await tokens.issue(request);
    assert.equal(issued.expirationTimestamp, '2026-01-01T01:00:00Z');
    const claims = decodeJwt(issued.token);
    assert.equal(claims.sub, 'system:serviceaccount:team:builder');
    assert.equal(claims.iss, ISSUER);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'team', serviceaccount: { name: 'builder', uid: 'sa-uid' } });
    assert.equal(decodeProtectedHeader(issued.token).alg, 'ES256');
    const user = await tokens.verify(issued.token);
    assert.equal(user?.username, 'system:serviceaccount:team:builder');
    assert.equal(user?.uid, 'sa-uid');
    assert.deepEqual(user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:team']);
    assert.match(user?.extra?.['authentication.kubernetes.io/credential-id']?.[0] ?? '', /^JTI=/);
  });

  void it('rejects tokens once the injected clock passes their expiry', async () => {
    const { clock, tokens } = fixture();
    const { token } = await tokens.issue(request);
    clock.now = new Date('2026-01-01T00:59:00Z');
    assert.ok(await tokens.verify(token));
    clock.now = new Date('2026-01-01T01:00:01Z');
    assert.equal(await tokens.verify(token), undefined);
  });

  void it('checks audiences: custom-audience tokens are not API credentials', async () => {
    const { tokens } = fixture();
    const { token } = await tokens.issue({ ...request, audiences: ['vault'] });
    assert.equal(await tokens.verify(token), undefined);
    assert.ok(await tokens.verify(token, ['vault']));
  });

  void it('records the bound pod and its node as user extras', async () => {
    const { tokens } = fixture();
    const { token } = await tokens.issue({ ...request, boundObject: { kind: 'Pod', name: 'web-0', uid: 'pod-uid', nodeName: 'n1', nodeUid: 'node-uid' } });
    const user = await tokens.verify(token);
    assert.deepEqual(user?.extra?.['authentication.kubernetes.io/pod-name'], ['web-0']);
    assert.deepEqual(user?.extra?.['authentication.kubernetes.io/node-name'], ['n1']);
  });

  void it('rejects tokens signed by another key, tampered tokens and garbage', async () => {
    const { tokens } = fixture();
    const other = fixture().tokens;
    const { token } = await other.issue(request);
    assert.equal(await tokens.verify(token), undefined);
    const own = (await tokens.issue(request)).token;
    const [header, , signature] = own.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(own), sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url');
    assert.equal(await tokens.verify(`${header}.${forged}.${signature}`), undefined);
    assert.equal(await tokens.verify('not-a-jwt'), undefined);
  });
});
