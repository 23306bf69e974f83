import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { defaultPod, defaultPodSpec, defaultPullPolicy, podQosClass } from './pod-defaults.ts';

describe('defaultPullPolicy', () => {
  for (const [image, policy] of [['nginx', 'Always'], ['nginx:latest', 'Always'], ['nginx:1.25', 'IfNotPresent'], ['localhost:5000/app', 'Always'], ['localhost:5000/app:v1', 'IfNotPresent'], ['nginx@sha256:abc', 'IfNotPresent']]) {
    it(`${image} → ${policy}`, () => assert.equal(defaultPullPolicy(image ?? ''), policy));
  }
});

describe('defaultPod', () => {
  it('fills in the defaults kubectl describe shows', () => {
    const obj = {
      metadata: { name: 'web' },
      spec: {
        containers: [{
          name: 'app',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: '1', memory: '1Gi' } },
        }],
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'scratch' }],
      },
    };
    defaultPod(obj);
    const pod = obj as Pod;
    const spec = pod.spec;
    const c = spec?.containers[0];
    assert.equal(spec?.restartPolicy, 'Always');
    assert.equal(spec?.dnsPolicy, 'ClusterFirst');
    assert.equal(spec?.schedulerName, 'default-scheduler');
    assert.equal(spec?.terminationGracePeriodSeconds, 30);
    assert.deepEqual(spec?.securityContext, {});
    assert.equal(spec?.enableServiceLinks, true);
    assert.equal(spec?.serviceAccountName, 'default');
    assert.equal(spec?.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(spec?.priority, 0);
    assert.equal(c?.imagePullPolicy, 'IfNotPresent');
    assert.equal(c?.terminationMessagePath, '/dev/termination-log');
    assert.equal(c?.terminationMessagePolicy, 'File');
    assert.equal(c?.ports?.[0]?.protocol, 'TCP');
    assert.equal(c?.env?.[0]?.valueFrom?.fieldRef?.apiVersion, 'v1');
    assert.deepEqual(c?.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c?.resources?.requests, { cpu: '1', memory: '1Gi' });
    assert.equal(spec?.volumes?.[0]?.configMap?.defaultMode, 420);
    assert.deepEqual(spec?.volumes?.[1]?.emptyDir, {});
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.qosClass, 'Guaranteed');
  });

  it('keeps what the user set and is idempotent', () => {
    const obj = { spec: { containers: [{ name: 'a', image: 'x' }], restartPolicy: 'Never', terminationGracePeriodSeconds: 0 } };
    defaultPod(obj);
    const once = JSON.stringify(obj);
    defaultPod(obj);
    assert.equal(JSON.stringify(obj), once);
    assert.equal((obj as Pod).spec?.restartPolicy, 'Never');
    assert.equal((obj as Pod).spec?.terminationGracePeriodSeconds, 0);
  });

  it('sets hostPort for host-network pods', () => {
    const spec = { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 8080 }] }] };
    defaultPodSpec(spec);
    assert.equal(spec.containers[0]?.ports[0] && (spec.containers[0].ports[0] as { hostPort?: number }).hostPort, 8080);
  });
});

describe('podQosClass', () => {
  it('classifies pods', () => {
    assert.equal(podQosClass({ containers: [{ name: 'a' }] }), 'BestEffort');
    assert.equal(podQosClass({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }] }), 'Burstable');
    assert.equal(podQosClass({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }), 'Guaranteed');
  });
});
