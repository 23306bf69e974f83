import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { eventually } from '../support/eventually.ts';
import { kubectl, ok, type Kubectl } from '../support/kubectl.ts';
import { startStreamingNode, type StreamingNode } from '../support/streaming-node.ts';
import { startTestCluster, type TestCluster } from '../support/test-cluster.ts';

/** Waits until `cond` gives a truthy value (eventually() retries only on throw). */
function until<T>(cond: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  return eventually(async () => {
    const v = await cond();
    if (!v) throw new Error(`condition not met: ${cond.toString()}`);
    return v;
  }, timeoutMs);
}

/** Starts a long-running kubectl and collects its output; `stop` kills it. */
function background(k: Kubectl, args: string[], kubeconfig: string) {
  const child: ChildProcess = spawn(k.binary, ['--kubeconfig', kubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out.stderr += c.toString()));
  return { out, stop: () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function echoThrough(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.write(text));
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.length >= text.length) {
        sock.end();
        resolve(got);
      }
    });
    sock.once('error', reject);
  });
}

describe('pod streaming through the API server to the node agent', () => {
  let cluster: TestCluster;
  let node: StreamingNode;
  let k33: Kubectl;
  let k29: Kubectl;
  let echo: Server;
  let echoPort: number;
  let work: string;
  const sessions = (verb: string) => node.logs.filter((l) => l.msg === 'stream session' && l.fields?.verb === verb).map((l) => `${String(l.fields?.transport)} ${String(l.fields?.protocol)}`);

  before(async () => {
    cluster = await startTestCluster();
    node = await startStreamingNode(cluster);
    k33 = kubectl('1.33', cluster.kubeconfig);
    k29 = kubectl('1.29', cluster.kubeconfig);
    work = await mkdtemp(join(tmpdir(), 'minato-stream-work-'));
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    echoPort = (echo.address() as AddressInfo).port;
    await node.runPod('default', 'web', { main: ['sh', '-c', 'echo line1; echo line2; echo line3 >&2; exec sleep 3600'] });
    await node.runPod('default', 'ticker', { tick: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'] });
    await node.runPod('default', 'duo', { a: ['sleep', '3600'], b: ['sleep', '3600'] }, { 'kubectl.kubernetes.io/default-container': 'b' });
    await until(async () => (await readFile(node.runtime.logPath((await node.runtime.listContainers()).find((c) => c.podName === 'web')?.id ?? ''), 'utf8')).includes('line3'));
  });

  after(async () => {
    await node.stop();
    await cluster.stop();
    await new Promise<void>((r) => echo.close(() => r()));
    await rm(work, { recursive: true, force: true });
  });

  it('kubectl logs, --tail, --timestamps and the unbound / multi-container errors', async () => {
    assert.equal(await ok(k33, ['logs', 'web']), 'line1\nline2\nline3\n');
    assert.equal(await ok(k33, ['logs', 'web', '--tail=2']), 'line2\nline3\n');
    assert.match(await ok(k33, ['logs', 'web', '--timestamps', '--tail=1']), /^\d{4}-\d\d-\d\dT[\d:.]+Z line3\n$/);
    const unbound = await cluster.client.create({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    assert.ok(unbound);
    const r = await k33(['logs', 'pending']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pod pending does not have a host assigned/);
    const raw = await fetchLog(cluster, 'duo', '');
    assert.equal(raw.status, 200, 'default-container annotation picks b');
  });

  it('kubectl logs -f sees lines written after it started', async () => {
    const f = background(k33, ['logs', '-f', 'ticker', '--tail=1'], cluster.kubeconfig);
    try {
      const first = await until(() => /tick (\d+)/.exec(f.out.stdout)?.[1], 10_000);
      await until(() => f.out.stdout.includes(`tick ${Number(first) + 3}`), 10_000);
    } finally {
      await f.stop();
    }
  });

  it('kubectl 1.33 exec over WebSocket: output, exit code and stdin', async () => {
    const r = await k33(['exec', 'web', '--', 'sh', '-c', 'echo hi; exit 3']);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.code, 3);
    assert.equal(await ok(k33, ['exec', '-i', 'web', '--', 'cat'], { input: 'hello stdin\n' }), 'hello stdin\n');
    assert.deepEqual(sessions('exec'), ['websocket v5.channel.k8s.io', 'websocket v5.channel.k8s.io']);
  });

  it('kubectl 1.29 exec over SPDY: stdout, stderr, exit code and stdin', async () => {
    const r = await k29(['exec', 'web', '--', 'sh', '-c', 'echo spdy; echo oops >&2; exit 2']);
    assert.equal(r.stdout, 'spdy\n');
    assert.match(r.stderr, /oops/);
    assert.equal(r.code, 2);
    assert.equal(await ok(k29, ['exec', '-i', 'web', '--', 'cat'], { input: 'via spdy\n' }), 'via spdy\n');
    assert.deepEqual(sessions('exec').slice(-2), ['spdy v5.channel.k8s.io', 'spdy v5.channel.k8s.io']);
  });

  for (const [version, label] of [['1.33', 'WebSocket tunnel'], ['1.29', 'SPDY']] as const) {
    it(`kubectl ${version} port-forward (${label}) reaches a TCP server in the pod`, async () => {
      const local = await freePort();
      const pf = background(version === '1.33' ? k33 : k29, ['port-forward', 'pod/web', `${local}:${echoPort}`], cluster.kubeconfig);
      try {
        await until(() => pf.out.stdout.includes('Forwarding from'), 15_000);
        assert.equal(await echoThrough(local, 'ping-1'), 'ping-1');
        assert.equal(await echoThrough(local, 'ping-2'), 'ping-2', 'a second connection on the same session');
        assert.equal(sessions('portForward').at(-1), version === '1.33' ? 'websocket SPDY/3.1+portforward.k8s.io' : 'spdy portforward.k8s.io');
      } finally {
        await pf.stop();
      }
    });
  }

  it('kubectl attach streams the main process output (read-only without an attach-capable runtime)', async () => {
    const a = background(k33, ['attach', 'ticker'], cluster.kubeconfig);
    try {
      await until(() => /tick \d+/.test(a.out.stdout), 10_000);
    } finally {
      await a.stop();
    }
    assert.equal(sessions('attach').at(-1), 'websocket v5.channel.k8s.io');
  });

  it('kubectl cp copies a file into the pod and back (tar over exec)', async () => {
    const src = join(work, 'src.txt');
    await writeFile(src, 'copied content\n');
    const inPod = join(work, 'in-pod.txt');
    await ok(k33, ['cp', src, `default/web:${inPod}`]);
    assert.equal(await readFile(inPod, 'utf8'), 'copied content\n');
    const back = join(work, 'back.txt');
    await ok(k33, ['cp', `default/web:${inPod}`, back]);
    assert.equal(await readFile(back, 'utf8'), 'copied content\n');
  });

  it('kubectl top pods and nodes read metrics.k8s.io', async () => {
    const pods = await ok(k33, ['top', 'pods']);
    assert.match(pods, /NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    assert.match(pods, /^ticker\s+\d+m\s+\d+Mi/m);
    assert.match(pods, /^web\s+\d+m\s+\d+Mi/m);
    const byLabel = await ok(k33, ['top', 'pods', '-l', 'app=web']);
    assert.doesNotMatch(byLabel, /ticker/);
    const nodes = await ok(k33, ['top', 'nodes']);
    assert.match(nodes, new RegExp(`^${node.name}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%`, 'm'));
  });

  it('@kubernetes/client-node Exec and Log', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    let out = '';
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('default', 'web', 'main', ['sh', '-c', 'echo from-client-node; exit 4'], stdout, null, null, false, (s) => resolve(s)).catch(reject);
    });
    assert.equal(out, 'from-client-node\n');
    assert.equal(status.status, 'Failure');
    assert.equal(status.details?.causes?.[0]?.message, '4');
    const logs = new PassThrough();
    let text = '';
    logs.on('data', (c: Buffer) => (text += c.toString()));
    await new k8s.Log(kc).log('default', 'web', 'main', logs, { follow: false });
    await until(() => text === 'line1\nline2\nline3\n');
  });
});

async function fetchLog(cluster: TestCluster, pod: string, query: string): Promise<{ status: number; body: string }> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  try {
    const body = await core.readNamespacedPodLog({ name: pod, namespace: 'default' });
    return { status: 200, body: String(body) + query };
  } catch (err) {
    return { status: (err as { code?: number }).code ?? 0, body: String(err) };
  }
}
