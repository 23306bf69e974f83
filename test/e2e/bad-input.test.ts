import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServerProcess, type ServerProcess } from '../support/minato-server.ts';
import type { Kubectl } from '../support/kubectl.ts';
import { clients, freshNamespace, manifestFile, uniqueName, VERSIONS } from './e2e-helpers.ts';

function configMap(name: string, ns: string, extra = ''): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}data:\n  a: "1"\n`;
}

describe('bad input through kubectl is rejected the way kube-apiserver rejects it', () => {
  let server: ServerProcess;
  let k: Record<string, Kubectl>;
  before(async () => {
    server = await startServerProcess();
    k = clients(server.kubeconfig);
  });
  after(async () => server?.dispose());

  for (const v of [...VERSIONS, 'dispatcher']) {
    test(`${v}: unknown fields, invalid names, missing namespaces, wrong types`, async () => {
      const kc = k[v] as Kubectl;
      const ns = await freshNamespace(kc, 'bad');
      const unknown = manifestFile(configMap('strict', ns).replace(/^data:/m, 'bogus: 1\ndata:'));
      const [strict, warn, invalidName, missingNs, wrongType, badReplicas] = await Promise.all([
        kc(['create', '--validate=strict', '-f', unknown]),
        kc(['create', '--validate=warn', '-f', unknown]),
        kc(['create', '-f', manifestFile(configMap('Not_A_Name', ns))]),
        kc(['create', '-f', manifestFile(configMap('orphan', uniqueName('nowhere')))]),
        kc(['create', '--validate=false', '-f', manifestFile(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\n  namespace: ${ns}\ndata: [1, 2]\n`)]),
        kc(['create', 'deployment', 'neg', '-n', ns, '--image=nginx', '--replicas=-1']),
      ]);

      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /unknown field "bogus"/);
      assert.equal(warn.code, 0, warn.stderr);
      assert.match(warn.stderr, /Warning: unknown field "bogus"/);

      assert.equal(invalidName.code, 1);
      assert.match(invalidName.stderr, /ConfigMap "Not_A_Name" is invalid: metadata\.name: Invalid value: "Not_A_Name": a lowercase RFC 1123 subdomain must consist of/);

      assert.equal(missingNs.code, 1);
      assert.match(missingNs.stderr, /Error from server \(NotFound\).*namespaces "nowhere-[0-9a-f]+" not found/);

      assert.equal(wrongType.code, 1);
      assert.match(wrongType.stderr, /BadRequest|cannot unmarshal/);

      assert.equal(badReplicas.code, 1);
      assert.match(badReplicas.stderr, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    });
  }
});
