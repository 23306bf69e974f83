import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCronJob, validateJob } from './batch-validation.ts';
import { parseCron } from '../cron/cron-schedule.ts';
import { object, podSpec, summarize, template } from './test-builders.ts';

const jobTemplate = (restartPolicy = 'Never') => template({ app: 'batch' }, { ...podSpec(), restartPolicy });
const job = (spec: Record<string, unknown> = {}) => object('batch/v1', 'Job', 'pi', { spec: { selector: { matchLabels: { app: 'batch' } }, template: jobTemplate(), ...spec } });
const cronJob = (spec: Record<string, unknown> = {}, name = 'nightly') =>
  object('batch/v1', 'CronJob', name, { spec: { schedule: '0 3 * * *', concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: jobTemplate() } }, ...spec } });

describe('validateJob', () => {
  it('accepts a job with restartPolicy Never', () => {
    assert.deepEqual(validateJob(job()), []);
  });

  it('rejects restartPolicy Always', () => {
    const errs = validateJob(job({ template: jobTemplate('Always') }));
    assert.deepEqual(summarize(errs), ['spec.template.spec.restartPolicy FieldValueNotSupported']);
    assert.equal(errs[0]?.detail, 'supported values: "OnFailure", "Never"');
  });

  it('checks counts and completion mode', () => {
    assert.deepEqual(summarize(validateJob(job({ parallelism: -1, backoffLimit: -1, completionMode: 'Indexed' }))), [
      'spec.parallelism FieldValueInvalid',
      'spec.backoffLimit FieldValueInvalid',
      'spec.completions FieldValueRequired',
    ]);
  });

  it('keeps selector and template immutable', () => {
    const changed = job({ template: template({ app: 'batch' }, { ...podSpec(), restartPolicy: 'OnFailure' }) });
    assert.deepEqual(summarize(validateJob(changed, job())), ['spec.template FieldValueInvalid']);
    assert.deepEqual(validateJob(job({ suspend: true, parallelism: 3 }), job()), []);
  });
});

describe('validateCronJob', () => {
  it('accepts schedules and macros', () => {
    assert.deepEqual(validateCronJob(cronJob()), []);
    assert.deepEqual(validateCronJob(cronJob({ schedule: '@hourly', timeZone: 'Europe/Berlin' })), []);
  });

  it('rejects bad schedules, time zones and policies', () => {
    const errs = validateCronJob(cronJob({ schedule: '61 * * * *', timeZone: 'Mars/Olympus', concurrencyPolicy: 'Sometimes' }));
    assert.deepEqual(summarize(errs), ['spec.schedule FieldValueInvalid', 'spec.timeZone FieldValueInvalid', 'spec.concurrencyPolicy FieldValueNotSupported']);
    assert.equal(errs[0]?.detail, 'end of range (61) above maximum (59) or beginning of range (61) below minimum (0): 61');
    assert.deepEqual(summarize(validateCronJob(cronJob({ schedule: 'TZ=UTC 0 * * * *' }))), ['spec.schedule FieldValueInvalid']);
  });

  it('limits the name to 52 characters', () => {
    assert.deepEqual(summarize(validateCronJob(cronJob({}, 'n'.repeat(53)))), ['metadata.name FieldValueInvalid']);
  });
});

describe('cron schedules', () => {
  it('parses fields, ranges, steps and names', () => {
    const s = parseCron('*/15 9-17 * JAN,JUL MON-FRI');
    // 2024-01-06 is a Saturday: the next run is Monday 09:00, then every 15 minutes.
    assert.equal(s.next(new Date('2024-01-06T12:00:00Z'))?.toISOString(), '2024-01-08T09:00:00.000Z');
    assert.equal(s.next(new Date('2024-01-08T09:00:00Z'))?.toISOString(), '2024-01-08T09:15:00.000Z');
    assert.equal(s.next(new Date('2024-01-31T17:45:00Z'))?.toISOString(), '2024-07-01T09:00:00.000Z');
    assert.throws(() => parseCron('* * *'), /expected exactly 5 fields, found 3/);
  });

  it('finds the next run time', () => {
    const daily = parseCron('@daily');
    assert.equal(daily.next(new Date('2024-03-10T12:34:56Z'))?.toISOString(), '2024-03-11T00:00:00.000Z');
    const weekday = parseCron('30 8 * * MON');
    assert.equal(weekday.next(new Date('2024-03-10T12:00:00Z'))?.toISOString(), '2024-03-11T08:30:00.000Z');
    assert.equal(parseCron('0 0 30 2 *').next(new Date('2024-01-01T00:00:00Z')), undefined);
  });
});
