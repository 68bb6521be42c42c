/**
 * Dates as the pages need them: the clock's instant written as a FHIR dateTime in the service's UTC offset,
 * "this morning" for a check-in, and calendar dates (`YYYY-MM-DD`) counted in whole days. A logged value's
 * day is its calendar date in its own offset, as the engine reads it.
 * See: https://hl7.org/fhir/R4/datatypes.html#dateTime
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

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

/** The calendar date (`YYYY-MM-DD`) a FHIR date or dateTime falls on in its own offset; undefined when it has none. */
export function calendarDate(value: string | undefined): string | undefined {
  const m = value === undefined ? null : CALENDAR_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? value?.slice(0, 10) : undefined;
}

/** Days from calendar date `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** The calendar date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
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
