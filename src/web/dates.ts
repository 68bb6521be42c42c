/**
 * Dates as the pages need them: the clock's instant written as a FHIR dateTime in the service's UTC offset,
 * "this morning" for a check-in, and calendar dates (`YYYY-MM-DD`) counted in whole days. A logged value's
 * day is its calendar date in its own offset, as the engine reads it: day arithmetic is the engine's own.
 * See: https://hl7.org/fhir/R4/datatypes.html#dateTime
 */
import { calendarDate as engineCalendarDate } from '../progression';

export { addDays, daysBetween } from '../progression';

const MS_PER_MINUTE = 60_000;
const FULL_DATE = /^\d{4}-\d{2}-\d{2}/;

const two = (n: number): string => String(n).padStart(2, '0');

/** `at` as `YYYY-MM-DDThh:mm:ss±hh:mm` in the given offset from UTC (minutes east of Greenwich). */
export function localDateTime(at: Date, offsetMinutes: number): string {
  const local = new Date(at.getTime() + offsetMinutes * MS_PER_MINUTE);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const date = `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`;
  const time = `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
  return `${date}T${time}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** The service's offset from UTC at `at` (minutes east), from the process's time zone. */
export function systemOffsetMinutes(at: Date): number {
  return at.getTimezoneOffset() === 0 ? 0 : -at.getTimezoneOffset();
}

/** When a check-in made at `at` describes: 07:00 that day, or `at` itself when it is earlier (never in the future). */
export function morningOf(at: Date, offsetMinutes: number): string {
  const now = localDateTime(at, offsetMinutes);
  return now.slice(11, 19) < '07:00:00' ? now : `${now.slice(0, 10)}T07:00:00${now.slice(19)}`;
}

/**
 * The calendar date (`YYYY-MM-DD`) a FHIR date or dateTime falls on in its own offset; undefined when it has none.
 * A thin adapter over the engine's calendarDate, because the page reads more leniently than the engine: it takes
 * a missing value, shows the day of a value whose time part the engine would refuse (its leading full date is
 * validated by the engine), and never places a partial date (`2026-11`) on a day, where the engine pads it to the 1st.
 */
export function calendarDate(value: string | undefined): string | undefined {
  const day = value === undefined ? undefined : FULL_DATE.exec(value)?.[0];
  return day === undefined ? undefined : engineCalendarDate(day);
}

/** "27 Nov 2026" for a calendar date. */
export function formatDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "27 Nov 2026, 08:00 (+01:00)" for a FHIR dateTime, in its own offset. */
export function formatDateTime(value: string): string {
  const date = calendarDate(value);
  const time = /T(\d{2}:\d{2})/.exec(value)?.[1];
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(value)?.[1];
  if (date === undefined) return value;
  return `${formatDate(date)}${time !== undefined ? `, ${time}` : ''}${offset !== undefined ? ` (${offset === 'Z' ? 'UTC' : `UTC${offset}`})` : ''}`;
}
