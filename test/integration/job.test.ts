import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isNotFound } from '../../src/client/api-error.ts';
import { R } from '../../src/client/resource-ref.ts';
import { jobControllerFactory } from '../../src/controllers/job/job-controller.ts';
import { startControllers, until, type ControllerHarness } from '../support/controller-harness.ts';

const NS = 'jobs';
const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } };

describe('job controller', () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers({ job: jobControllerFactory({ backoffBaseMs: 100, backoffMaxMs: 400 }) });
    await h.client.create(R.namespaces, { metadata: { name: NS } });
  });
  after(() => h.stop());

  const jobPods = async (job: string) => (await h.client.list<Pod>(R.pods, { namespace: NS, labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
  const getJob = (name: string) => h.client.get<Job>(R.jobs, NS, name);
  const condition = (job: Job, type: string) => job.status?.conditions?.find((c) => c.type === type && c.status === 'True');

  it('completes with completions=3 parallelism=2, never running more than 2 pods', async () => {
    await h.client.create(R.jobs, { metadata: { name: 'three', namespace: NS }, spec: { completions: 3, parallelism: 2, template } });
    const finished = new Set<string>();
    let maxActive = 0;
    await until(async () => {
      const pods = await jobPods('three');
      const active = pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
      maxActive = Math.max(maxActive, active.length);
      for (const p of active) {
        assert.ok(p.metadata?.finalizers?.includes('batch.kubernetes.io/job-tracking'));
        assert.equal(p.metadata?.ownerReferences?.[0]?.controller, true);
        assert.ok(p.metadata?.labels?.['controller-uid'] && p.metadata.labels['job-name'] === 'three');
        await h.setPodPhase(NS, p.metadata?.name ?? '', 'Succeeded');
        finished.add(p.metadata?.name ?? '');
      }
      const job = await getJob('three');
      assert.ok(condition(job, 'Complete'), 'not complete yet');
      return job;
    }, 15_000);
    const job = await getJob('three');
    assert.equal(job.status?.succeeded, 3);
    assert.equal(job.status?.active, 0);
    assert.ok(condition(job, 'SuccessCriteriaMet'));
    assert.ok(job.status?.completionTime && job.status.startTime);
    assert.equal(finished.size, 3);
    assert.ok(maxActive <= 2, `at most parallelism pods ran (${maxActive})`);
    await until(async () => assert.ok((await jobPods('three')).every((p) => !p.metadata?.finalizers?.length)), 5000);
  });

  it('fails with BackoffLimitExceeded after backoffLimit+1 failures, with backoff between recreations', async () => {
    await h.client.create(R.jobs, { metadata: { name: 'flaky', namespace: NS }, spec: { backoffLimit: 2, template } });
    const failedAt: number[] = [];
    const job = await until(async () => {
      for (const p of await jobPods('flaky')) {
        if (p.status?.phase !== 'Pending' || p.metadata?.deletionTimestamp) continue;
        failedAt.push(Date.now());
        await h.setPodPhase(NS, p.metadata?.name ?? '', 'Failed');
      }
      const j = await getJob('flaky');
      assert.ok(condition(j, 'Failed'), 'not failed yet');
      return j;
    }, 15_000);
    assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.ok(condition(job, 'FailureTarget'));
    assert.equal(job.status?.failed, 3);
    assert.equal(failedAt.length, 3);
    assert.ok((failedAt[1] ?? 0) - (failedAt[0] ?? 0) >= 90, 'first retry waited the base backoff');
    assert.ok((failedAt[2] ?? 0) - (failedAt[1] ?? 0) >= 190, 'second retry waited twice as long');
  });

  it('runs an Indexed job: one pod per index with the completion-index annotation and label', async () => {
    await h.client.create(R.jobs, { metadata: { name: 'idx', namespace: NS }, spec: { completions: 3, parallelism: 3, completionMode: 'Indexed', template } });
    const pods = await until(async () => {
      const p = await jobPods('idx');
      assert.equal(p.length, 3);
      return p;
    });
    const indexes = pods.map((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(indexes, ['0', '1', '2']);
    for (const p of pods) {
      const index = p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'];
      assert.equal(p.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], index);
      assert.ok(p.metadata?.name?.startsWith(`idx-${index ?? ''}-`));
      assert.equal(p.spec?.hostname, `idx-${index ?? ''}`);
    }
    const one = pods.find((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'] === '1');
    await h.setPodPhase(NS, one?.metadata?.name ?? '', 'Failed');
    const replacement = await until(async () => {
      const p = (await jobPods('idx')).filter((x) => x.metadata?.labels?.['batch.kubernetes.io/job-completion-index'] === '1' && x.status?.phase === 'Pending');
      assert.equal(p.length, 1);
      return p[0];
    });
    for (const p of [...pods.filter((x) => x !== one), replacement]) await h.setPodPhase(NS, p?.metadata?.name ?? '', 'Succeeded');
    const job = await until(async () => {
      const j = await getJob('idx');
      assert.ok(condition(j, 'Complete'));
      return j;
    });
    assert.equal(job.status?.completedIndexes, '0-2');
    assert.equal(job.status?.succeeded, 3);
    assert.equal(job.status?.failed, 1);
  });

  it('fails with DeadlineExceeded after activeDeadlineSeconds', async () => {
    await h.client.create(R.jobs, { metadata: { name: 'slow', namespace: NS }, spec: { activeDeadlineSeconds: 1, template } });
    const job = await until(async () => {
      const j = await getJob('slow');
      assert.ok(condition(j, 'Failed'));
      return j;
    }, 5000);
    assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
    await until(async () => assert.deepEqual(await jobPods('slow'), []));
  });

  it('suspends and resumes', async () => {
    await h.client.create(R.jobs, { metadata: { name: 'paused', namespace: NS }, spec: { suspend: true, template } });
    await until(async () => assert.ok(condition(await getJob('paused'), 'Suspended')));
    assert.equal((await jobPods('paused')).length, 0);
    await h.client.patch(R.jobs, NS, 'paused', 'merge', { spec: { suspend: false } });
    await until(async () => assert.equal((await jobPods('paused')).length, 1));
    const job = await getJob('paused');
    assert.equal(job.status?.conditions?.find((c) => c.type === 'Suspended')?.reason, 'JobResumed');
  });

  it('deletes a finished Job after ttlSecondsAfterFinished', async () => {
    await h.client.create(R.jobs, { metadata: { name: 'short', namespace: NS }, spec: { ttlSecondsAfterFinished: 2, template } });
    const pod = await until(async () => {
      const [p] = await jobPods('short');
      assert.ok(p);
      return p;
    });
    await h.setPodPhase(NS, pod.metadata?.name ?? '', 'Succeeded');
    await until(async () => assert.ok(condition(await getJob('short'), 'Complete')));
    const start = Date.now();
    await until(async () => {
      await assert.rejects(getJob('short'), (err) => isNotFound(err));
    }, 5000);
    assert.ok(Date.now() - start >= 900, 'kept until the TTL expired');
  });
});
