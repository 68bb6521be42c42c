/**
 * What the "Progress over time" chart and its table show, per day of the program: daily pain (the day's
 * earliest rating, as the engine reads it), fatigue from the check-in, exertion (mean session RPE of the
 * day), and for each exercise the dose in effect that day as a share of its first prescribed dose
 * (sets x reps x load x duration, the parts the dose has). Pure: the plan view and today in, numbers out.
 * Not readEvidence's dailyPain/checkIns/sessions: the engine refuses a whole Bundle with one bad value (a score
 * out of 0-10, a future date, a session whose basedOn does not resolve) where this chart still shows the rest, it
 * counts a value on a later calendar date as today's, and it keeps only current orders' sessions since their
 * authoredOn, where exertion here counts sessions of every order in the chains; day arithmetic is the engine's (dates.ts).
 * See: docs/clinical-rules.md "Terms" (daily pain); implementation-guide.md "gradus-exercise-session (Observation): one performed session".
 */
import type { Observation } from 'fhir/r4';
import { referenceKey } from '../client';
import { CS, GRADUS_CODE, LOINC, LOINC_CODE } from '../fhir/codes';
import { describeDose, type Dose } from '../progression';
import { addDays, calendarDate, daysBetween } from './dates';
import type { Chain, OrderView, PlanView } from './plan-view';

export interface DayPoint {
  date: string;
  /** Day of the program, 1 on period.start. */
  day: number;
  pain?: number;
  fatigue?: number;
  exertion?: number;
}

export interface DoseLine {
  label: string;
  /** Per day: the dose in effect as a percentage of the first prescribed dose; null before the exercise began. */
  percent: (number | null)[];
  /** Per day: the dose in words ("3 x 10 at 8 kg"). */
  text: (string | null)[];
}

export interface ProgressSeries {
  days: DayPoint[];
  doses: DoseLine[];
}

/** The longest stretch shown: the last year of a longer program. */
export const MAX_DAYS = 366;

type Coded = { code?: { coding?: { system?: string; code?: string }[] } };
const hasCode = (item: Coded, system: string, code: string): boolean => (item.code?.coding ?? []).some((c) => c.system === system && c.code === code);
const counts = (o: Observation): boolean => o.status !== 'entered-in-error' && o.status !== 'cancelled';
const effective = (o: Observation): string | undefined => o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant;

/** Sorts by instant (Date.parse of the dateTime; values without a time first). */
const byInstant = (a: { at: string }, b: { at: string }): number => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0);

interface Reading {
  date: string;
  at: string;
  value: number;
}

function componentValue(o: Observation, system: string, code: string): number | undefined {
  const c = (o.component ?? []).find((x) => hasCode(x, system, code));
  return c?.valueInteger ?? c?.valueQuantity?.value;
}

function readings(observations: readonly Observation[], pick: (o: Observation) => number | undefined): Reading[] {
  return observations.flatMap((o) => {
    const at = effective(o);
    const date = calendarDate(at);
    const value = counts(o) ? pick(o) : undefined;
    return at !== undefined && date !== undefined && value !== undefined ? [{ date, at, value }] : [];
  });
}

/** The earliest reading of each day. */
function earliestByDay(list: Reading[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of [...list].sort(byInstant)) if (!out.has(r.date)) out.set(r.date, r.value);
  return out;
}

/** The mean of each day's readings, to one decimal. */
function meanByDay(list: Reading[]): Map<string, number> {
  const sums = new Map<string, number[]>();
  for (const r of list) sums.set(r.date, [...(sums.get(r.date) ?? []), r.value]);
  return new Map([...sums].map(([date, v]) => [date, Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 10) / 10]));
}

/** The product of the dose's sets, reps, load and duration (in seconds), the parts it has. */
export function doseVolume(dose: Dose | undefined): number | undefined {
  if (dose === undefined) return undefined;
  const seconds = dose.duration === undefined ? undefined : dose.duration.value * (dose.duration.unit === 'min' ? 60 : 1);
  const parts = [dose.sets, dose.reps, dose.load, seconds].filter((n): n is number => n !== undefined && n > 0);
  return parts.length > 0 ? parts.reduce((a, b) => a * b, 1) : undefined;
}

/** The order of a chain in effect on `date`: the latest whose dose took effect on or before it. */
export function inEffect(chain: Chain, date: string): OrderView | undefined {
  let found: OrderView | undefined;
  for (const order of chain.orders) if (order.since !== undefined && order.since <= date) found = order;
  return found;
}

function doseLine(chain: Chain, dates: readonly string[]): DoseLine {
  const base = doseVolume(chain.orders[0]?.dose);
  const percent: (number | null)[] = [];
  const text: (string | null)[] = [];
  for (const date of dates) {
    const order = inEffect(chain, date);
    const volume = doseVolume(order?.dose);
    percent.push(order && volume !== undefined && base !== undefined ? Math.round((volume / base) * 100) : null);
    text.push(order?.dose ? describeDose(order.dose) : null);
  }
  return { label: chain.label, percent, text };
}

/** The program's days from period.start to today (at most the last MAX_DAYS), with their values. */
export function progressSeries(view: PlanView, today: string): ProgressSeries {
  const start = view.start ?? addDays(today, -27);
  const total = daysBetween(start, today) + 1;
  const first = Math.max(0, total - MAX_DAYS);
  const dates = Array.from({ length: Math.max(0, total - first) }, (_, i) => addDays(start, first + i));

  const planOrders = new Set(view.chains.flatMap((c) => c.orders.map((o) => `ServiceRequest/${o.id}`)));
  const isCheckIn = (o: Observation): boolean => hasCode(o, CS.gradus, GRADUS_CODE.dailyCheckIn);
  const isSession = (o: Observation): boolean =>
    hasCode(o, CS.gradus, GRADUS_CODE.exerciseSession) && (o.basedOn ?? []).some((b) => planOrders.has(referenceKey(b.reference) ?? ''));

  const pain = earliestByDay(
    readings(view.observations, (o) =>
      hasCode(o, LOINC, LOINC_CODE.pain) ? (o.valueInteger ?? o.valueQuantity?.value) : isCheckIn(o) ? componentValue(o, LOINC, LOINC_CODE.pain) : undefined,
    ),
  );
  const fatigue = earliestByDay(readings(view.observations.filter(isCheckIn), (o) => componentValue(o, CS.gradus, GRADUS_CODE.fatigue)));
  const exertion = meanByDay(readings(view.observations.filter(isSession), (o) => componentValue(o, LOINC, LOINC_CODE.rpe)));

  const days = dates.map((date, i): DayPoint => {
    const point: DayPoint = { date, day: first + i + 1 };
    const p = pain.get(date);
    const f = fatigue.get(date);
    const e = exertion.get(date);
    if (p !== undefined) point.pain = p;
    if (f !== undefined) point.fatigue = f;
    if (e !== undefined) point.exertion = e;
    return point;
  });
  return { days, doses: view.chains.map((c) => doseLine(c, dates)) };
}
