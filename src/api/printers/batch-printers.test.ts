import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../types.ts';
import { cronJobPrinter, jobPrinter } from './batch-printers.ts';
import { NOW, ago, cellMap, dur, headers, object } from './test-builders.ts';

const template = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } };

function job(spec: Record<string, unknown>, status: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return object('batch/v1', 'Job', 'pi', dur({ m: 8 }), { metadata, spec: { template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, ...spec }, status });
}

const condition = (type: string, s = 'True') => ({ type, status: s });

test('job columns include STATUS, as the 1.33 API server serves them', () => {
  assert.deepEqual(headers(jobPrinter), { normal: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] });
});

test('a complete job shows Complete, 1/1 and its run duration', () => {
  const done = job({ completions: 1 }, { succeeded: 1, startTime: ago(dur({ m: 8 })), completionTime: ago(dur({ m: 7, s: 50 })), conditions: [condition('Complete')] });
  assert.deepEqual(jobPrinter.cells(done, NOW), ['pi', 'Complete', '1/1', '10s', '8m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=abc']);
});

test('job status precedence and running duration', () => {
  const status = (j: KubeObject) => cellMap(jobPrinter, j).Status;
  const start = { startTime: ago(dur({ m: 2, s: 3 })) };
  assert.equal(cellMap(jobPrinter, job({}, start)).Duration, '2m3s');
  assert.equal(cellMap(jobPrinter, job({}, {})).Duration, '');
  assert.equal(status(job({}, start)), 'Running');
  assert.equal(status(job({}, { conditions: [condition('Failed')] })), 'Failed');
  assert.equal(status(job({}, { conditions: [condition('Suspended')] })), 'Suspended');
  assert.equal(status(job({}, { conditions: [condition('FailureTarget')] })), 'FailureTarget');
  assert.equal(status(job({}, { conditions: [condition('Complete', 'False')] })), 'Running');
  assert.equal(status(job({}, { conditions: [condition('Suspended')] }, { deletionTimestamp: ago(0) })), 'Terminating');
});

test('COMPLETIONS without spec.completions uses parallelism', () => {
  assert.equal(cellMap(jobPrinter, job({ completions: 5 }, { succeeded: 2 })).Completions, '2/5');
  assert.equal(cellMap(jobPrinter, job({ parallelism: 3 }, { succeeded: 1 })).Completions, '1/1 of 3');
  assert.equal(cellMap(jobPrinter, job({ parallelism: 1 }, {})).Completions, '0/1');
});

test('cronjob: SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE', () => {
  assert.deepEqual(headers(cronJobPrinter).normal, ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
  const cj = object('batch/v1', 'CronJob', 'backup', dur({ d: 3 }), {
    spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(dur({ m: 4, s: 10 })) },
  });
  assert.deepEqual(cronJobPrinter.cells(cj, NOW), ['backup', '*/5 * * * *', '<none>', 'False', 1, '4m10s', '3d', 'pi', 'perl:5.34', '<none>']);
  const zoned = object('batch/v1', 'CronJob', 'tz', 0, { spec: { schedule: '0 0 * * *', timeZone: 'Etc/UTC', suspend: true } });
  assert.deepEqual(cronJobPrinter.cells(zoned, NOW).slice(1, 6), ['0 0 * * *', 'Etc/UTC', 'True', 0, '<none>']);
});
