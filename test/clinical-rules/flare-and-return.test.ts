/**
 * Clinical-rules audit, plan rules 2-4 (flare, during a flare, return to load) and endurance intensity: each
 * case is worked out by hand from a sentence of docs/clinical-rules.md (cited in its `rule`), not from the engine's
 * code, and runs through the whole engine.
 * See: docs/clinical-rules.md "Plan-level rules" 2-4, "Intensity for endurance";
 * implementation-guide.md "Extensions to the contract".
 */
import type { Bundle, CarePlan, Provenance } from 'fhir/r4';
import { readFlareSince, readPhase, readReferencePain } from '../support/dose-ext';
import { type HistoryBuilder, type SessionOptions } from '../support/builder';
import { parts, provenanceReason } from '../support/inspect';
import { auditCases, BALANCE, decisionOf, expectOrder, min, NOW, oneOrder, patient, phaseOf, planWritten, SQ, SQ_DONE, STRETCH, WALK, withoutFlareSince, type Case, type PatientOptions } from './helpers';
const flareEntry: Case[] = [
  {
    name: 'enters a flare on pain >= B + 2 on days 1 and 0: strength load -50%, endurance duration -50% at RPE 2-3, others unchanged',
    rule: 'Plan 2: daily pain >= B + 2 on 2 consecutive days ... -> flare-protocol; strength load -50%; endurance duration -50%, rpeTarget 2-3; mobility and neuromotor unchanged',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 4 : 2) }).order(SQ).order(WALK).order(STRETCH).order(BALANCE).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']);
      expect(r.plan.rationale).toContain('B + 2 = 4');
      expectOrder(r, 'sq', 'flare-protocol', { sets: 3, reps: 10, load: 10, step: 3 }, ['load 20 kg -> 10 kg', '-50%', 'design choice']);
      const walk = expectOrder(r, 'walk', 'flare-protocol', { duration: min(15), step: 2 }, ['duration 30 -> 15 min', '-50%']);
      expect(walk.to.rpeTarget).toEqual({ low: 2, high: 3 });
      expectOrder(r, 'stretch', 'flare-protocol', STRETCH.dose);
      expectOrder(r, 'balance', 'flare-protocol', BALANCE.dose);
      for (const p of parts(r.transaction).provenances) expect(provenanceReason(p.resource as Provenance)).toBe('flare-protocol');
    },
  },
  {
    name: 'writes B into reference-pain and the flare start into flare-since on entering a flare',
    rule: 'Terms, B: on entering flare, the engine writes B into reference-pain and the flare start into flare-since',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 4 : 2) }).order(SQ).build(),
    check: (r) => {
      const plan = planWritten(r) as CarePlan;
      expect([readPhase(plan), readReferencePain(plan), readFlareSince(plan)]).toEqual(['flare', 2, NOW]);
    },
  },
  {
    name: 'halves reps when a strength order has no load',
    rule: 'Plan 2: strength orders: load -50% (reps -50% when no load)',
    bundle: () =>
      patient({ pain: (d) => (d <= 1 ? 4 : 2) })
        .order({ id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 12, step: 2 }, authoredOn: 14 })
        .build(),
    check: (r) => expectOrder(r, 'wpu', 'flare-protocol', { sets: 2, reps: 6, step: 2 }),
  },
  {
    name: 'does not flare on high pain on two days that are not consecutive',
    rule: 'Plan 2: ... on 2 consecutive days',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: (d) => (d === 3 || d === 0 ? 5 : 2) }),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'does not flare when the first of the two days is day 7',
    rule: 'Plan 2: ... both in the last 7 days (days 0-6)',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: (d) => (d === 7 || d === 6 ? 5 : 2) }),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'does not flare on high pain before the phase start',
    rule: 'Plan 2: ... and on or after the phase start',
    bundle: () => oneOrder({ ...SQ, authoredOn: 20 }, SQ_DONE, { phaseSince: 3, pain: (d) => (d === 5 || d === 4 ? 5 : 2) }),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'compares with a fractional B: 4/10 is below B + 2 = 4.5, 5/10 is not',
    rule: 'Plan 2: daily pain >= B + 2 (B = mean daily pain over days 7-20)',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 4 : d % 2 === 0 ? 2 : 3) }).order(SQ).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'flares at 5/10 with B = 2.5',
    rule: 'Plan 2: daily pain >= B + 2',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 5 : d % 2 === 0 ? 2 : 3) }).order(SQ).build(),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('flare');
      expect(r.plan.rationale).toContain('B + 2 = 4.5');
      expect(readReferencePain(planWritten(r) as CarePlan)).toBe(2.5);
    },
  },
  {
    name: 'takes B from the earliest 3 values on record when days 7-20 hold fewer than 3',
    rule: 'Terms, B: fewer than 3 values there: the mean of the earliest 3 values on record',
    bundle: () => patient({ pain: (d) => (d > 6 ? undefined : d >= 4 ? 1 : 3) }).order(SQ).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']);
      expect(r.plan.rationale).toContain('B + 2 = 3');
    },
  },
  {
    name: 'sets the Karvonen light zone on an endurance order with a heart-rate zone (age 40, rest 60/min -> 96-107/min)',
    rule: 'Plan 2 + Intensity: HRmax = 208 - 0.7 x age; light 30-39% HRR with the latest resting heart rate',
    bundle: () =>
      patient({ pain: (d) => (d <= 1 ? 4 : 2), birthDate: '1986-03-10', restingHeartRate: 60 })
        .order({ ...WALK, dose: { duration: min(40), heartRateZone: { low: 110, high: 130 }, step: 2 } })
        .build(),
    check: (r) => {
      const walk = expectOrder(r, 'walk', 'flare-protocol', { duration: min(20), step: 2 });
      expect([walk.to.heartRateZone, walk.to.rpeTarget]).toEqual([{ low: 96, high: 107 }, { low: 2, high: 3 }]);
    },
  },
  {
    name: 'removes the heart-rate zone on a flare when no resting heart rate is on record',
    rule: 'Plan 2: the light zone if age and a resting heart rate are on record, else no zone',
    bundle: () =>
      patient({ pain: (d) => (d <= 1 ? 4 : 2) })
        .order({ ...WALK, dose: { duration: min(40), heartRateZone: { low: 110, high: 130 }, step: 2 } })
        .build(),
    check: (r) => {
      const walk = expectOrder(r, 'walk', 'flare-protocol', { duration: min(20), step: 2 });
      expect([walk.to.heartRateZone, walk.to.rpeTarget]).toEqual([undefined, { low: 2, high: 3 }]);
    },
  },
  {
    name: 'does not flare without a baseline pain, and holds every order naming it',
    rule: 'Terms, B: when B is unknown, no order progresses ("no baseline pain on record")',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: (d) => (d <= 1 ? 8 : undefined) }),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('build');
      expectOrder(r, 'sq', 'hold', undefined, ['no baseline pain on record']);
    },
  },
  {
    name: 'interrupts a return to load with a new flare counted since the phase start',
    rule: 'Plan 4: a new flare (rule 2, counting only days since the phase start) interrupts it',
    bundle: () =>
      patient({ phase: 'return-to-load', phaseSince: 3, flareSince: 10, referencePain: 2, pain: (d) => (d <= 1 ? 4 : 2) })
        .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 30 })
        .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 10, step: 3 }, authoredOn: 10, replaces: 'sq-1' })
        .order({ id: 'sq-3', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 15, step: 3 }, authoredOn: 3, replaces: 'sq-2' })
        .build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['return-to-load', 'flare', 'flare-protocol']);
      expectOrder(r, 'sq-3', 'flare-protocol', { sets: 3, reps: 10, load: 7.5, step: 3 });
    },
  },
  {
    name: 'halves a 1 kg load to the 0.5 kg floor on a flare',
    rule: 'Plan 2: load -50%; Rounding: never below 0.5 kg for loads',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 4 : 2) }).order({ ...SQ, dose: { sets: 3, reps: 10, load: 1, step: 1 } }).build(),
    check: (r) => expectOrder(r, 'sq', 'flare-protocol', { sets: 3, reps: 10, load: 0.5, step: 1 }),
  },
  {
    name: 'uses completed years of age for HRmax: 41 the day before the 42nd birthday (light zone 96-107/min at rest 60)',
    rule: 'Intensity: HRmax = 208 - 0.7 x age; light 30-39% HRR',
    bundle: () =>
      patient({ pain: (d) => (d <= 1 ? 4 : 2), birthDate: '1984-03-11', restingHeartRate: 60 })
        .order({ ...WALK, dose: { duration: min(40), heartRateZone: { low: 110, high: 130 }, step: 2 } })
        .build(),
    check: (r) => expect(decisionOf(r, 'walk').to.heartRateZone).toEqual({ low: 96, high: 107 }),
  },
  {
    name: 'uses the latest resting heart rate (80/min on day 30, 60/min on day 5 -> 96-107/min at age 40)',
    rule: 'Intensity: Karvonen, with the latest resting heart rate',
    bundle: () =>
      patient({ pain: (d) => (d <= 1 ? 4 : 2), birthDate: '1986-03-10', restingHeartRate: 80 })
        .restingHeartRate(5, 60)
        .order({ ...WALK, dose: { duration: min(40), heartRateZone: { low: 110, high: 130 }, step: 2 } })
        .build(),
    check: (r) => expect(decisionOf(r, 'walk').to.heartRateZone).toEqual({ low: 96, high: 107 }),
  },
  {
    name: 'enters a flare from a deload rather than resuming (rule 2 before rule 6)',
    rule: 'How rules combine + Plan 2 (phase not flare or referred)',
    bundle: () =>
      patient({ phase: 'deload', phaseSince: 7, pain: (d) => (d <= 1 ? 5 : 2) })
        .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 4 }, authoredOn: 30 })
        .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 2, reps: 10, load: 20, step: 4 }, authoredOn: 7, replaces: 'sq-1' })
        .build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['deload', 'flare', 'flare-protocol']);
      expectOrder(r, 'sq-2', 'flare-protocol', { sets: 2, reps: 10, load: 10, step: 4 });
    },
  },
];

