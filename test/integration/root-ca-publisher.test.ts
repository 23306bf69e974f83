import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { R } from '../../src/client/resource-ref.ts';
import type { ControllerContext } from '../../src/controllers/controller-context.ts';
import { createRootCaPublisherController, ROOT_CA_CONFIGMAP } from '../../src/controllers/root-ca-publisher/root-ca-publisher-controller.ts';
import { startControllers, until, type ControllerHarness } from '../support/controller-harness.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';

describe('root CA publisher', () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers({ 'root-ca-cert-publisher': (ctx: ControllerContext) => createRootCaPublisherController(ctx, CA) });
  });
  after(() => h.stop());

  it('publishes kube-root-ca.crt in every namespace and puts it back after an edit or a delete', async () => {
    await h.client.create(R.namespaces, { metadata: { name: 'team-a' } });
    const cm = await until(() => h.client.get<ConfigMap>(R.configmaps, 'team-a', ROOT_CA_CONFIGMAP));
    assert.deepEqual(cm.data, { 'ca.crt': CA });
    assert.match(cm.metadata?.annotations?.['kubernetes.io/description'] ?? '', /CA bundle/);
    await until(() => h.client.get<ConfigMap>(R.configmaps, 'default', ROOT_CA_CONFIGMAP));

    await h.client.patch(R.configmaps, 'team-a', ROOT_CA_CONFIGMAP, 'merge', { data: { 'ca.crt': 'tampered', extra: 'x' } });
    await until(async () => assert.deepEqual((await h.client.get<ConfigMap>(R.configmaps, 'team-a', ROOT_CA_CONFIGMAP)).data, { 'ca.crt': CA }));

    await h.client.delete(R.configmaps, 'team-a', ROOT_CA_CONFIGMAP);
    await until(async () => {
      const again = await h.client.get<ConfigMap>(R.configmaps, 'team-a', ROOT_CA_CONFIGMAP);
      assert.notEqual(again.metadata?.uid, cm.metadata?.uid);
    });
  });
});
