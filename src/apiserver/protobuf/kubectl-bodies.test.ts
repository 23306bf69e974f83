/**
 * Runs the real kubectl 1.32 and 1.33 (which send typed-client writes as protobuf) against a loopback stub and
 * checks that every body decodes to the object kubectl meant. A version whose binary is not installed is skipped.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.ts';
import { PROTOBUF_MEDIA_TYPE } from './decode.ts';
import { startKubectlStub, type CapturedWrite, type KubectlStub } from './testing/kubectl-stub-server.ts';
import { seedObjects } from './testing/kubectl-seed.ts';
import { kubeconfigDir, kubectlBinary, runKubectl, type KubectlResult } from './testing/run-kubectl.ts';

interface Case {
  args: (dir: string) => string[];
  /** Picks this command's write among everything the stub received. */
  write: (w: CapturedWrite) => boolean;
  expect: (object: KubeObject) => void;
}

const to = (path: string, name?: string) => (w: CapturedWrite) =>
  w.path === path && (name === undefined || w.object?.metadata?.name === name || w.error !== undefined);
const ns = '/api/v1/namespaces/default';
const rbac = '/apis/rbac.authorization.k8s.io/v1';
const ssar = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const specOf = (w: CapturedWrite) => JSON.stringify(w.object?.spec ?? {});
const rbacGroup = 'rbac.authorization.k8s.io';