/** A flare that began on day `since` (phase-since = flare-since), with the flare's orders authored then. */
function inFlare(since: number | string, pain: (day: number) => number | undefined, options: PatientOptions = {}): HistoryBuilder {
  return patient({ phase: 'flare', phaseSince: since, flareSince: since, referencePain: 2, pain, ...options })
    .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 30 })
    .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 10, step: 3 }, authoredOn: since, replaces: 'sq-1' })
    .order({ id: 'walk-1', exercise: 'walking', dose: { duration: min(40), heartRateZone: { low: 110, high: 130 }, rpeTarget: { low: 4, high: 6 }, step: 2 }, authoredOn: 30 })
    .order({ id: 'walk-2', exercise: 'walking', dose: { duration: min(20), heartRateZone: { low: 96, high: 107 }, rpeTarget: { low: 2, high: 3 }, step: 2 }, authoredOn: since, replaces: 'walk-1' })
    .order({ ...STRETCH, authoredOn: 30 });
}

/** A flare since day 4 over a stretch and a balance order (both left as they were), pain settled on days 1 and 0. */
function unreducedFlare(): HistoryBuilder {
  return patient({ phase: 'flare', phaseSince: 4, flareSince: 4, referencePain: 2, pain: (d) => (d <= 1 ? 3 : d <= 4 ? 5 : 2) })
    .order({ ...STRETCH, authoredOn: 30 })
    .order({ ...BALANCE, authoredOn: 30 });
}

