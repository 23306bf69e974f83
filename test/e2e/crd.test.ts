import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, freshNamespace, getJson, manifestFile, ok, uniqueName, VERSIONS } from './e2e-helpers.ts';

/** A namespaced CRD with a structural schema, a status subresource and printer columns. */
function crdManifest(group: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: databases.${group}
spec:
  group: ${group}
  scope: Namespaced
  names:
    plural: databases
    singular: database
    kind: Database
    shortNames: [db]
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      additionalPrinterColumns:
        - name: Engine
          type: string
          jsonPath: .spec.engine
        - name: Size
          type: integer
          jsonPath: .spec.sizeGb
        - name: Phase
          type: string
          jsonPath: .status.phase
        - name: Age
          type: date
          jsonPath: .metadata.creationTimestamp
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [engine]
              properties:
                engine:
                  type: string
                  enum: [postgres, mysql]
                sizeGb:
                  type: integer
                  minimum: 1
                  maximum: 100
            status:
              type: object
              properties:
                phase:
                  type: string
`;
}

function database(group: string, ns: string, name: string, spec: string): string {
  return `apiVersion: ${group}/v1\nkind: Database\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;
}

describe('CustomResourceDefinitions through kubectl', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  before(async () => {
    server = await startServerProcess();
    k = clients(server.kubeconfig);
  });
  after(async () => server?.dispose());

  for (const v of VERSIONS) {
    test(`${v}: a CRD is served with its printer columns, schema validation and status subresource`, async () => {
      const kc = k[v] as Kubectl;
      const group = `${uniqueName('g')}.example.com`;
      await ok(kc, ['apply', '-f', manifestFile(crdManifest(group))]);
      await ok(kc, ['wait', '--for=condition=Established', `crd/databases.${group}`, '--timeout=30s']);
      const ns = await freshNamespace(kc, 'crd');
      await ok(kc, ['apply', '-f', manifestFile(database(group, ns, 'orders', '  engine: postgres\n  sizeGb: 20\n'))]);

      const table = await ok(kc, ['get', `databases.${group}`, '-n', ns]);
      const [header, row] = table.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
      assert.deepEqual(header, ['NAME', 'ENGINE', 'SIZE', 'PHASE', 'AGE']);
      assert.deepEqual(row?.slice(0, 3), ['orders', 'postgres', '20']);

      const bad = await kc(['apply', '-f', manifestFile(database(group, ns, 'broken', '  engine: oracle\n  sizeGb: 500\n'))]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /Invalid/);
      assert.match(bad.stderr, /spec\.engine: Unsupported value: "oracle": supported values: "postgres", "mysql"/);
      assert.match(bad.stderr, /spec\.sizeGb: Invalid value: 500: spec\.sizeGb in body should be less than or equal to 100/);
      const missing = await kc(['create', '-f', manifestFile(database(group, ns, 'empty', '  sizeGb: 5\n'))]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /spec\.engine: Required value/);
      const strict = await kc(['create', '--validate=strict', '-f', manifestFile(database(group, ns, 'extra', '  engine: mysql\n  replicas: 3\n'))]);
      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /unknown field "spec\.replicas"/);

      // Writes to the main resource ignore status; /status takes it.
      await ok(kc, ['patch', `databases.${group}`, 'orders', '-n', ns, '--type=merge', '-p', '{"status":{"phase":"Ready"}}']);
      assert.equal((await getJson<{ status?: { phase?: string } }>(kc, [`databases.${group}`, 'orders', '-n', ns])).status?.phase, undefined);
      await ok(kc, ['patch', `databases.${group}`, 'orders', '-n', ns, '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Ready"}}']);
      const ready = await ok(kc, ['get', 'db', 'orders', '-n', ns, '--no-headers']);
      assert.deepEqual(ready.trim().split(/\s{2,}/).slice(0, 4), ['orders', 'postgres', '20', 'Ready']);

      const resources = await ok(kc, ['api-resources', `--api-group=${group}`]);
      assert.match(resources, new RegExp(`^databases\\s+db\\s+${group.replace(/\./g, '\\.')}/v1\\s+true\\s+Database$`, 'm'));
      const explained = await ok(kc, ['explain', `databases.${group}.spec.engine`]);
      assert.match(explained, /^FIELD:\s+engine <string>$/m);

      await ok(kc, ['delete', 'crd', `databases.${group}`]);
      const gone = await kc(['get', `databases.${group}`, '-n', ns]);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /the server doesn't have a resource type/);
    });
  }
});
