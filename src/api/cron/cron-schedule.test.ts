import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronParseError, isValidTimeZone, parseCron } from './cron-schedule.ts';

const at = (s: string) => new Date(s);
const next = (spec: string, after: string, zone?: string) => parseCron(spec).next(at(after), zone)?.toISOString();

describe('cron schedule', () => {
  it('handles every-minute, steps, ranges and lists', () => {
    assert.equal(next('* * * * *', '2026-01-01T00:00:30Z'), '2026-01-01T00:01:00.000Z');
    assert.equal(next('*/15 * * * *', '2026-01-01T00:15:00Z'), '2026-01-01T00:30:00.000Z');
    assert.equal(next('5,10 1-2 * * *', '2026-01-01T01:10:00Z'), '2026-01-01T02:05:00.000Z');
    assert.equal(next('0 9-17/4 * * *', '2026-01-01T10:00:00Z'), '2026-01-01T13:00:00.000Z');
  });
  it('understands names and macros', () => {
    assert.equal(next('0 0 * * mon', '2026-01-01T00:00:00Z'), '2026-01-05T00:00:00.000Z');
    assert.equal(next('0 0 1 feb *', '2026-01-01T00:00:00Z'), '2026-02-01T00:00:00.000Z');
    assert.equal(next('@hourly', '2026-01-01T00:00:00Z'), '2026-01-01T01:00:00.000Z');
    assert.equal(next('@daily', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('@weekly', '2026-01-01T00:00:00Z'), '2026-01-04T00:00:00.000Z');
    assert.equal(next('@yearly', '2026-01-01T00:00:00Z'), '2027-01-01T00:00:00.000Z');
    assert.equal(next('0 0 * * 7', '2026-01-01T00:00:00Z'), '2026-01-04T00:00:00.000Z');
  });
  it('ORs day-of-month and day-of-week when both are restricted', () => {
    // The 13th, or any Friday: Friday 2026-01-02 comes first.
    assert.equal(next('0 0 13 * 5', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('0 0 31 2 *', '2026-01-01T00:00:00Z'), undefined);
  });
  it('follows time zones from spec.timeZone and CRON_TZ', () => {
    assert.equal(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Asia/Tokyo'), '2026-01-02T00:00:00.000Z');
    assert.equal(next('CRON_TZ=America/New_York 0 9 * * *', '2026-07-01T00:00:00Z'), '2026-07-01T13:00:00.000Z');
    assert.equal(next('0 9 * * *', '2026-01-01T00:00:00Z', 'America/New_York'), '2026-01-01T14:00:00.000Z');
    // 02:30 does not exist on the spring-forward day in New York: that day is skipped.
    assert.equal(next('30 2 * * *', '2026-03-08T00:00:00Z', 'America/New_York'), '2026-03-09T06:30:00.000Z');
    assert.ok(isValidTimeZone('Europe/Paris'));
    assert.ok(!isValidTimeZone('Mars/Olympus'));
  });
  it('rejects bad schedules', () => {
    assert.throws(() => parseCron('* * * *'), CronParseError);
    assert.throws(() => parseCron('61 * * * *'), CronParseError);
    assert.throws(() => parseCron('x * * * *'), CronParseError);
  });
});
