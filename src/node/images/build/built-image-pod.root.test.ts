/**
 * A built image runs as a pod: `ImageBuilder` writes into the node's image store, then the real
 * agent (runc, CNI) runs a pod of it with no command of its own, so the image's ENTRYPOINT, CMD,
 * ENV, WORKDIR and USER decide what runs. USER is a name, which the agent resolves through the
 * image's own /etc/passwd and /etc/group (uid, primary gid and supplementary groups).
 */
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { R } from '../../../client/resource-ref.ts';
import { BUSYBOX, eventually, startAgentHarness, type AgentHarness } from '../../agent/testing/agent-harness.ts';
import { ImageStore } from '../image-store.ts';
import { ImageBuilder } from './builder.ts';

const DOCKERFILE = `ARG BASE
FROM \${BASE} AS files
COPY greeting.txt /out/
FROM \${BASE}
ARG APP_USER=app
RUN echo "$APP_USER:x:2001:2001::/home/$APP_USER:/bin/sh" >> /etc/passwd && echo "$APP_USER:x:2001:" >> /etc/group && echo "readers:x:3001:$APP_USER" >> /etc/group
ENV GREETING_FILE=/srv/greeting.txt
WORKDIR /srv
COPY --from=files --chown=\${APP_USER} --chmod=0640 /out/greeting.txt ./
USER \${APP_USER}
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo \\"uid=$(id -u) gid=$(id -g) groups=$(id -G) pwd=$(pwd) $(cat $GREETING_FILE)\\""]
`;

describe('a built image as a pod (root, runc + agent)', () => {
  let h: AgentHarness;
  before(async () => {
    h = await startAgentHarness();
  });
  after(async () => {
    const leftovers = await h?.stop();
    assert.deepEqual(leftovers, { containers: [], netns: [], mounts: [], processes: [], cgroups: [] }, 'host is clean');
  });

  it('runs with the image config the build wrote', async () => {
    const context = join(h.dir, 'build-context');
    await mkdir(context);
    await writeFile(join(context, 'greeting.txt'), 'hello from a minato build');
    // The agent is not running yet, so this store instance is the only writer of the store's state.
    const store = new ImageStore({ root: join(h.dir, 'images') });
    const logs: string[] = [];
    const built = await new ImageBuilder({ store, workDir: join(h.dir, 'build'), idPrefix: `mbp-${h.id}`, log: (l) => logs.push(l) }).build({
      tags: ['minato.local/built-pod:1'], contextDir: context, dockerfile: DOCKERFILE, buildArgs: { BASE: BUSYBOX },
    });
    assert.equal(built.steps, 11, logs.join('\n'));
    assert.equal((await store.get('minato.local/built-pod:1'))?.config.user, 'app');
    await h.startAgent();
    const pod: Pod = {
      metadata: { name: 'built' },
      spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'minato.local/built-pod:1', imagePullPolicy: 'Never' }] },
    };
    await h.createPod(pod);
    const done = await eventually('built pod finished', async () => {
      const p = await h.getPod('built');
      return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
    }, 40_000);
    const log = await h.getText('/api/v1/namespaces/default/pods/built/log');
    assert.equal(done.status?.phase, 'Succeeded', `${log.body}\n${h.logs.slice(-20).join('\n')}`);
    assert.equal(log.body.trim(), 'uid=2001 gid=2001 groups=2001 3001 pwd=/srv hello from a minato build');
    await h.cluster.client.delete(R.pods, 'default', 'built');
  });
});
