import type { CronJob } from 'kubernetes-types/batch/v1.js';
import type { CronSchedule } from '../../api/cron/cron-schedule.ts';

/** More missed start times than this get a TooManyMissedTimes warning, as upstream. */
export const MANY_MISSED = 100;

/** The most recent start time not yet acted on, and how many were missed before it. */
export interface DueTime {
  scheduled?: Date;
  missed: number;
}

/**
 * The latest schedule time in (earliest, now], where earliest is the last schedule time (or the
 * CronJob's creation), moved up to `now − startingDeadlineSeconds` when that is set (upstream
 * `mostRecentScheduleTime`).
 */
export function dueTime(cj: CronJob, schedule: CronSchedule, zone: string, now: Date): DueTime {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '') || now.getTime();
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now.getTime() - deadline * 1000);
  let scheduled: Date | undefined;
  let missed = 0;
  for (let t = schedule.next(new Date(earliest), zone); t && t.getTime() <= now.getTime(); t = schedule.next(t, zone)) {
    if (scheduled) missed++;
    scheduled = t;
    // Past this many the count only feeds a warning; stop walking minute by minute.
    if (missed > MANY_MISSED) {
      scheduled = lastBefore(schedule, zone, now, scheduled);
      break;
    }
  }
  return { scheduled, missed };
}

/** The last schedule time ≤ now, found by stepping back from now in growing windows. */
function lastBefore(schedule: CronSchedule, zone: string, now: Date, known: Date): Date {
  for (let window = 60_000; window < 366 * 86_400_000; window *= 4) {
    let found: Date | undefined;
    for (let t = schedule.next(new Date(Math.max(known.getTime(), now.getTime() - window)), zone); t && t.getTime() <= now.getTime(); t = schedule.next(t, zone)) found = t;
    if (found) return found;
  }
  return known;
}

/** The Job name for a scheduled time: `<cronjob>-<minutes since the epoch>`, as upstream names it. */
export function jobNameFor(cronJobName: string, scheduled: Date): string {
  return `${cronJobName}-${Math.floor(scheduled.getTime() / 60_000)}`;
}
