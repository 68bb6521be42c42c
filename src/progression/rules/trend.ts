/**
 * Week-over-week rise: mean daily pain (else morning stiffness) over days 14-20, 7-13 and 0-6, each with
 * at least 3 values, rising at both steps. Symptoms must not increase week to week (Silbernagel 2007).
 * See: docs/clinical-rules.md "Order-level rules", rule 2.
 */
import { formatNumber } from '../dose';
import type { DailyValue, Evidence } from '../read';

export interface WeeklyTrend {
  measure: 'daily pain' | 'morning stiffness';
  /** Means of days 14-20, 7-13 and 0-6 (oldest first). */
  means: [number, number, number];
  rose: boolean;
  /** The values used. */
  values: DailyValue[];
}

const WINDOWS: ReadonlyArray<readonly [number, number]> = [
  [14, 20],
  [7, 13],
  [0, 6],
];
const MIN_VALUES = 3;
const EPSILON = 1e-9;

function windowMeans(series: readonly DailyValue[]): { means: [number, number, number]; values: DailyValue[] } | undefined {
  const groups = WINDOWS.map(([from, to]) => series.filter((v) => v.day >= from && v.day <= to));
  if (groups.some((g) => g.length < MIN_VALUES)) return undefined;
  const [a = 0, b = 0, c = 0] = groups.map((g) => g.reduce((s, v) => s + v.value, 0) / g.length);
  return { means: [a, b, c], values: groups.flat() };
}

/**
 * The three weekly means of daily pain, or of morning stiffness when daily pain does not have 3 values
 * in each window; undefined when neither does.
 */
export function weeklyTrend(evidence: Pick<Evidence, 'dailyPain' | 'checkIns'>): WeeklyTrend | undefined {
  const pain = windowMeans(evidence.dailyPain);
  const stiffness = pain
    ? undefined
    : windowMeans(evidence.checkIns.flatMap((log) => (log.values.morningStiffness ? [log.values.morningStiffness] : [])));
  const found = pain ?? stiffness;
  if (!found) return undefined;
  const [w3, w2, w1] = found.means;
  return {
    measure: pain ? 'daily pain' : 'morning stiffness',
    means: found.means,
    rose: w2 > w3 + EPSILON && w1 > w2 + EPSILON,
    values: found.values,
  };
}

/** "mean daily pain rose week over week: 2 (days 14-20) -> 3 (days 7-13) -> 4 (days 0-6)". */
export function describeTrend(trend: WeeklyTrend): string {
  const [w3, w2, w1] = trend.means.map(formatNumber);
  return `mean ${trend.measure} rose week over week: ${w3} (days 14-20) -> ${w2} (days 7-13) -> ${w1} (days 0-6)`;
}
