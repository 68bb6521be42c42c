/**
 * Clinical-rules audit, days in their own UTC offset, daily pain and B's window: each case is worked out by
 * hand from a sentence of CLINICAL-RULES.md (cited in its `rule`), not from the engine's code, and runs
 * through the whole engine.
 * See: /work/shared/CLINICAL-RULES.md "Terms" (day, daily pain, B, M); implementation-guide.md "Extensions to
 * the contract".
 */
import type { Observation } from 'fhir/r4';
import { auditCases, expectOrder, patient, phaseOf, SQ, SQ_DONE, type Case } from './helpers';

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
    bundle: () => {
      const b = patient({ pain: (d) => (d === 1 ? 4 : 2) }).order(SQ).sessions('sq', [5, 3], SQ_DONE).build();
      const late = b.entry?.map((e) => e.resource).find((x): x is Observation => x?.resourceType === 'Observation' && x.id === 'session-2');
      if (!late) throw new Error('session-2 not built');
      late.effectiveDateTime = '2026-03-07T23:30:00-08:00';
      return b;
    },
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
    bundle: () => {
      const b = patient().order(SQ).sessions('sq', [5, 2], SQ_DONE).alert(14, 'fever').build();
      const alert = b.entry?.map((e) => e.resource).find((x): x is Observation => x?.resourceType === 'Observation' && x.id === 'alert-1');
      if (!alert) throw new Error('alert-1 not built');
      alert.effectiveDateTime = '2026-02-24T23:00:00-08:00';
      return b;
    },
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
];

auditCases('days and daily pain', dailyPain);
