/**
 * Clinical-rules audit, days in their own UTC offset, daily pain and B's window: each case is worked out by
 * hand from a sentence of docs/clinical-rules.md (cited in its `rule`), not from the engine's code, and runs
 * through the whole engine.
 * See: docs/clinical-rules.md "Terms" (day, daily pain, B, M); implementation-guide.md "Extensions to
 * the contract".
 */
import type { Bundle } from 'fhir/r4';
import type { HistoryBuilder } from '../support/builder';
import { auditCases, expectOrder, patient, phaseOf, retimed, run, SQ, SQ_DONE, type Case, type PatientOptions } from './helpers';

const dailyPain: Case[] = [
  {
    name: 'reads a late-evening check-in at -05:00 on its own date (day 1), so days 2 and 1 make a flare',
    rule: 'Terms: day = the calendar date of a dateTime in its own UTC offset',
    bundle: () =>
      patient({ pain: (d) => (d === 1 ? undefined : d === 2 ? 4 : 2) })
        .checkInAt('2026-03-09T22:30:00-05:00', { pain: 4 })
        .order(SQ)
        .build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']),
  },
  {
    name: 'takes the earliest value of each day: a high midday pain score after a low morning check-in does not flare',
    rule: 'Terms: daily pain ... one value per day (the earliest of that day)',
    bundle: () => patient().painScore(1, 8).painScore(0, 8, { time: '08:30' }).order(SQ).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'reads a 72514-3 Observation with a Quantity {score} as daily pain',
    rule: 'Terms: daily pain from any Observation coded 72514-3 (integer, or Quantity {score})',
    bundle: () =>
      patient({ pain: (d) => (d <= 1 ? undefined : 2) })
        .painScore(1, 5, { asQuantity: true }).painScore(0, 5, { asQuantity: true, time: '08:30' })
        .order(SQ)
        .build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']),
  },
  {
    name: 'takes M from the day after the session\'s own date: a session at 23:30 -08:00 on day 3 is judged by day 2, not day 1',
    rule: 'Terms: next-morning pain (M) of a session on day d: daily pain on day d-1; day in its own UTC offset',
    bundle: () => retimed(patient({ pain: (d) => (d === 1 ? 4 : 2) }).order(SQ).sessions('sq', [5, 3], SQ_DONE).build(), 'session-2', '2026-03-07T23:30:00-08:00'),
    check: (r) => expectOrder(r, 'sq', 'progress', { sets: 3, reps: 11, load: 20, step: 4 }),
  },
  {
    name: 'takes B from days 7-20 exactly: high pain on days 21 and 6 does not raise it',
    rule: 'Terms, B: the mean daily pain over days 7-20',
    bundle: () =>
      patient({ pain: (d) => ({ 20: 2, 14: 2, 7: 2, 6: 8, 1: 4, 0: 4 })[d] }).checkIn(21, { pain: 8 }).order(SQ).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']);
      expect(r.plan.rationale).toContain('B = 2 (mean daily pain, days 7-20)');
    },
  },
  {
    name: 'ignores a red flag whose own date is day 14 though it falls on day 13 in now\'s offset',
    rule: 'Plan 1: days 0-13; Terms: day = the calendar date in its own UTC offset',
    bundle: () => retimed(patient().order(SQ).sessions('sq', [5, 2], SQ_DONE).alert(14, 'fever').build(), 'alert-1', '2026-02-24T23:00:00-08:00'),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
];

/** 23:45 UTC on Tuesday 10 March: 00:30 on the 11th at +01:00 is 15 minutes ago, yet on a later calendar date. */
const LATE = '2026-03-10T23:45:00Z';
const EAST = '2026-03-11T00:30:00+01:00';
const late = (options: PatientOptions = {}): HistoryBuilder => patient({ now: LATE, ...options });

const laterDate: Case[] = [
  {
    name: 'refers on a red flag reported minutes ago on a later calendar date (00:30 at +01:00 the next day is day 0, not day -1)',
    rule: 'Plan 1: any symptom alert with value true in days 0-13; implementation-guide.md, Extensions: a later calendar date that is not in the future is day 0',
    now: LATE,
    bundle: () => retimed(late().order(SQ).alert(0, 'chest-pain').build(), 'alert-1', EAST),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'referred', 'refer']),
  },
  {
    name: 'flares on pain 4 yesterday and 4 in a check-in on a later calendar date (day 0), B = 2',
    rule: 'Plan 2: daily pain >= B + 2 on 2 consecutive days, both in the last 7 days; Extensions: day 0',
    now: LATE,
    bundle: () => late({ pain: (d) => (d === 0 ? undefined : d === 1 ? 4 : 2) }).checkInAt(EAST, { pain: 4 }).order(SQ).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']);
      expect(r.plan.rationale).toContain('4/10 on 2026-03-11');
    },
  },
  {
    name: 'does not flare when an earlier check-in today (2/10) is the day\'s first value: the later-date 4/10 shares day 0',
    rule: 'Terms: daily pain, one value per day (the earliest of that day); Extensions: day 0',
    now: LATE,
    bundle: () => late({ pain: (d) => (d === 1 ? 4 : 2) }).checkInAt(EAST, { pain: 4 }).order(SQ).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'build', undefined]),
  },
  {
    name: 'counts a session on a later calendar date as the second of two qualifying sessions',
    rule: 'Order 3: its last stableSessions (2) sessions all qualify -> progress; Extensions: day 0',
    now: LATE,
    bundle: () => retimed(late().order(SQ).sessions('sq', [5, 0], SQ_DONE).build(), 'session-2', '2026-03-11T00:20:00+01:00'),
    check: (r) => expectOrder(r, 'sq', 'progress', { sets: 3, reps: 11, load: 20, step: 4 }, ['2026-03-11']),
  },
  {
    name: 'deloads on fatigue >= 7 on 3 days when the third is a check-in on a later calendar date',
    rule: 'Plan 5: fatigue >= 7 on 3 or more of the last 7 days; Extensions: day 0',
    now: LATE,
    bundle: () => late().order(SQ).checkIn(3, { fatigue: 8, time: '06:00' }).checkIn(1, { fatigue: 8, time: '06:00' }).checkInAt(EAST, { fatigue: 8 }).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']);
      expect(r.plan.rationale).toContain('8 on 2026-03-11');
    },
  },
];

auditCases('days and daily pain', dailyPain);
auditCases('a fact on a later calendar date that is not in the future counts as day 0', laterDate);

describe('a fact after now as an instant is still an error', () => {
  const SOON = '2026-03-11T00:46:00+01:00';
  it.each<[string, () => Bundle]>([
    ['a red flag a minute after now', () => retimed(late().order(SQ).alert(0, 'chest-pain').build(), 'alert-1', SOON)],
    ['a check-in a minute after now', () => late().checkInAt(SOON, { pain: 4 }).order(SQ).build()],
    ['a session a minute after now', () => retimed(late().order(SQ).sessions('sq', [5, 0], SQ_DONE).build(), 'session-2', SOON)],
  ])('rejects %s', (_name, bundle) => {
    expect(() => run({ bundle, now: LATE })).toThrow(/dated 2026-03-11T00:46:00\+01:00, after now/);
  });
});
