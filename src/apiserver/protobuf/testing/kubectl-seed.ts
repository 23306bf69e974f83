/** Objects the stub serves on GET so that commands which read before writing can run (test-only). */
import type { KubeObject } from '../../../api/types.ts';

export const seedObjects: Record<string, KubeObject> = {
  '/api/v1/namespaces/default/pods/web-0': {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', uid: 'pod-uid', resourceVersion: '3', labels: { app: 'web' } },
    spec: {
      nodeName: 'node1', containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
    status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] },
  },
  '/api/v1/nodes/node1': { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', uid: 'node-uid' }, spec: {} },
  '/apis/apps/v1/namespaces/default/deployments/web-src': {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web-src', namespace: 'default', uid: 'deploy-uid' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  },
  // A rich job template, so `create job --from=cronjob/…` sends volumes, env sources, probes and resources.
  '/apis/batch/v1/namespaces/default/cronjobs/nightly': {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'default', uid: 'cron-uid' },
    spec: {
      schedule: '0 0 * * *',
      jobTemplate: {
        metadata: { labels: { team: 'a' } },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'conf', configMap: { name: 'cm1', defaultMode: 420 } }],
              containers: [{
                name: 'c', image: 'busybox', args: ['run'],
                env: [{ name: 'EMPTY', value: '' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                resources: { limits: { cpu: '500m', memory: '64Mi' } },
                readinessProbe: { httpGet: { port: 'http', path: '/healthz' }, periodSeconds: 5 },
                securityContext: { runAsNonRoot: false, runAsUser: 0 },
                volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
              }],
            },
          },
        },
      },
    },
  },
  '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1': {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
    metadata: { name: 'csr1', uid: 'csr-uid', resourceVersion: '5' },
    spec: {
      request: 'aGVsbG8=', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'],
      username: 'bob', extra: { scopes: ['a', 'b'] },
    },
    status: {},
  },
};