const duringFlare: Case[] = [
  {
    name: 'refers when pain today is still >= B + 2 and the flare began 8 days ago',
    rule: 'Plan 3: daily pain still >= B + 2 on day 0 and the flare start more than 7 days ago -> refer',
    bundle: () => inFlare(8, (d) => (d <= 8 ? 4 : 2)).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['flare', 'referred', 'refer']);
      expectOrder(r, 'sq-2', 'refer', undefined, ['4/10', 'B + 2 = 4']);
      expect(parts(r.transaction).putOrders.map((e) => e.resource?.status)).toEqual(['on-hold', 'on-hold', 'on-hold']);
    },
  },
  {
    name: 'holds a flare that began exactly 7 days ago although pain is still high',
    rule: 'Plan 3: ... more than 7 days ago (counted in calendar days) ... Otherwise hold',
    bundle: () => inFlare(7, (d) => (d <= 7 ? 4 : 2)).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['flare', 'flare', 'hold']);
      expectOrder(r, 'sq-2', 'hold', { sets: 3, reps: 10, load: 10, step: 3 });
    },
  },
  {
    name: 'counts the flare start on its own calendar date: 23:30 at -08:00 eight days ago is day 8, not day 7',
    rule: 'Terms: day = the calendar date of a dateTime in its own UTC offset; "more than 7 days ago" in day numbers',
    bundle: () => inFlare('2026-03-02T23:30:00-08:00', (d) => (d <= 8 ? 4 : 2)).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'referred', 'refer']),
  },
  {
    name: 'returns to load after 2 days <= B + 1: reduced orders restart at 75% of the pre-flare dose with its intensity',
    rule: 'Plan 3: daily pain <= B + 1 on 2 consecutive days -> return-to-load; each reduced order restarts at 75% of its pre-flare dose, pre-flare intensity restored; unchanged orders stay',
    bundle: () => inFlare(4, (d) => (d <= 1 ? 3 : d <= 4 ? 5 : 2)).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['flare', 'return-to-load', 'return-to-load']);
      expectOrder(r, 'sq-2', 'return-to-load', { sets: 3, reps: 10, load: 15, step: 3 }, ['75%', '20 kg']);
      const walk = expectOrder(r, 'walk-2', 'return-to-load', { duration: min(30), step: 2 });
      expect([walk.to.heartRateZone, walk.to.rpeTarget]).toEqual([{ low: 110, high: 130 }, { low: 4, high: 6 }]);
      expectOrder(r, 'stretch', 'return-to-load', STRETCH.dose);
      const plan = planWritten(r) as CarePlan;
      expect([readPhase(plan), readReferencePain(plan)]).toEqual(['return-to-load', 2]);
    },
  },
  {
    name: 'returns to load when the two most recent days (1 and 0) settle after days at B + 2',
    rule: 'Plan 3: daily pain <= B + 1 on 2 consecutive days on or after the phase start; Extensions: the flare ends on the latest evidence',
    bundle: () => inFlare(6, (d) => (d <= 1 ? 3 : d <= 6 ? 4 : 2)).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['flare', 'return-to-load', 'return-to-load']);
      expect(r.plan.rationale).toContain('3/10 on 2026-03-09 and 3/10 on 2026-03-10 <= B + 1 = 3');
    },
  },
  {
    name: 'holds when two settled days (3 and 2) are followed by days at B + 2 (the latest evidence decides)',
    rule: 'Plan 3: ... return-to-load ... Otherwise hold; Extensions: the return pair is the 2 most recent days with daily pain',
    bundle: () => inFlare(6, (d) => (d <= 1 ? 4 : d <= 3 ? 3 : d <= 6 ? 4 : 2)).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'flare', 'hold']),
  },
  {
    name: 'holds when the two most recent days with daily pain (2 and 0) are not consecutive, though both settled',
    rule: 'Plan 3: ... on 2 consecutive days; Extensions: the 2 most recent days with daily pain must be consecutive',
    bundle: () => inFlare(6, (d) => (d === 1 ? undefined : d <= 3 ? 3 : d <= 6 ? 4 : 2)).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'flare', 'hold']),
  },
  {
    name: 'holds a flare after only one day <= B + 1',
    rule: 'Plan 3: ... on 2 consecutive days ... Otherwise hold',
    bundle: () => inFlare(4, (d) => (d === 0 ? 3 : d <= 4 ? 5 : 2)).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'flare', 'hold']),
  },
  {
    name: 'compares with the frozen reference pain during a flare (reference 3: pain 4 has settled)',
    rule: 'Terms, B: the plan\'s reference-pain extension when present',
    bundle: () => inFlare(4, (d) => (d <= 1 ? 4 : d <= 4 ? 6 : 2), { referencePain: 3 }).build(),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('return-to-load');
      expect(r.plan.rationale).toContain('B + 1 = 4');
    },
  },
  {
    name: 'without reference-pain, leaves the flare days out of B (days 7-20 before the phase start)',
    rule: 'Terms, B: mean daily pain over days 7-20, leaving out days on or after the phase start when the phase is flare',
    bundle: () =>
      patient({ phase: 'flare', phaseSince: 10, pain: (d) => (d <= 2 ? 3 : d <= 10 ? 6 : 2) })
        .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 30 })
        .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 10, step: 3 }, authoredOn: 10, replaces: 'sq-1' })
        .build(),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('return-to-load');
      expect(r.plan.rationale).toContain('B + 1 = 3');
      expect(readReferencePain(planWritten(r) as CarePlan)).toBe(2);
    },
  },
  {
    name: 'refers a flare without flare-since from its phase start, 8 days ago',
    rule: 'Terms, flare start: the plan\'s flare-since; when absent, the phase start in phase flare',
    bundle: () => withoutFlareSince(inFlare(8, (d) => (d <= 8 ? 5 : 2)).build()),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'referred', 'refer']),
  },
  {
    name: 'returns straight to build when the flare reduced no order (mobility and neuromotor only), removing reference-pain and flare-since',
    rule: 'Plan 3: return-to-load; Plan 4: when every order is back at its pre-flare dose, phase build; Extensions: a flare that reduced no order',
    bundle: () => unreducedFlare().build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['flare', 'build', 'return-to-load']);
      expect(r.plan.rationale).toContain('the flare reduced no order');
      expectOrder(r, 'stretch', 'return-to-load', STRETCH.dose, ['the flare left this order unchanged']);
      expectOrder(r, 'balance', 'return-to-load', BALANCE.dose);
      expect(parts(r.transaction).postedOrders).toHaveLength(0);
      const plan = planWritten(r) as CarePlan;
      expect([readPhase(plan), readReferencePain(plan), readFlareSince(plan)]).toEqual(['build', undefined, undefined]);
    },
  },
  {
    name: 'returns to load (not build) when the same flare also reduced a strength order',
    rule: 'Plan 3: each order the flare reduced restarts at 75% of its pre-flare dose; Plan 4',
    bundle: () =>
      unreducedFlare()
        .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 30 })
        .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 10, step: 3 }, authoredOn: 4, replaces: 'sq-1' })
        .build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['flare', 'return-to-load', 'return-to-load']);
      expectOrder(r, 'sq-2', 'return-to-load', { sets: 3, reps: 10, load: 15, step: 3 });
    },
  },
];

