/**
 * B, the baseline pain the flare, return and qualification rules compare against.
 * See: docs/clinical-rules.md "Terms" (B).
 */
import { formatNumber } from '../dose';
import type { DailyValue, Evidence } from '../read';

export type BaselineSource = 'reference-pain' | 'days 7-20' | 'earliest 3' | 'unknown';

export interface BaselinePain {
  /** B; undefined when unknown (fewer than 3 daily pain values on record). */
  value?: number;
  source: BaselineSource;
  /** The daily pain values B is the mean of (empty for reference-pain and unknown). */
  values: DailyValue[];
}

const WINDOW = { from: 7, to: 20 } as const;
const MIN_VALUES = 3;

function mean(values: readonly DailyValue[]): number {
  return values.reduce((sum, v) => sum + v.value, 0) / values.length;
}

type BaselineInput = Pick<Evidence, 'referencePain' | 'dailyPain' | 'phase' | 'phaseStartDay'>;

/**
 * `reference-pain`; else the mean daily pain over days 7-20 (in flare and return-to-load leaving out
 * days on or after the phase start); else, with fewer than 3 values there, the mean of the earliest
 * 3 on record; else unknown.
 */
export function baselinePain(evidence: BaselineInput): BaselinePain {
  if (evidence.referencePain !== undefined) return { value: evidence.referencePain, source: 'reference-pain', values: [] };
  const excludeFrom = evidence.phase === 'flare' || evidence.phase === 'return-to-load' ? evidence.phaseStartDay : undefined;
  const window = evidence.dailyPain.filter(
    (p) => p.day >= WINDOW.from && p.day <= WINDOW.to && (excludeFrom === undefined || p.day > excludeFrom),
  );
  if (window.length >= MIN_VALUES) return { value: mean(window), source: 'days 7-20', values: window };
  const earliest = evidence.dailyPain.slice(0, MIN_VALUES);
  if (earliest.length >= MIN_VALUES) return { value: mean(earliest), source: 'earliest 3', values: earliest };
  return { source: 'unknown', values: [] };
}

/** "B = 3.5 (mean daily pain, days 7-20)" for rationales. */
export function describeBaseline(b: BaselinePain): string {
  if (b.value === undefined) return 'B unknown (fewer than 3 daily pain values on record)';
  const value = formatNumber(b.value);
  switch (b.source) {
    case 'reference-pain':
      return `B = ${value} (reference pain)`;
    case 'days 7-20':
      return `B = ${value} (mean daily pain, days 7-20)`;
    case 'earliest 3':
      return `B = ${value} (mean of the earliest 3 daily pain values)`;
    case 'unknown':
      return `B = ${value}`;
  }
}
