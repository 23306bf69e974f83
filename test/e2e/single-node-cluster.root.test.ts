/**
 * `minato server` as a real single-node cluster (root): the in-process node agent runs pods as runc
 * containers, Services go through the nftables proxy, names through the agent's cluster DNS, and
 * LoadBalancer Services get a loopback address. Driven only with the CLI and the real kubectl; the
 * host must be clean afterwards.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sleepingPod, startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import { REPO_ROOT, type ServerProcess } from '../support/minato-server.ts';
import { nodeLeftovers } from '../support/node-host.ts';
import { manifestFile } from './e2e-helpers.ts';
import { waitFor } from '../support/eventually.ts';

/** Polls `fn` until it returns something other than undefined (errors count as "not yet"). */
const eventually = waitFor;

/** GET over a fresh connection; resolves to the body. */
function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: HTTP ${res.statusCode ?? 0}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
  });
}

const STATEFUL = (ns: string) => `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: thin-disk }
provisioner: minato.io/local-directory
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: ${ns} }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: db, port: 5432 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: ${ns} }
spec:
  serviceName: db
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: db
          image: minato.local/busybox:1
          command: ["sh", "-c", "test -f /data/first || echo \\"created by $(hostname)\\" > /data/first; echo boot >> /data/boots; echo db started; exec sleep 3600"]
          volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        storageClassName: thin-disk
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 10Mi } }
`;

const PODS = (ns: string) => `${sleepingPod(ns, 'client')}
---
apiVersion: v1
kind: Pod
metadata: { name: hog, namespace: ${ns} }
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: minato.local/busybox:1
      command: [awk, 'BEGIN { s = "x"; while (length(s) < 400000000) s = s s }']
      resources: { limits: { memory: 24Mi } }
---
apiVersion: batch/v1
kind: Job
metadata: { name: once, namespace: ${ns} }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: minato.local/busybox:1, command: [sh, -c, "echo job done"] }]
`;

