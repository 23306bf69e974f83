import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { Attributes, Authorizer } from './authorizer.ts';
import { applyImpersonation, ImpersonationError } from './impersonation.ts';
import type { UserInfo } from './user-info.ts';

/** Sends a real request so repeated headers arrive exactly as Node parses them, and hands back the server side. */
async function receive(headers: Record<string, string | string[]>): Promise<IncomingMessage> {
  const server = createServer((_req, res) => res.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const received = new Promise<IncomingMessage>((resolve) => server.once('request', resolve));
    const req = request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, headers, agent: false });
    req.end();
    const done = new Promise((resolve) => req.on('response', (res) => res.resume().on('end', resolve)));
    const incoming = await received;
    await done;
    return incoming;
  } finally {
    server.close();
  }
}

/** Allows exactly the listed `resource:name` pairs and records every check. */
function allowing(...allowed: string[]): Authorizer & { checks: Attributes[] } {
  const checks: Attributes[] = [];
  return {
    checks,
    async authorize(attrs) {
      checks.push(attrs);
      const key = `${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''}:${attrs.name}`;
      return { allowed: allowed.includes(key), reason: '' };
    },
  };
}

const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };

void describe('applyImpersonation', () => {
  void it('returns the caller unchanged when nothing is impersonated', async () => {
    assert.equal(await applyImpersonation(await receive({}), bob, allowing()), bob);
  });

  void it('impersonates a user with several groups, a uid and extras once each is allowed', async () => {
    const authz = allowing('users:jane', 'groups:dev', 'groups:ops', 'uids:42', 'userextras/scopes.example.com:read');
    const req = await receive({ 'Impersonate-User': 'jane', 'Impersonate-Group': ['dev', 'ops'], 'Impersonate-Uid': '42', 'Impersonate-Extra-Scopes.example.com': 'read' });
    const user = await applyImpersonation(req, bob, authz);
    assert.deepEqual(user, { username: 'jane', uid: '42', groups: ['dev', 'ops', 'system:authenticated'], extra: { 'scopes.example.com': ['read'] } });
    assert.deepEqual(authz.checks.map((c) => [c.verb, c.apiGroup, c.resource]), [
      ['impersonate', 'authentication.k8s.io', 'users'],
      ['impersonate', 'authentication.k8s.io', 'groups'],
      ['impersonate', 'authentication.k8s.io', 'groups'],
      ['impersonate', 'authentication.k8s.io', 'userextras'],
      ['impersonate', 'authentication.k8s.io', 'uids'],
    ]);
  });

  void it('refuses with a 403 naming the first forbidden part', async () => {
    const req = await receive({ 'Impersonate-User': 'jane', 'Impersonate-Group': 'system:masters' });
    await assert.rejects(applyImpersonation(req, bob, allowing('users:jane')), (err: unknown) => {
      assert.ok(err instanceof ImpersonationError);
      assert.equal(err.code, 403);
      assert.equal(err.message, 'groups.authentication.k8s.io "system:masters" is forbidden: User "bob" cannot impersonate resource "groups" in API group "authentication.k8s.io" at the cluster scope');
      return true;
    });
  });

  void it('checks service accounts as namespaced serviceaccounts and gives them their groups', async () => {
    const authz = allowing('serviceaccounts:builder');
    const user = await applyImpersonation(await receive({ 'Impersonate-User': 'system:serviceaccount:team:builder' }), bob, authz);
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated']);
    assert.deepEqual([authz.checks[0]?.apiGroup, authz.checks[0]?.namespace], ['', 'team']);
  });

  void it('keeps system:anonymous unauthenticated', async () => {
    const user = await applyImpersonation(await receive({ 'Impersonate-User': 'system:anonymous' }), bob, allowing('users:system:anonymous'));
    assert.deepEqual(user.groups, ['system:unauthenticated']);
  });

  void it('rejects groups without a user', async () => {
    await assert.rejects(applyImpersonation(await receive({ 'Impersonate-Group': 'dev' }), bob, allowing('groups:dev')), ImpersonationError);
  });
});
