/**
 * Standard 5-field cron schedules (minute hour day-of-month month day-of-week) with names, ranges,
 * steps and lists, the `@hourly`-style macros, and an optional `CRON_TZ=`/`TZ=` prefix — the syntax
 * upstream's CronJob controller accepts (robfig/cron's standard parser).
 */
export interface CronSchedule {
  /** The IANA zone from a `CRON_TZ=` / `TZ=` prefix, if any. */
  timeZone?: string;
  /** The first scheduled instant strictly after `after`, in `timeZone` (UTC by default). */
  next(after: Date, timeZone?: string): Date | undefined;
}

export class CronParseError extends Error {}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  values: Set<number>;
  /** True for `*` or `?` (matters for the day-of-month / day-of-week OR rule). */
  star: boolean;
}

function parseValue(text: string, min: number, names?: string[]): number {
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  const n = named >= 0 ? named + min : Number(text);
  if (text === '' || !Number.isInteger(n)) throw new CronParseError(`failed to parse int from ${text}`);
  return n;
}

function parseField(text: string, min: number, max: number, names?: string[]): Field {
  const values = new Set<number>();
  const star = text === '*' || text === '?';
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : parseValue(stepText, 0);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else {
      const [a = '', b] = range.split('-');
      lo = parseValue(a, min, names);
      hi = b === undefined ? (stepText === undefined ? lo : max) : parseValue(b, min, names);
    }
    if (lo < min || hi > max || lo > hi || step < 1) throw new CronParseError(`end of range (${hi}) above maximum (${max}) or beginning of range (${lo}) below minimum (${min}): ${part}`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses a schedule; throws CronParseError with upstream-like messages on bad input. */
export function parseCron(spec: string): CronSchedule {
  let text = spec.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    timeZone = tz[1];
    text = text.slice(tz[0].length).trim();
  }
  const expanded = MACROS[text.toLowerCase()] ?? text;
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${parts.length}: ${text}`);
  const [minute, hour, dom, month, dow] = parts as [string, string, string, string, string];
  const fields = {
    minute: parseField(minute, 0, 59),
    hour: parseField(hour, 0, 23),
    dom: parseField(dom, 1, 31),
    month: parseField(month, 1, 12, MONTHS),
    dow: parseField(dow, 0, 7, DAYS),
  };
  // 7 is Sunday too.
  if (fields.dow.values.delete(7)) fields.dow.values.add(0);
  return { timeZone, next: (after, zone) => nextTime(fields, after, zone ?? timeZone ?? 'UTC') };
}

type Fields = Record<'minute' | 'hour' | 'dom' | 'month' | 'dow', Field>;

function dayMatches(f: Fields, year: number, month: number, day: number): boolean {
  if (!f.month.values.has(month)) return false;
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const domOk = f.dom.values.has(day);
  const dowOk = f.dow.values.has(dow);
  // robfig/cron: when either day field is `*` both must match, otherwise either may.
  return f.dom.star || f.dow.star ? domOk && dowOk : domOk || dowOk;
}

const MAX_DAYS = 366 * 5;

function nextTime(f: Fields, after: Date, zone: string): Date | undefined {
  const start = wallClock(zone, new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000));
  const hours = [...f.hour.values].sort((a, b) => a - b);
  const minutes = [...f.minute.values].sort((a, b) => a - b);
  for (let d = 0; d < MAX_DAYS; d++) {
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day + d));
    const [y, m, dd] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    if (!dayMatches(f, y, m, dd)) continue;
    for (const h of hours) {
      for (const min of minutes) {
        if (d === 0 && (h < start.hour || (h === start.hour && min < start.minute))) continue;
        const at = instantOf(zone, y, m, dd, h, min);
        if (at && at.getTime() > after.getTime()) return at;
      }
    }
  }
  return undefined;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function formatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
}

/** The wall-clock reading of `at` in `zone`. */
export function wallClock(zone: string, at: Date): Wall {
  const parts = Object.fromEntries(formatter(zone).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** The instant a wall-clock time names in `zone`; undefined when DST skips it. */
function instantOf(zone: string, year: number, month: number, day: number, hour: number, minute: number): Date | undefined {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (t: number) => {
    const w = wallClock(zone, new Date(t));
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - t;
  };
  let t = naive - offsetAt(naive);
  t = naive - offsetAt(t);
  const w = wallClock(zone, new Date(t));
  return w.hour === hour && w.minute === minute && w.day === day ? new Date(t) : undefined;
}

/** True when `zone` is an IANA zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}