function returning(load: number, last: number | string, session: SessionOptions | undefined, options: PatientOptions = {}): Bundle {
  const h = patient({ phase: 'return-to-load', phaseSince: 8, flareSince: 12, referencePain: 2, ...options })
    .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 30 })
    .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 10, step: 3 }, authoredOn: 12, replaces: 'sq-1' })
    .order({ id: 'sq-3', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load, step: 3 }, authoredOn: last, replaces: 'sq-2' });
  if (session) h.sessions('sq-3', [5, 2], { ...session, load });
  return h.build();
}

const returnToLoad: Case[] = [
  {
    name: 'steps up by 10% of the pre-flare load 7 days after the last step when every session since qualifies',
    rule: 'Plan 4: 7 days after the order\'s last step, with >= 1 session since and all qualifying: +10% of the pre-flare dose',
    bundle: () => returning(15, 8, SQ_DONE),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['return-to-load', 'return-to-load', 'return-to-load']);
      expectOrder(r, 'sq-3', 'return-to-load', { sets: 3, reps: 10, load: 17, step: 3 }, ['load 15 kg -> 17 kg', '+10% of the pre-flare 20 kg']);
    },
  },
  {
    name: 'caps the step at the pre-flare dose and returns to build, removing reference-pain and flare-since',
    rule: 'Plan 4: capped at it ... When every order is back at its pre-flare dose, phase build; Terms: removes both on returning to build',
    bundle: () => returning(19, 8, SQ_DONE),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['return-to-load', 'build', 'return-to-load']);
      expectOrder(r, 'sq-3', 'return-to-load', { sets: 3, reps: 10, load: 20, step: 3 }, ['capped']);
      const plan = planWritten(r) as CarePlan;
      expect([readPhase(plan), readReferencePain(plan), readFlareSince(plan)]).toEqual(['build', undefined, undefined]);
    },
  },
  {
    name: 'holds 6 days after the last step',
    rule: 'Plan 4: 7 days after the order\'s last step ... else hold',
    bundle: () => returning(15, 6, SQ_DONE),
    check: (r) => expectOrder(r, 'sq-3', 'hold', { sets: 3, reps: 10, load: 15, step: 3 }),
  },
  {
    name: 'counts the last step on its own date: 23:30 at -08:00 seven days ago is day 7',
    rule: 'Terms: day in its own UTC offset; "7 days after" counted in calendar days',
    bundle: () => returning(15, '2026-03-03T23:30:00-08:00', SQ_DONE),
    check: (r) => expectOrder(r, 'sq-3', 'return-to-load', { sets: 3, reps: 10, load: 17, step: 3 }),
  },
  {
    name: 'holds (does not regress) when a session since the last step had pain above the ceiling',
    rule: 'Plan 4: ... and all of them qualify ... else hold (plan rule 4 decides for every order)',
    bundle: () => returning(15, 8, { ...SQ_DONE, painDuring: 7 }),
    check: (r) => expectOrder(r, 'sq-3', 'hold', { sets: 3, reps: 10, load: 15, step: 3 }, ['7/10 > ceiling 5']),
  },
  {
    name: 'holds when there is no session since the last step',
    rule: 'Plan 4: when it has at least one session since then',
    bundle: () => returning(15, 8, undefined),
    check: (r) => expectOrder(r, 'sq-3', 'hold', { sets: 3, reps: 10, load: 15, step: 3 }),
  },
  {
    name: 'finds the pre-flare dose through the replaces chain when flare-since is absent',
    rule: 'Terms, flare start: in return-to-load the authoredOn of the first order up each replaces chain whose dose is lower than the dose it replaced',
    bundle: () => withoutFlareSince(returning(15, 8, SQ_DONE)),
    check: (r) => expectOrder(r, 'sq-3', 'return-to-load', { sets: 3, reps: 10, load: 17, step: 3 }, ['pre-flare 20 kg']),
  },
];

auditCases('plan rule 2: entering a flare', flareEntry);
auditCases('plan rule 3: during a flare', duringFlare);
auditCases('plan rule 4: the return to load', returnToLoad);
