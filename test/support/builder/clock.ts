/**
 * Calendar-day arithmetic for built records: "day k" is k calendar days before now's date, read in now's
 * own UTC offset (docs/clinical-rules.md, Terms), so built records never depend on the machine's zone.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A dateTime split into its own calendar date, minutes since local midnight and its offset text. */
export interface LocalTime {
  date: string;
  minutes: number;
  offset: string;
}

export function parseDateTime(value: string): LocalTime {
  const m = DATE_TIME.exec(value);
  if (!m) throw new Error(`not an ISO dateTime with offset: ${value}`);
  const [, y, mo, d, hh, mm, , off] = m;
  return { date: `${y}-${mo}-${d}`, minutes: Number(hh) * 60 + Number(mm), offset: off === 'Z' ? '+00:00' : String(off) };
}

/** The calendar date `days` days before `date` (negative: after). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) - days));
  return t.toISOString().slice(0, 10);
}

/** Whole calendar days from `earlier` to `later` (both YYYY-MM-DD). */
export function daysBetween(earlier: string, later: string): number {
  const toUtc = (s: string): number => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(Number(y), Number(m) - 1, Number(d));
  };
  return Math.round((toUtc(later) - toUtc(earlier)) / 86_400_000);
}

const pad = (n: number): string => String(n).padStart(2, '0');

function clock(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:00`;
}

const MINUTES_PER_DAY = 24 * 60;

/** The dateTime `minutes` after `dateTime`, written in the same offset (a session's end from its start). */
export function minutesLater(dateTime: string, minutes: number): string {
  const t = parseDateTime(dateTime);
  const total = t.minutes + minutes;
  const days = Math.floor(total / MINUTES_PER_DAY);
  return `${addDays(t.date, -days)}T${clock(total - days * MINUTES_PER_DAY)}${t.offset}`;
}

/** Resolves day numbers relative to one `now` into dateTimes in now's offset. */
export class DayClock {
  readonly now: string;
  readonly today: LocalTime;

  constructor(now: string) {
    this.now = now;
    this.today = parseDateTime(now);
  }

  /** The calendar date of day k. */
  date(day: number): string {
    return addDays(this.today.date, day);
  }

  /**
   * A dateTime on day k at `hhmm` local time; on day 0 it is moved before now when needed, so no
   * record lies in the future of the evaluation.
   */
  at(day: number, hhmm: string): string {
    const [h, m] = hhmm.split(':').map(Number);
    let minutes = Number(h) * 60 + Number(m);
    if (day === 0 && minutes >= this.today.minutes) minutes = Math.max(0, this.today.minutes - 30);
    return `${this.date(day)}T${clock(minutes)}${this.today.offset}`;
  }

  /** The day number of a dateTime or date, in now's frame (its own calendar date). */
  dayOf(value: string): number {
    const date = value.length === 10 ? value : parseDateTime(value).date;
    return daysBetween(date, this.today.date);
  }
}

/** A day number (days before now) or an ISO date/dateTime, as the builder's inputs accept. */
export type When = number | string;
