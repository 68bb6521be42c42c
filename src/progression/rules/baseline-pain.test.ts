import { baselinePain, describeBaseline } from './baseline-pain';
import type { DailyValue } from '../read/evidence-types';
import type { Phase } from '../types';

/** Daily pain values by day number, oldest first as evidence lists them. */
function pain(byDay: Record<number, number>): DailyValue[] {
  return Object.entries(byDay)
    .map(([day, value]) => ({ day: Number(day), value, date: `d${String(100 - Number(day)).padStart(3, '0')}`, at: '', source: `Observation/p${day}` }))
    .sort((a, b) => b.day - a.day);
}

interface Case {
  name: string;
  byDay: Record<number, number>;
  phase?: Phase;
  phaseStartDay?: number;
  referencePain?: number;
  value: number | undefined;
  source: string;
}

describe('baselinePain (B)', () => {
  it.each<Case>([
    { name: 'reference-pain wins over the record', byDay: { 10: 8, 9: 8, 8: 8 }, referencePain: 3.2, value: 3.2, source: 'reference-pain' },
    { name: 'mean of days 7-20', byDay: { 21: 9, 20: 2, 15: 3, 7: 4, 6: 9 }, value: 3, source: 'days 7-20' },
    { name: 'days 7-20 in build keep days after the phase start', byDay: { 12: 2, 10: 2, 8: 8 }, phase: 'build', phaseStartDay: 9, value: 4, source: 'days 7-20' },
    { name: 'flare leaves out days on or after the phase start', byDay: { 14: 2, 12: 2, 10: 2, 9: 8, 8: 8 }, phase: 'flare', phaseStartDay: 9, value: 2, source: 'days 7-20' },
    { name: 'return-to-load leaves them out too', byDay: { 14: 2, 12: 3, 11: 4, 9: 8 }, phase: 'return-to-load', phaseStartDay: 10, value: 3, source: 'days 7-20' },
    { name: 'fewer than 3 in days 7-20: the earliest 3 on record', byDay: { 40: 1, 35: 2, 30: 3, 25: 9, 10: 8, 2: 5 }, value: 2, source: 'earliest 3' },
    { name: 'exactly 3 on record', byDay: { 5: 1, 4: 2, 3: 6 }, value: 3, source: 'earliest 3' },
    { name: 'fewer than 3 on record: unknown', byDay: { 5: 1, 4: 2 }, value: undefined, source: 'unknown' },
  ])('$name', ({ byDay, phase, phaseStartDay, referencePain, value, source }) => {
    const b = baselinePain({ dailyPain: pain(byDay), phase: phase ?? 'build', phaseStartDay, referencePain });
    expect(b.source).toBe(source);
    if (value === undefined) expect(b.value).toBeUndefined();
    else expect(b.value).toBeCloseTo(value, 9);
  });

  it('describes B with its source', () => {
    expect(describeBaseline({ value: 10 / 3, source: 'days 7-20', values: [] })).toBe('B = 3.33 (mean daily pain, days 7-20)');
    expect(describeBaseline({ source: 'unknown', values: [] })).toMatch(/B unknown/);
  });
});
