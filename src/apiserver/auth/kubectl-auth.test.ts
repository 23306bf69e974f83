import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1.js';
import { createAuthenticator, type Authenticator } from './authenticator.ts';
import { bootstrapRbacObjects } from './bootstrap-policy.ts';
import { applyImpersonation, ImpersonationError } from './impersonation.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { ensurePki, type Pki } from './pki.ts';
import { createRbacAuthorizer, type RbacAuthorizer } from './rbac-authorizer.ts';
import { answerSelfSubjectAccessReview, answerSelfSubjectReview, answerSelfSubjectRulesReview } from './reviews.ts';
import { createServiceAccountTokens } from './service-account-tokens.ts';

// 1.31 sends JSON request bodies (1.32+ send protobuf, which is the API server's business, not ours).
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.31';

const POD_RESOURCE = { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] };
const SECRET_RESOURCE = { ...POD_RESOURCE, name: 'secrets', singularName: 'secret', kind: 'Secret' };

/** Just enough of an API server for `kubectl auth`: legacy discovery plus the review endpoints, wired to this folder. */
function handler(authn: Authenticator, authz: RbacAuthorizer) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const caller = await authn.authenticate(req);
    if (!caller) return send(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', message: 'Unauthorized', code: 401 });
    const user = await applyImpersonation(req, caller, authz).catch((err: unknown) => {
      if (err instanceof ImpersonationError) return err;
      throw err;
    });
    if (user instanceof ImpersonationError) {
      return send(user.code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: user.reason, message: user.message, code: user.code });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : {};
    const path = (req.url ?? '').split('?')[0];
    if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') return send(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [POD_RESOURCE, SECRET_RESOURCE] });
    if (path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') return send(201, await answerSelfSubjectAccessReview(body, user, authz));
    if (path === '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews') return send(201, await answerSelfSubjectRulesReview(body, user, authz));
    if (path === '/apis/authentication.k8s.io/v1/selfsubjectreviews') return send(201, answerSelfSubjectReview(user));
    return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 });
  };
}

void describe('real kubectl auth against this folder', { skip: !existsSync(KUBECTL) && 'kubectl.1.31 not installed' }, () => {
  let dir: string;
  let pki: Pki;
  let server: Server;
  const kubeconfigFor = async (name: string, user: { clientCert: string; clientKey: string }) => {
    const file = join(dir, `${name}.kubeconfig`);
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await writeFile(file, renderKubeconfig({ server: url, caPem: pki.ca.cert, user, namespace: 'team' }));
    return file;
  };
  let runs = 0;
  const kubectl = async (kubeconfig: string, ...args: string[]) => {
    // A cache dir per run: the invocations below run in parallel and must not share discovery caches.
    const cacheDir = join(dir, `cache-${runs++}`);
    try {
      const { stdout } = await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 20_000 });
      return { code: 0, out: stdout.trim() };
    } catch (err) {
      const failed = err as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: `${failed.stdout}${failed.stderr}`.trim() };
    }
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-kubectl-auth-'));
    pki = await ensurePki(join(dir, 'pki'), { hosts: [] });
    const defaults = bootstrapRbacObjects();
    const viewJane: RoleBinding = {
      metadata: { name: 'jane-view', namespace: 'team' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }],
    };
    const authz = createRbacAuthorizer({
      clusterRoles: async () => defaults.filter((o) => o.kind === 'ClusterRole') as unknown as ClusterRole[],
      clusterRoleBindings: async () => defaults.filter((o) => o.kind === 'ClusterRoleBinding') as unknown as ClusterRoleBinding[],
      roles: async () => [],
      roleBindings: async (ns) => (ns === 'team' ? [viewJane] : []),
    });
    const keys = pki.serviceAccount;
    const tokens = createServiceAccountTokens({ privateKeyPem: keys.privateKey, publicKeyPem: keys.publicKey, issuer: 'https://kubernetes.default.svc', now: () => new Date() });
    const authn = createAuthenticator({ staticTokens: new Map(), serviceAccountTokens: tokens });
    const handle = handler(authn, authz);
    server = createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      handle(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  void it('tells the truth for can-i, can-i --list, whoami and --as', async () => {
    const admin = await kubeconfigFor('admin', { clientCert: pki.admin.cert, clientKey: pki.admin.key });
    const jane = await pki.issueClientCert('jane', ['dev']);
    const janeConfig = await kubeconfigFor('jane', { clientCert: jane.cert, clientKey: jane.key });

    const [canI, whoami, list, refused] = await Promise.all([
      Promise.all([
        kubectl(admin, 'auth', 'can-i', 'delete', 'nodes'),
        kubectl(janeConfig, 'auth', 'can-i', 'list', 'pods'),
        kubectl(janeConfig, 'auth', 'can-i', 'get', 'secrets'),
        kubectl(janeConfig, 'auth', 'can-i', 'list', 'pods', '-n', 'other'),
        kubectl(admin, 'auth', 'can-i', 'list', 'pods', '--as', 'jane'),
        kubectl(admin, 'auth', 'can-i', 'create', 'pods', '--as', 'jane'),
      ]),
      kubectl(janeConfig, 'auth', 'whoami', '-o', 'json'),
      kubectl(janeConfig, 'auth', 'can-i', '--list'),
      kubectl(janeConfig, 'auth', 'can-i', 'list', 'pods', '--as', 'bob'),
    ]);
    assert.deepEqual(canI, [
      { code: 0, out: 'yes' },
      { code: 0, out: 'yes' },
      { code: 1, out: 'no' },
      { code: 1, out: 'no' },
      { code: 0, out: 'yes' },
      { code: 1, out: 'no' },
    ]);
    assert.deepEqual((JSON.parse(whoami.out) as { status: { userInfo: unknown } }).status.userInfo, { username: 'jane', groups: ['dev', 'system:authenticated'] });
    assert.equal(list.code, 0);
    assert.match(list.out, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.match(list.out, /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
    assert.notEqual(refused.code, 0);
    assert.match(refused.out, /users\.authentication\.k8s\.io "bob" is forbidden: User "jane" cannot impersonate resource "users"/);
  });
});
