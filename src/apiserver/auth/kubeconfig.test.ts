import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { renderKubeconfig } from './kubeconfig.ts';

const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';

void describe('renderKubeconfig', () => {
  void it('writes inline base64 credentials that client-node loads', () => {
    const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: CA, user: { clientCert: 'CERT', clientKey: 'KEY' }, namespace: 'team' });
    const kc = new KubeConfig();
    kc.loadFromString(text);
    assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString(), CA);
    assert.equal(Buffer.from(kc.getCurrentUser()?.certData ?? '', 'base64').toString(), 'CERT');
    assert.equal(Buffer.from(kc.getCurrentUser()?.keyData ?? '', 'base64').toString(), 'KEY');
    assert.equal(kc.getContextObject(kc.getCurrentContext())?.namespace, 'team');
  });

  void it('names cluster, context and user, and carries tokens as is', () => {
    const doc = parse(renderKubeconfig({ server: 'https://h:1', caPem: CA, user: { token: 'abc' }, clusterName: 'c', contextName: 'ctx' })) as Record<string, unknown>;
    assert.equal(doc['current-context'], 'ctx');
    assert.deepEqual(doc.users, [{ name: 'ctx', user: { token: 'abc' } }]);
    assert.deepEqual(doc.contexts, [{ name: 'ctx', context: { cluster: 'c', user: 'ctx' } }]);
  });
});
