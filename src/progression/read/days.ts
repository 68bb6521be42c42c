/**
 * Calendar-day arithmetic: a dateTime's day is its calendar date in its own UTC offset, and day k is
 * k days before now's date (day 0 = today). Never reads the clock.
 * A value whose own calendar date is after now's date but which is not after now as an instant (now
 * 2026-03-10T23:45:00Z, a red flag at 2026-03-11T00:30:00+01:00) is day 0, never day -1, so that it falls
 * inside every window; a value after now as an instant stays an error for the reader (isFuture).
 * See: docs/clinical-rules.md "Terms" (day, 7 days after, program week); implementation-guide.md
 * "Extensions to the contract" (a later calendar date that is not in the future is day 0).
 */

/** A FHIR date or dateTime split into its parts (partial dates are padded with month/day 1). */
export interface ParsedDateTime {
  /** The calendar date `YYYY-MM-DD` in the value's own offset. */
  date: string;
  /** Days since 1970-01-01 of `date`. */
  epochDay: number;
  /** Milliseconds since the epoch when the value has a time, else undefined. */
  instant?: number;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:Z|([+-])(\d{2}):(\d{2}))?)?)?)?$/;

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil; no Date objects). */
function civilToEpochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Parses a FHIR date or dateTime once: its own calendar date, epoch day and (with a time) instant; a time without an offset is read as UTC. */
export function parseDateTime(value: string): ParsedDateTime | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y = '', mo = '01', d = '01', h, mi, s = '00', frac, sign, oh = '00', om = '00'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const date = m[2] !== undefined && m[3] !== undefined ? value.slice(0, 10) : `${y}-${mo}-${d}`;
  const epochDay = civilToEpochDay(year, month, day);
  if (h === undefined || mi === undefined) return { date, epochDay };
  const hours = Number(h);
  const minutes = Number(mi);
  const seconds = Number(s);
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const ms = frac === undefined ? 0 : Number(`0.${frac}`) * 1000;
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const instant = epochDay * MS_PER_DAY + ((hours * 60 + minutes - offset) * 60 + seconds) * 1000 + ms;
  return { date, epochDay, instant };
}

/** Orders two parsed values: by instant when both have a time, else by calendar date. */
function compareParsed(a: Pick<ParsedDateTime, 'epochDay' | 'instant'>, b: Pick<ParsedDateTime, 'epochDay' | 'instant'>): number {
  if (a.instant !== undefined && b.instant !== undefined) return Math.sign(a.instant - b.instant);
  return Math.sign(a.epochDay - b.epochDay);
}

function epochDay(date: string): number {
  return parseDateTime(date)?.epochDay ?? Number.NaN;
}

/** True when `value` is a FHIR date or dateTime this module can place on the calendar. */
export function isDateTime(value: string): boolean {
  return parseDateTime(value) !== undefined;
}

/** The calendar date (`YYYY-MM-DD`) of a date or dateTime in its own offset; undefined when unreadable. */
export function calendarDate(value: string): string | undefined {
  return parseDateTime(value)?.date;
}

/** Calendar days from `from` to `to` (both `YYYY-MM-DD`); positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
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
  const pa = parseDateTime(a);
  const pb = parseDateTime(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return compareParsed(pa, pb);
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

/** A dateTime placed relative to one evaluation time: its own calendar date, day number and instant. */
export interface DayStamp {
  date: string;
  /** 0 = now's date, 1 = the day before, ...; never negative (a later calendar date is day 0). */
  day: number;
  epochDay: number;
  /** Milliseconds since the epoch when it has a time. */
  instant?: number;
}

/** Day numbers relative to one evaluation time. */
export interface Calendar {
  /** The evaluation time as given. */
  now: string;
  /** now's calendar date in its own offset (day 0). */
  today: string;
  /** A date or dateTime placed on this calendar; undefined when unreadable. Each distinct value is parsed once per calendar. */
  stamp(value: string): DayStamp | undefined;
  /** Day number of a date or dateTime: 0 today (or a later calendar date), 1 yesterday, ... */
  day(value: string): number;
  /** The date of day k. */
  dateOf(day: number): string;
  /** True when `value` lies after now (by instant when both have a time, else by date). */
  isFuture(value: string): boolean;
}

/**
 * A calendar anchored at `now`; throws RangeError when `now` is not a dateTime. It remembers the values it
 * has parsed, so one evaluation (one calendar) parses each dateTime once; nothing outlives the calendar.
 */
export function calendarAt(now: string): Calendar {
  const parsedNow = parseDateTime(now);
  if (parsedNow === undefined) throw new RangeError(`now '${now}' is not a FHIR dateTime`);
  const today = parsedNow.date;
  const todayEpoch = parsedNow.epochDay;
  const seen = new Map<string, DayStamp | null>();
  const stamp = (value: string): DayStamp | undefined => {
    let known = seen.get(value);
    if (known === undefined) {
      const p = parseDateTime(value);
      // A later calendar date that is not in the future (an offset east of now's) is today: day 0, not -1.
      known = p ? { date: p.date, day: Math.max(0, todayEpoch - p.epochDay), epochDay: p.epochDay, ...(p.instant !== undefined ? { instant: p.instant } : {}) } : null;
      seen.set(value, known);
    }
    return known ?? undefined;
  };
  return {
    now,
    today,
    stamp,
    day: (value) => stamp(value)?.day ?? 0,
    dateOf: (day) => addDays(today, -day),
    isFuture: (value) => {
      const s = stamp(value);
      return s ? compareParsed(s, parsedNow) > 0 : value > now;
    },
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
