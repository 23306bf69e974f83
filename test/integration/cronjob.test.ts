import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { FakeClock } from '../../src/client/clock.ts';
import { R } from '../../src/client/resource-ref.ts';
import { createCronJobController } from '../../src/controllers/cronjob/cronjob-controller.ts';
import { startControllers, until, type ControllerHarness } from '../support/controller-harness.ts';

const NS = 'cron';
const jobTemplate = { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };

/**
 * The CronJob controller alone, under a FakeClock the test moves; the test completes Jobs itself.
 * Each case gets a fresh cluster and a clock that starts behind the API server's (creation
 * timestamps are real time) and is then moved to just before the first schedule time.
 */
describe('cronjob controller under an injected clock', () => {
  let h: ControllerHarness;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(new Date(Date.now() - 120_000));
    h = await startControllers({ cronjob: createCronJobController }, { clock });
    await h.client.create(R.namespaces, { metadata: { name: NS } });
  });
  afterEach(() => h.stop());

  /** Creates the CronJob and moves the clock to 2 s before its first schedule time. */
  const createCronJob = async (name: string, spec: Record<string, unknown>) => {
    const cj = await h.client.create<CronJob>(R.cronjobs, { metadata: { name, namespace: NS }, spec: { schedule: '* * * * *', jobTemplate, ...spec } });
    const created = Date.parse(cj.metadata?.creationTimestamp ?? '');
    await clock.advance(Math.floor(created / 60_000) * 60_000 + 58_000 - clock.now().getTime());
    await new Promise((r) => setTimeout(r, 200));
  };
  const jobsOf = async (cj: string) => (await h.client.list<Job>(R.jobs, { namespace: NS })).items.filter((j) => j.metadata?.ownerReferences?.[0]?.name === cj);
  const complete = async (job: Job) => {
    const now = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await h.client.updateStatus(R.jobs, { ...job, status: { ...job.status, startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: now }] } } as never);
  };
  /** Polls like `until`, letting a little fake time pass each round so rate-limited retries run. */
  const settle = <T>(check: () => Promise<T>) =>
    until(async () => {
      await clock.advance(50);
      return check();
    });
  /** Moves the clock a minute, letting the controller's requeue timer fire. */
  const tick = async () => {
    await clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 300));
  };

  it('Forbid: no new Job while one runs; the held-back run starts once it completed', async () => {
    await createCronJob('forbid', { concurrencyPolicy: 'Forbid' });
    assert.equal((await jobsOf('forbid')).length, 0, 'nothing before the first schedule time');
    await tick();
    const [first] = await settle(async () => {
      const jobs = await jobsOf('forbid');
      assert.equal(jobs.length, 1);
      return jobs;
    });
    const scheduled = first?.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '';
    assert.equal(first?.metadata?.name, `forbid-${Math.floor(Date.parse(scheduled) / 60_000)}`);
    assert.equal(first?.metadata?.labels?.app, 'tick');
    await settle(async () => {
      const cj = await h.client.get<CronJob>(R.cronjobs, NS, 'forbid');
      assert.equal(cj.status?.active?.[0]?.name, first?.metadata?.name);
      assert.equal(cj.status?.lastScheduleTime, scheduled);
    });
    await tick();
    assert.equal((await jobsOf('forbid')).length, 1, 'Forbid skipped the run while the first Job is active');
    if (first) await complete(await h.client.get<Job>(R.jobs, NS, first.metadata?.name ?? ''));
    // The run Forbid held back is still due (no startingDeadlineSeconds): it starts now, as upstream.
    const firstMinute = Math.floor(Date.parse(scheduled) / 60_000);
    await settle(async () => {
      const cj = await h.client.get<CronJob>(R.cronjobs, NS, 'forbid');
      assert.ok(cj.status?.lastSuccessfulTime);
      assert.deepEqual(cj.status?.active?.map((r) => r.name), [`forbid-${firstMinute + 1}`]);
    });
  });

  it('startingDeadlineSeconds: a run held back past its deadline is skipped', async () => {
    await createCronJob('late', { concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 10 });
    await tick();
    const [first] = await settle(async () => {
      const jobs = await jobsOf('late');
      assert.equal(jobs.length, 1);
      return jobs;
    });
    await tick();
    await clock.advance(20_000);
    if (first) await complete(await h.client.get<Job>(R.jobs, NS, first.metadata?.name ?? ''));
    await settle(async () => assert.ok((await h.client.get<CronJob>(R.cronjobs, NS, 'late')).status?.lastSuccessfulTime));
    assert.equal((await jobsOf('late')).length, 1, 'the held-back run missed its starting deadline');
    await tick();
    await settle(async () => assert.equal((await jobsOf('late')).length, 2));
  });

  it('Replace: the running Job is deleted and a new one started', async () => {
    await createCronJob('replace', { concurrencyPolicy: 'Replace' });
    await tick();
    const [first] = await settle(async () => {
      const jobs = await jobsOf('replace');
      assert.equal(jobs.length, 1);
      return jobs;
    });
    await tick();
    await settle(async () => {
      const names = (await jobsOf('replace')).map((j) => j.metadata?.name);
      assert.equal(names.length, 1);
      assert.notEqual(names[0], first?.metadata?.name);
    });
    const cj = await h.client.get<CronJob>(R.cronjobs, NS, 'replace');
    assert.equal(cj.status?.active?.length, 1);
  });

  it('honours suspend and keeps successfulJobsHistoryLimit finished Jobs', async () => {
    await createCronJob('hist', { successfulJobsHistoryLimit: 1 });
    for (let i = 0; i < 3; i++) {
      await tick();
      const jobs = await settle(async () => {
        const js = (await jobsOf('hist')).filter((j) => !j.status?.conditions?.length);
        assert.equal(js.length, 1);
        return js;
      });
      if (jobs[0]) await complete(jobs[0]);
    }
    await settle(async () => assert.equal((await jobsOf('hist')).length, 1, 'history pruned to the limit'));
    await h.client.patch(R.cronjobs, NS, 'hist', 'merge', { spec: { suspend: true } });
    await new Promise((r) => setTimeout(r, 200));
    await tick();
    assert.equal((await jobsOf('hist')).length, 1, 'a suspended CronJob starts nothing');
  });
});