const cases: Record<string, Case> = {
  'create namespace': {
    args: () => ['create', 'namespace', 'team-a'],
    write: to('/api/v1/namespaces', 'team-a'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }),
  },
  'create configmap --from-literal --from-file': {
    args: (dir) => ['create', 'configmap', 'cm1', '--from-literal=a=1', '--from-literal=empty=', `--from-file=${join(dir, 'app.conf')}`],
    write: to(`${ns}/configmaps`, 'cm1'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' },
      data: { a: '1', empty: '', 'app.conf': 'port = 80\n' } }),
  },
  'create secret generic': {
    args: () => ['create', 'secret', 'generic', 's1', '--from-literal=user=admin', '--type=Opaque'],
    write: to(`${ns}/secrets`, 's1'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' },
      data: { user: Buffer.from('admin').toString('base64') }, type: 'Opaque' }),
  },
  'create secret tls': {
    args: (dir) => ['create', 'secret', 'tls', 'tls1', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`],
    write: to(`${ns}/secrets`, 'tls1'),
    expect: (o) => {
      assert.equal(o.type, 'kubernetes.io/tls');
      const data = o.data as Record<string, string>;
      assert.match(Buffer.from(data['tls.crt'] ?? '', 'base64').toString(), /^-----BEGIN CERTIFICATE-----/);
      assert.match(Buffer.from(data['tls.key'] ?? '', 'base64').toString(), /PRIVATE KEY-----/);
    },
  },
  'create secret docker-registry': {
    args: () => ['create', 'secret', 'docker-registry', 'reg1', '--docker-server=r.io', '--docker-username=u', '--docker-password=p'],
    write: to(`${ns}/secrets`, 'reg1'),
    expect: (o) => {
      assert.equal(o.type, 'kubernetes.io/dockerconfigjson');
      const config = (o.data as Record<string, string>)['.dockerconfigjson'] ?? '';
      assert.deepEqual(JSON.parse(Buffer.from(config, 'base64').toString()),
        { auths: { 'r.io': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') } } });
    },
  },
  'create deployment --replicas --port -- command': {
    args: () => ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80', '--', 'nginx', '-g', 'daemon off;'],
    write: to('/apis/apps/v1/namespaces/default/deployments', 'web'),
    expect: (o) => assert.deepEqual(o, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{
          name: 'nginx', image: 'nginx:1.27', command: ['nginx', '-g', 'daemon off;'], ports: [{ containerPort: 80 }],
        }] } },
      },
    }),
  },
  'create deployment --replicas=0 keeps the zero': {
    args: () => ['create', 'deployment', 'idle', '--image=nginx', '--replicas=0'],
    write: to('/apis/apps/v1/namespaces/default/deployments', 'idle'),
    expect: (o) => assert.equal((o.spec as { replicas?: number }).replicas, 0),
  },
  'create job --image -- command': {
    args: () => ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi'],
    write: to('/apis/batch/v1/namespaces/default/jobs', 'once'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' },
      spec: { template: { spec: { containers: [{ name: 'once', image: 'busybox', command: ['echo', 'hi'] }], restartPolicy: 'Never' } } } }),
  },
  'create job --from=cronjob': {
    args: () => ['create', 'job', 'manual', '--from=cronjob/nightly'],
    write: to('/apis/batch/v1/namespaces/default/jobs', 'manual'),
    expect: (o) => assert.deepEqual(o, {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name: 'manual', labels: { team: 'a' }, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cron-uid', controller: true }],
      },
      spec: { backoffLimit: 0, template: { spec: {
        restartPolicy: 'Never',
        volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'conf', configMap: { name: 'cm1', defaultMode: 420 } }],
        containers: [{
          name: 'c', image: 'busybox', args: ['run'],
          env: [{ name: 'EMPTY' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          resources: { limits: { cpu: '500m', memory: '64Mi' } },
          readinessProbe: { httpGet: { port: 'http', path: '/healthz' }, periodSeconds: 5 },
          securityContext: { runAsNonRoot: false, runAsUser: 0 },
          volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
        }],
      } } },
    }),
  },
  'create cronjob': {
    args: () => ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'],
    write: to('/apis/batch/v1/namespaces/default/cronjobs', 'tick'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' },
      spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { name: 'tick' }, spec: { template: { spec: {
        containers: [{ name: 'tick', image: 'busybox', command: ['date'] }], restartPolicy: 'OnFailure' } } } } } }),
  },
  'create service clusterip': {
    args: () => ['create', 'service', 'clusterip', 'svc-c', '--tcp=80:8080', '--tcp=443'],
    write: to(`${ns}/services`, 'svc-c'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc-c', labels: { app: 'svc-c' } },
      spec: { type: 'ClusterIP', selector: { app: 'svc-c' }, ports: [
        { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
        { name: '443', protocol: 'TCP', port: 443, targetPort: 443 }] } }),
  },
  'create service nodeport': {
    args: () => ['create', 'service', 'nodeport', 'svc-n', '--tcp=80:http', '--node-port=30080'],
    write: to(`${ns}/services`, 'svc-n'),
    expect: (o) => assert.deepEqual((o.spec as { ports: unknown }).ports,
      [{ name: '80-http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }]),
  },
  'create service loadbalancer': {
    args: () => ['create', 'service', 'loadbalancer', 'svc-l', '--tcp=443:8443'],
    write: to(`${ns}/services`, 'svc-l'),
    expect: (o) => assert.equal((o.spec as { type: string }).type, 'LoadBalancer'),
  },
  'create service externalname': {
    args: () => ['create', 'service', 'externalname', 'svc-e', '--external-name=example.com'],
    write: to(`${ns}/services`, 'svc-e'),
    expect: (o) => assert.deepEqual(o.spec, { type: 'ExternalName', externalName: 'example.com', selector: { app: 'svc-e' } }),
  },
  'create serviceaccount': {
    args: () => ['create', 'serviceaccount', 'robot'],
    write: to(`${ns}/serviceaccounts`, 'robot'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } }),
  },
  'create quota': {
    args: () => ['create', 'quota', 'q1', '--hard=cpu=1,memory=1G,pods=2', '--scopes=BestEffort'],
    write: to(`${ns}/resourcequotas`, 'q1'),
    expect: (o) => assert.deepEqual(o.spec, { hard: { cpu: '1', memory: '1G', pods: '2' }, scopes: ['BestEffort'] }),
  },
  'create role': {
    args: () => ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=x'],
    write: to(`${rbac}/namespaces/default/roles`, 'reader'),
    expect: (o) => assert.deepEqual(o.rules, [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['x'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['x'] }]),
  },
  'create clusterrole --non-resource-url': {
    args: () => ['create', 'clusterrole', 'health', '--verb=get', '--non-resource-url=/healthz'],
    write: to(`${rbac}/clusterroles`, 'health'),
    expect: (o) => assert.deepEqual(o.rules, [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]),
  },
  'create clusterrole --aggregation-rule': {
    args: () => ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate=true'],
    write: to(`${rbac}/clusterroles`, 'agg'),
    expect: (o) => assert.deepEqual(o.aggregationRule,
      { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] }),
  },
  'create rolebinding': {
    args: () => ['create', 'rolebinding', 'rb1', '--role=reader', '--user=alice', '--serviceaccount=default:robot'],
    write: to(`${rbac}/namespaces/default/rolebindings`, 'rb1'),
    expect: (o) => {
      assert.deepEqual(o.roleRef, { apiGroup: rbacGroup, kind: 'Role', name: 'reader' });
      assert.deepEqual(o.subjects, [{ kind: 'User', apiGroup: rbacGroup, name: 'alice' },
        { kind: 'ServiceAccount', name: 'robot', namespace: 'default' }]);
    },
  },
  'create clusterrolebinding': {
    args: () => ['create', 'clusterrolebinding', 'crb1', '--clusterrole=health', '--group=devs'],
    write: to(`${rbac}/clusterrolebindings`, 'crb1'),
    expect: (o) => assert.deepEqual(o, { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'crb1' },
      subjects: [{ kind: 'Group', apiGroup: rbacGroup, name: 'devs' }],
      roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: 'health' } }),
  },
  'create poddisruptionbudget --min-available': {
    args: () => ['create', 'poddisruptionbudget', 'pdb-min', '--selector=app=web', '--min-available=50%'],
    write: to('/apis/policy/v1/namespaces/default/poddisruptionbudgets', 'pdb-min'),
    expect: (o) => assert.deepEqual(o.spec, { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }),
  },
  'create pdb --max-unavailable=0 keeps the zero': {
    args: () => ['create', 'pdb', 'pdb-max', '--selector=app=web', '--max-unavailable=0'],
    write: to('/apis/policy/v1/namespaces/default/poddisruptionbudgets', 'pdb-max'),
    expect: (o) => assert.deepEqual(o.spec, { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } }),
  },
  'create priorityclass': {
    args: () => ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never'],
    write: to('/apis/scheduling.k8s.io/v1/priorityclasses', 'high'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' },
      value: 1000, description: 'important', preemptionPolicy: 'Never' }),
  },
  'create priorityclass --value=0 keeps the zero': {
    args: () => ['create', 'priorityclass', 'zero', '--value=0', '--global-default'],
    write: to('/apis/scheduling.k8s.io/v1/priorityclasses', 'zero'),
    expect: (o) => {
      assert.equal(o.value, 0);
      assert.equal(o.globalDefault, true);
    },
  },
  'create ingress': {
    args: () => ['create', 'ingress', 'ing1', '--class=nginx', '--rule=foo.com/bar*=svc-c:8080,tls=foo-cert',
      '--default-backend=svc-n:http', '--annotation=team=a'],
    write: to('/apis/networking.k8s.io/v1/namespaces/default/ingresses', 'ing1'),
    expect: (o) => assert.deepEqual(o, {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing1', annotations: { team: 'a' } },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'svc-n', port: { name: 'http' } } },
        tls: [{ hosts: ['foo.com'], secretName: 'foo-cert' }],
        rules: [{ host: 'foo.com', http: { paths: [
          { path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc-c', port: { number: 8080 } } } }] } }],
      },
    }),
  },
  'create token': {
    args: () => ['create', 'token', 'robot', '--audience=api', '--duration=1h',
      '--bound-object-kind=Pod', '--bound-object-name=p1', '--bound-object-uid=u1'],
    write: to(`${ns}/serviceaccounts/robot/token`),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {
      audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: 'u1' } } }),
  },
  'auth can-i (resource)': {
    args: () => ['auth', 'can-i', 'list', 'pods', '--subresource=log', '-n', 'kube-system'],
    write: (w) => w.path === ssar && specOf(w).includes('kube-system'),
    expect: (o) => assert.deepEqual(o.spec, { resourceAttributes: {
      namespace: 'kube-system', verb: 'list', resource: 'pods', subresource: 'log' } }),
  },
  'auth can-i (non-resource)': {
    args: () => ['auth', 'can-i', 'get', '/logs'],
    write: (w) => w.path === ssar && specOf(w).includes('/logs'),
    expect: (o) => assert.deepEqual(o.spec, { nonResourceAttributes: { path: '/logs', verb: 'get' } }),
  },
  'auth can-i --list': {
    args: () => ['auth', 'can-i', '--list'],
    write: to('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'),
    expect: (o) => assert.deepEqual(o.spec, { namespace: 'default' }),
  },
  'auth whoami': {
    args: () => ['auth', 'whoami'],
    write: to('/apis/authentication.k8s.io/v1/selfsubjectreviews'),
    expect: (o) => assert.deepEqual(o, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
  },
  // kubectl 1.32 creates autoscaling/v1 HPAs, 1.33 autoscaling/v2.
  'autoscale': {
    args: () => ['autoscale', 'deployment', 'web-src', '--min=2', '--max=5', '--cpu-percent=80'],
    write: (w) => /^\/apis\/autoscaling\/v[12]\/namespaces\/default\/horizontalpodautoscalers$/.test(w.path),
    expect: (o) => {
      const target = { kind: 'Deployment', name: 'web-src', apiVersion: 'apps/v1' };
      assert.deepEqual(o.spec, o.apiVersion === 'autoscaling/v1'
        ? { scaleTargetRef: target, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 }
        : { scaleTargetRef: target, minReplicas: 2, maxReplicas: 5,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    },
  },
  'debug node (creates a pod)': {
    args: () => ['debug', 'node/node1', '--image=busybox', '--profile=legacy'],
    write: (w) => w.path === `${ns}/pods` && (w.error !== undefined || (w.object?.metadata?.name ?? '').startsWith('node-debugger-')),
    expect: (o) => {
      const spec = o.spec as Record<string, unknown>;
      assert.match(o.metadata?.name ?? '', /^node-debugger-node1-/);
      assert.equal(spec.nodeName, 'node1');
      assert.equal(spec.hostPID, true);
      assert.deepEqual(spec.volumes, [{ name: 'host-root', hostPath: { path: '/' } }]);
      assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }]);
    },
  },
  'debug --copy-to (copies a pod)': {
    args: () => ['debug', 'web-0', '--copy-to=web-0-debug', '--set-image=c=nginx:2', '--same-node', '--profile=general'],
    write: to(`${ns}/pods`, 'web-0-debug'),
    expect: (o) => assert.deepEqual(o, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0-debug', namespace: 'default', labels: { app: 'web' } },
      spec: {
        nodeName: 'node1', containers: [{ name: 'c', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      },
    }),
  },
  'certificate approve (PUT /approval)': {
    args: () => ['certificate', 'approve', 'csr1'],
    write: to('/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1/approval'),
    expect: (o) => {
      assert.deepEqual(o.spec, { request: 'aGVsbG8=', signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'], username: 'bob', extra: { scopes: ['a', 'b'] } });
      const [condition] = (o.status as { conditions: Record<string, unknown>[] }).conditions;
      assert.equal(condition?.type, 'Approved');
      assert.equal(condition?.status, 'True');
      assert.match(String(condition?.lastUpdateTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    },
  },
};

function writeInputFiles(dir: string): void {
  writeFileSync(join(dir, 'app.conf'), 'port = 80\n');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-subj', '/CN=minato-test', '-days', '1'], { stdio: 'ignore' });
}

for (const minor of [32, 33]) {
  const binary = kubectlBinary(minor);
  describe(`protobuf bodies sent by kubectl 1.${minor}`, { skip: existsSync(binary) ? false : `${binary} not installed` }, () => {
    let stub: KubectlStub;
    let dir: string;
    const results = new Map<string, KubectlResult>();

    before(async () => {
      stub = await startKubectlStub(seedObjects);
      dir = await kubeconfigDir(stub.url);
      writeInputFiles(dir);
      // Commands are independent (no command reads what another writes), so they run side by side.
      const runs = Object.entries(cases).map(async ([title, c], i) => {
        results.set(title, await runKubectl(binary, dir, c.args(dir), String(i)));
      });
      await Promise.all(runs);
    });

    after(async () => {
      await stub.close();
      await rm(dir, { recursive: true, force: true });
    });

    for (const [title, c] of Object.entries(cases)) {
      it(title, () => {
        const result = results.get(title);
        assert.ok(result, 'command did not run');
        const writes = stub.writes.filter(c.write);
        assert.equal(writes.length, 1, `expected one matching write; kubectl said: ${result.stderr}`);
        const [write] = writes;
        assert.equal(write?.error, undefined, `decoding failed: ${write?.error}`);
        assert.equal(write?.contentType, PROTOBUF_MEDIA_TYPE);
        assert.equal(result.code, 0, `kubectl exited ${result.code}: ${result.stderr}`);
        assert.ok(write?.object);
        c.expect(write.object);
      });
    }
  });
}
