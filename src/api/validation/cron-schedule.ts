/**
 * Standard 5-field cron schedules (`*\/5 * * * *`, `0 3 * * MON-FRI`) and the `@daily`-style macros,
 * parsed the way the CronJob controller's parser accepts them. Also usable by that controller.
 */

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day-of-month or day-of-week given as `*`: cron matches on the other field alone. */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

interface FieldRange {
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldRange[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Parses a schedule; throws an Error whose message explains what is wrong. */
export function parseCronSchedule(text: string): CronSchedule {
  const spec = MACROS[text.trim()] ?? text.trim();
  if (spec.startsWith('@')) throw new Error(`unrecognized descriptor: ${spec}`);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const sets = fields.map((f, i) => parseField(f, FIELDS[i] ?? { min: 0, max: 0 }));
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { minutes, hours, daysOfMonth, months, daysOfWeek, anyDayOfMonth: isStar(fields[2]), anyDayOfWeek: isStar(fields[4]) };
}

function isStar(field: string | undefined): boolean {
  return field === '*' || field === '?';
}

function parseField(field: string, range: FieldRange): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [span = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`failed to parse int from ${stepText}: invalid step`);
    let [start, end] = isStar(span) ? [range.min, range.max] : parseSpan(span, range);
    if (stepText !== undefined && !isStar(span) && !span.includes('-')) end = range.max;
    if (start < range.min) throw new Error(`beginning of range (${start}) below minimum (${range.min}): ${part}`);
    if (end > range.max) throw new Error(`end of range (${end}) above maximum (${range.max}): ${part}`);
    if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${part}`);
    for (; start <= end; start += step) values.add(start);
  }
  return values;
}

function parseSpan(span: string, range: FieldRange): [number, number] {
  const bounds = span.split('-');
  if (bounds.length > 2) throw new Error(`too many hyphens: ${span}`);
  const numbers = bounds.map((b) => parseValue(b, range));
  return [numbers[0] ?? 0, numbers[1] ?? numbers[0] ?? 0];
}

function parseValue(text: string, range: FieldRange): number {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + range.min;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}`);
  return Number(text);
}

/** The first minute strictly after `after` (UTC) that the schedule fires, or undefined within 5 years. */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      return t;
    }
  }
  return undefined;
}

function dayMatches(schedule: CronSchedule, t: Date): boolean {
  const dom = schedule.daysOfMonth.has(t.getUTCDate());
  const dow = schedule.daysOfWeek.has(t.getUTCDay());
  // Classic cron: when both day fields are restricted, either may match.
  if (schedule.anyDayOfMonth || schedule.anyDayOfWeek) return dom && dow;
  return dom || dow;
}