describe('minato server: a single-node cluster with real containers', { timeout: 240_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `e2e-node-${id}`;
  const ns = `single-${id}`;
  let cluster: AgentCluster | undefined;
  let dir = '';
  let podCidr = '';
  let lbPrefix = '';
  let server: ServerProcess;
  let k: Kubectl;
  const figures: Record<string, string> = {};

  const podNames = async (selector: string): Promise<string[]> =>
    (await ok(k, ['-n', ns, 'get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);

  before(async () => {
    // Through `minato image build-base|import`, as a user would: this test drives only the CLI.
    cluster = await startAgentCluster({ nodeName, importVia: 'cli', namespace: ns });
    assert.match(cluster.images.join('\n'), /minato\.local\/busybox:1 sha256:/);
    ({ dir, podCidr, lbPrefix, server, k } = cluster);
  });

  after(async () => {
    process.stderr.write(`single-node figures: ${JSON.stringify(figures)}\n`);
    await cluster?.close();
  });

  it('runs the hello Deployment: 2 Ready pods with IPs on the node (readiness probe, configMap volume)', async () => {
    const t0 = Date.now();
    await ok(k, ['-n', ns, 'apply', '-f', join(REPO_ROOT, 'examples/hello.yaml')]);
    await ok(k, ['-n', ns, 'rollout', 'status', 'deployment/hello', '--timeout=90s']);
    figures.helloReadyMs = String(Date.now() - t0);
    const wide = await ok(k, ['-n', ns, 'get', 'pods', '-l', 'app=hello', '-o', 'wide']);
    const lines = wide.trim().split('\n').slice(1);
    assert.equal(lines.length, 2, wide);
    const prefix = podCidr.replace(/0\/24$/, '');
    for (const l of lines) {
      assert.match(l, /1\/1\s+Running/, wide);
      assert.ok(l.includes(nodeName) && l.includes(prefix), wide);
    }
  });

  it('gives the LoadBalancer Service an EXTERNAL-IP that reaches both pods from the host', async () => {
    const ip = await eventually('load balancer ip', async () => (await ok(k, ['-n', ns, 'get', 'svc', 'hello', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])) || undefined);
    assert.ok(ip.startsWith(`${lbPrefix}.`), ip);
    assert.match(await ok(k, ['-n', ns, 'get', 'svc', 'hello']), new RegExp(ip.replaceAll('.', '\\.')));
    assert.match(await eventually('page through the LB', () => httpGet(`http://${ip}/`)), /Hello from Minato/);
    const seen = new Set<string>();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) seen.add((await httpGet(`http://${ip}/cgi-bin/whoami`)).trim());
    figures.lbGetMs = ((performance.now() - t0) / 20).toFixed(1);
    assert.deepEqual([...seen].sort(), (await podNames('app=hello')).sort());
  });

  it('reaches the ClusterIP Service by its DNS name from another pod', async () => {
    await ok(k, ['-n', ns, 'apply', '-f', manifestFile(PODS(ns))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
    const out = await ok(k, ['-n', ns, 'exec', 'client', '--', 'wget', '-q', '-O', '-', `http://hello.${ns}.svc.cluster.local/cgi-bin/whoami`]);
    assert.ok((await podNames('app=hello')).includes(out.trim()), out);
    // The short name works through the search path too.
    assert.match(await ok(k, ['-n', ns, 'exec', 'client', '--', 'wget', '-q', '-O', '-', 'http://hello/']), /Hello from Minato/);
  });

  it('serves kubectl logs, exec, port-forward, cp and top', async () => {
    const [pod] = await podNames('app=hello');
    assert.ok(pod);
    const top = await eventually('kubectl top', async () => {
      const r = await k(['-n', ns, 'top', 'pod', '-l', 'app=hello']);
      return r.code === 0 && r.stdout.includes(pod) ? r.stdout : undefined;
    });
    assert.match(top, /\d+m\s+\d+Mi/, top);
    assert.match(await ok(k, ['top', 'node']), new RegExp(`${nodeName}\\s+\\d+m`));
    assert.equal((await ok(k, ['-n', ns, 'exec', pod, '--', 'cat', '/page/index.html'])).trim(), '<h1>Hello from Minato</h1>');
    const local = join(dir, 'copied.html');
    await ok(k, ['-n', ns, 'cp', `${pod}:/www/index.html`, local]);
    assert.match(await readFile(local, 'utf8'), /Hello from Minato/);
    const pf = spawn(k.binary, ['--kubeconfig', server.kubeconfig, '-n', ns, 'port-forward', `pod/${pod}`, ':8080'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = '';
        pf.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        pf.once('exit', (code) => reject(new Error(`port-forward exited ${code}: ${out}`)));
      });
      assert.match(await httpGet(`http://127.0.0.1:${port}/`), /Hello from Minato/);
    } finally {
      pf.kill();
    }
  });

  it('keeps a StatefulSet pod\'s PVC data when the pod is recreated, and resolves its stable DNS name', async () => {
    await ok(k, ['apply', '-f', manifestFile(STATEFUL(ns))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/db-0', '--timeout=90s']);
    const first = await ok(k, ['-n', ns, 'exec', 'db-0', '--', 'cat', '/data/first']);
    assert.match(first, /created by db-0/);
    assert.match(await ok(k, ['-n', ns, 'logs', 'db-0']), /db started/);
    const podIp = await ok(k, ['-n', ns, 'get', 'pod', 'db-0', '-o', 'jsonpath={.status.podIP}']);
    const lookup = await k(['-n', ns, 'exec', 'client', '--', 'nslookup', `db-0.db.${ns}.svc.cluster.local`]);
    assert.ok(lookup.stdout.includes(podIp), `${lookup.stdout}${lookup.stderr}`);
    const uid = await ok(k, ['-n', ns, 'get', 'pod', 'db-0', '-o', 'jsonpath={.metadata.uid}']);
    await ok(k, ['-n', ns, 'delete', 'pod', 'db-0']);
    await eventually('db-0 recreated', async () => {
      const now = await k(['-n', ns, 'get', 'pod', 'db-0', '-o', 'jsonpath={.metadata.uid}']);
      return now.code === 0 && now.stdout && now.stdout !== uid ? true : undefined;
    }, 60_000, 250);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/db-0', '--timeout=90s']);
    assert.equal(await ok(k, ['-n', ns, 'exec', 'db-0', '--', 'cat', '/data/first']), first);
    assert.equal((await ok(k, ['-n', ns, 'exec', 'db-0', '--', 'cat', '/data/boots'])).trim().split('\n').length, 2);
  });

  it('reports OOMKilled for a container over its memory limit, and completes a Job', async () => {
    const reason = await eventually('OOMKilled', async () => {
      const r = await ok(k, ['-n', ns, 'get', 'pod', 'hog', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.reason}{.status.containerStatuses[0].lastState.terminated.reason}']);
      return r || undefined;
    }, 60_000, 250);
    assert.equal(reason, 'OOMKilled');
    await ok(k, ['-n', ns, 'wait', '--for=condition=complete', 'job/once', '--timeout=60s']);
    assert.match(await ok(k, ['-n', ns, 'logs', 'job/once']), /job done/);
  });

  it('deletes everything, stops, and leaves the host clean', async () => {
    await ok(k, ['delete', 'namespace', ns, '--timeout=90s']);
    await ok(k, ['delete', 'storageclass', 'thin-disk']);
    const code = await server.stop();
    assert.equal(code, 0, server.logs().slice(-4000));
    assert.deepEqual(await nodeLeftovers(dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
  });
});
