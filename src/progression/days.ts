/**
 * Calendar-day arithmetic: a dateTime's day is its calendar date in its own UTC offset, and day k is
 * k days before now's date (day 0 = today). Never reads the clock.
 * See: /work/shared/CLINICAL-RULES.md "Terms" (day, 7 days after, program week).
 */

/** A FHIR date or dateTime split into its parts (partial dates are padded with month/day 1). */
interface ParsedDateTime {
  /** The calendar date `YYYY-MM-DD` in the value's own offset. */
  date: string;
  /** Milliseconds since the epoch when the value has a time, else undefined. */
  instant?: number;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const MS_PER_DAY = 86_400_000;

function parse(value: string): ParsedDateTime | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h, mi, s = '00', frac = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const date = `${y}-${mo}-${d}`;
  if (h === undefined || mi === undefined) return { date };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const ms = Number(`0.${frac || '0'}`) * 1000;
  const local = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms);
  return { date, instant: local - offsetMinutes(offset) * 60_000 };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Minutes east of UTC; a time without an offset is read as UTC. */
function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hh = '0', mm = '0'] = offset.slice(1).split(':');
  return sign * (Number(hh) * 60 + Number(mm));
}

function epochDay(date: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/** True when `value` is a FHIR date or dateTime this module can place on the calendar. */
export function isDateTime(value: string): boolean {
  return parse(value) !== undefined;
}

/** The calendar date (`YYYY-MM-DD`) of a date or dateTime in its own offset; undefined when unreadable. */
export function calendarDate(value: string): string | undefined {
  return parse(value)?.date;
}

/** Calendar days from `from` to `to` (both `YYYY-MM-DD`); positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round(epochDay(to) - epochDay(from));
}

/** The date `n` days after `date` (negative n: before). */
export function addDays(date: string, n: number): string {
  return new Date((epochDay(date) + n) * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Orders two dates/dateTimes: by instant when both have a time, else by calendar date.
 * Negative when `a` is earlier, 0 when equal at the precision compared.
 */
export function compareDateTimes(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.instant !== undefined && pb.instant !== undefined) return Math.sign(pa.instant - pb.instant);
  return Math.sign(daysBetween(pb.date, pa.date));
}

/** Completed years from `birthDate` to the date `today` (age on that day). */
export function ageOn(birthDate: string, today: string): number | undefined {
  const birth = calendarDate(birthDate);
  if (birth === undefined) return undefined;
  const [by = 0, bm = 1, bd = 1] = birth.split('-').map(Number);
  const [ty = 0, tm = 1, td = 1] = today.split('-').map(Number);
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthday ? 0 : 1);
}

/** Day numbers relative to one evaluation time. */
export interface Calendar {
  /** The evaluation time as given. */
  now: string;
  /** now's calendar date in its own offset (day 0). */
  today: string;
  /** Day number of a date or dateTime: 0 today, 1 yesterday; negative for later dates. */
  day(value: string): number;
  /** The date of day k. */
  dateOf(day: number): string;
  /** True when `value` lies after now (by instant when both have a time, else by date). */
  isFuture(value: string): boolean;
}

/** A calendar anchored at `now`; throws RangeError when `now` is not a dateTime. */
export function calendarAt(now: string): Calendar {
  const today = calendarDate(now);
  if (today === undefined) throw new RangeError(`now '${now}' is not a FHIR dateTime`);
  return {
    now,
    today,
    day: (value) => daysBetween(calendarDate(value) ?? today, today),
    dateOf: (day) => addDays(today, -day),
    isFuture: (value) => compareDateTimes(value, now) > 0,
  };
}

/** Program week: 1 + whole weeks between the plan's period.start and now (calendar days). */
export function programWeek(periodStart: string, calendar: Calendar): number {
  return 1 + Math.floor(calendar.day(periodStart) / 7);
}

/** The date on which a program week began. */
export function programWeekStart(periodStart: string, week: number): string {
  return addDays(calendarDate(periodStart) ?? periodStart, 7 * (week - 1));
}
