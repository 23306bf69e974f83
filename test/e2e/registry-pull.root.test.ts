/**
 * `minato server` pulls pod images from a private registry (root): Debian's docker-registry with
 * htpasswd basic auth on loopback, the busybox base image pushed by skopeo. Without credentials the
 * pod reports the registry's 401 as ErrImagePull/ImagePullBackOff; an imagePullSecret made by
 * `kubectl create secret docker-registry` lets it run; `imagePullPolicy: Always` pulls again.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildBaseImage, startAgentCluster, type AgentCluster } from '../support/agent-cluster.ts';
import { waitFor } from '../support/eventually.ts';
import { ok, type Kubectl } from '../support/kubectl.ts';
import type { ServerProcess } from '../support/minato-server.ts';
import { nodeLeftovers, startRegistry, type TestRegistry } from '../support/node-host.ts';
import { manifestFile } from './e2e-helpers.ts';

const run = promisify(execFile);

const pod = (ns: string, name: string, image: string, extra = '') => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  ${extra}
  containers: [{ name: main, image: ${image}, imagePullPolicy: Always, command: [sleep, "3600"] }]
`;

describe('minato server pulls from a registry with basic auth', { timeout: 120_000 }, () => {
  const id = randomBytes(3).toString('hex');
  const nodeName = `e2e-reg-${id}`;
  const ns = `reg-${id}`;
  let cluster: AgentCluster | undefined;
  let dir = '';
  let registry: TestRegistry | undefined;
  let image = '';
  let server: ServerProcess;
  let k: Kubectl;
  const figures: Record<string, string> = {};

  const events = async (name: string) => ok(k, ['-n', ns, 'get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}{" "}{.message}{"\\n"}{end}']);

  before(async () => {
    // No base image in the node's store: the pods must pull theirs from the registry.
    cluster = await startAgentCluster({ nodeName, baseImages: [], binaries: ['/usr/bin/docker-registry', '/usr/bin/skopeo', '/usr/bin/htpasswd'], namespace: ns });
    ({ dir, server, k } = cluster);
    const { stdout } = await run('htpasswd', ['-Bbn', 'planespotter', 's3cret']);
    await writeFile(join(dir, 'htpasswd'), stdout);
    registry = await startRegistry(dir, 'registry', join(dir, 'htpasswd'));
    const layout = await buildBaseImage('busybox', join(dir, 'busybox-layout'));
    image = `${registry.address}/planespotter/frontend:1`;
    await run('skopeo', ['copy', '--quiet', '--dest-creds', 'planespotter:s3cret', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${image}`]);
  });

  after(async () => {
    process.stderr.write(`registry-pull figures: ${JSON.stringify(figures)}\n`);
    if (server && server.child.exitCode === null) await server.stop();
    await registry?.stop();
    await cluster?.close();
  });

  it('reports the registry\'s 401 as ErrImagePull / ImagePullBackOff for a pod without credentials', async () => {
    await ok(k, ['apply', '-f', manifestFile(pod(ns, 'nocreds', image))]);
    const waiting = await waitFor('ErrImagePull', async () => {
      const r = await ok(k, ['-n', ns, 'get', 'pod', 'nocreds', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}|{.status.containerStatuses[0].state.waiting.message}']);
      return /^(ErrImagePull|ImagePullBackOff)\|/.test(r) ? r : undefined;
    });
    const all = `${waiting}\n${await events('nocreds')}`;
    assert.match(all, /401/, all);
    assert.match(all, /planespotter\/frontend:1/, all);
    await waitFor('ImagePullBackOff', async () => (await ok(k, ['-n', ns, 'get', 'pod', 'nocreds'])).includes('ImagePullBackOff') || undefined);
  });

  it('runs the pod with an imagePullSecret, and pulls again with imagePullPolicy Always', async () => {
    await ok(k, ['-n', ns, 'create', 'secret', 'docker-registry', 'regcred', `--docker-server=${registry?.address ?? ''}`, '--docker-username=planespotter', '--docker-password=s3cret']);
    const t0 = Date.now();
    await ok(k, ['apply', '-f', manifestFile(pod(ns, 'frontend', image, 'imagePullSecrets: [{ name: regcred }]'))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/frontend', '--timeout=60s']);
    figures.pullAndReadyMs = String(Date.now() - t0);
    assert.equal((await ok(k, ['-n', ns, 'exec', 'frontend', '--', 'echo', 'pulled'])).trim(), 'pulled');
    const imageId = await ok(k, ['-n', ns, 'get', 'pod', 'frontend', '-o', 'jsonpath={.status.containerStatuses[0].imageID}']);
    assert.match(imageId, /sha256:[0-9a-f]{64}/);
    assert.match(await events('frontend'), /Pulled .*Successfully pulled image/);
    // A second pod of the same image: Always means another pull (a Pulled event, not "already present").
    await ok(k, ['apply', '-f', manifestFile(pod(ns, 'frontend2', image, 'imagePullSecrets: [{ name: regcred }]'))]);
    await ok(k, ['-n', ns, 'wait', '--for=condition=Ready', 'pod/frontend2', '--timeout=60s']);
    const ev2 = await events('frontend2');
    assert.match(ev2, /Pulled .*Successfully pulled image/, ev2);
    assert.doesNotMatch(ev2, /already present/, ev2);
  });

  it('deletes everything, stops, and leaves the host clean', async () => {
    await ok(k, ['delete', 'namespace', ns, '--timeout=60s']);
    assert.equal(await server.stop(), 0, server.logs().slice(-4000));
    await registry?.stop();
    assert.deepEqual(await nodeLeftovers(dir, nodeName), { netns: [], bridge: [], nftTables: [], cgroups: [], mounts: [], runc: [], processes: [], podRecords: [] });
  });
});
