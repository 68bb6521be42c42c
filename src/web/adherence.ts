/**
 * Adherence per program week: sessions logged against the plan's orders / sessions prescribed, for every
 * week from period.start (week 1 starts there) to the current one. An exercise counts in a week for the
 * days its dose was in effect (three a week over four days of the week prescribes 3 x 4/7 sessions), so
 * an order added or changed mid-week is not counted for the whole week. Pure: plan view and today in.
 * Not readEvidence's sessions per order: the engine keeps only current orders' sessions dated on or after their
 * authoredOn and refuses a Bundle the page still shows; here a session of any order in a chain counts in its week.
 * See: docs/clinical-rules.md "Terms" (program week).
 */
import type { Observation } from 'fhir/r4';
import { referenceKey } from '../client';
import { CS, GRADUS_CODE } from '../fhir/codes';
import { addDays, calendarDate, daysBetween } from './dates';
import type { PlanView } from './plan-view';
import { inEffect } from './progress-series';

export interface WeekRow {
  /** 1 for the week starting on period.start. */
  week: number;
  /** Calendar dates, inclusive. */
  start: string;
  end: string;
  done: number;
  prescribed: number;
  /** The week today falls in (not over yet). */
  current: boolean;
}

/** The longest stretch shown: the last year of a longer program. */
export const MAX_WEEKS = 53;

const isSession = (o: Observation): boolean =>
  o.status !== 'entered-in-error' && o.status !== 'cancelled' && (o.code.coding ?? []).some((c) => c.system === CS.gradus && c.code === GRADUS_CODE.exerciseSession);

/** The dates of the sessions logged against any order of the plan (current or replaced). */
function sessionDates(view: PlanView): string[] {
  const orders = new Set(view.chains.flatMap((c) => c.orders.map((o) => `ServiceRequest/${o.id}`)));
  return view.observations.flatMap((o) => {
    if (!isSession(o) || !(o.basedOn ?? []).some((b) => orders.has(referenceKey(b.reference) ?? ''))) return [];
    const date = calendarDate(o.effectiveDateTime ?? o.effectivePeriod?.start);
    return date !== undefined ? [date] : [];
  });
}

/** Sessions prescribed from `start` for 7 days: each day, every exercise's sessions per week / 7. */
function prescribedIn(view: PlanView, start: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const date = addDays(start, i);
    for (const chain of view.chains) sum += (inEffect(chain, date)?.perWeek ?? 0) / 7;
  }
  return Math.round(sum);
}

/** One row per program week up to the one that holds `today` (none before the plan starts). */
export function adherenceWeeks(view: PlanView, today: string): WeekRow[] {
  if (view.start === undefined || today < view.start) return [];
  const weeks = Math.floor(daysBetween(view.start, today) / 7) + 1;
  const dates = sessionDates(view);
  const rows: WeekRow[] = [];
  for (let week = Math.max(1, weeks - MAX_WEEKS + 1); week <= weeks; week++) {
    const start = addDays(view.start, (week - 1) * 7);
    const end = addDays(start, 6);
    rows.push({
      week,
      start,
      end,
      done: dates.filter((d) => d >= start && d <= end).length,
      prescribed: prescribedIn(view, start),
      current: week === weeks,
    });
  }
  return rows;
}
