import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { BUILTIN_RESOURCES } from '../../api/builtin-resources.ts';
import { loadBuiltinDefinitions } from '../../api/schema/builtin-schemas.ts';
import { createSchemaSet } from '../../api/schema/schema-set.ts';
import { startKubectlStub } from './kubectl-stub.ts';
import { createOpenApiV3 } from './v3.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const run = promisify(execFile);

// Real kubectl is the judge of our OpenAPI v3 documents: explain renders them, and its
// field-validation probe must find `fieldValidation` on the PATCH operation.
test('kubectl 1.33 explains built-in kinds from our OpenAPI v3', { skip: existsSync(KUBECTL) ? false : `${KUBECTL} not installed` }, async (t) => {
  const apps = BUILTIN_RESOURCES.filter((r) => r.group === 'apps' || (r.group === '' && r.kind === 'Pod'));
  const stub = await startKubectlStub(apps, createOpenApiV3(apps, createSchemaSet(await loadBuiltinDefinitions())));
  const dir = mkdtempSync(path.join(tmpdir(), 'minato-kubectl-'));
  t.after(async () => {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${stub.url}"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: t}}]\n`,
  );
  const kubectl = async (...args: string[]): Promise<string> =>
    (await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args], { timeout: 10_000 })).stdout;

  const [strategy, ports] = await Promise.all([kubectl('explain', 'deployment.spec.strategy.rollingUpdate'), kubectl('explain', 'pods.spec.containers.ports')]);
  assert.match(strategy, /FIELD: rollingUpdate <RollingUpdateDeployment>/);
  assert.match(strategy, /maxSurge\t<IntOrString>/);
  assert.match(ports, /FIELD: ports <\[\]ContainerPort>/);
  assert.match(ports, /containerPort\t<integer> -required-/);
  assert.ok(stub.requests.some((r) => r.startsWith('GET /openapi/v3/apis/apps/v1?hash=')));
});
