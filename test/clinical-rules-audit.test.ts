/**
 * An independent audit of progress() against CLINICAL-RULES.md: each case is worked out by hand from a
 * sentence of the rules (cited in its `rule`), not from the engine's code, and runs through the whole engine.
 * See: /work/shared/CLINICAL-RULES.md; implementation-guide.md "Extensions to the contract" for the readings.
 */
import type { Bundle, CarePlan, Observation, Provenance } from 'fhir/r4';
import { EXT } from '../src/fhir/codes';
import { progress, type OrderDecision, type ProgressResult } from '../src/progression/progress';
import type { DecisionCode, Dose, Phase, Policy } from '../src/progression/types';
import { readDose, readFlareSince, readPhase, readPhaseSince, readReferencePain } from './support/dose-ext';
import { history, type HistoryBuilder, type HistoryOptions, type OrderInput, type SessionOptions } from './support/history';
import { coreDose, parts, provenanceReason, provenancesFor, successorEntry } from './support/inspect';

/** Tuesday 10 March 2026, 09:00 in Central Europe: day 0. */
const NOW = '2026-03-10T09:00:00+01:00';
const ok = { painDuring: 2, painAfter: 2 };
const min = (value: number): Dose['duration'] => ({ value, unit: 'min' });
const sec = (value: number): Dose['duration'] => ({ value, unit: 's' });

interface PatientOptions extends Partial<HistoryOptions> {
  /** Daily pain per day 20..0 (undefined: no check-in that day). Default 2 every day, so B = 2. */
  pain?: (day: number) => number | undefined;
}

/** Program week 5 (no planned deload), phase build since day 30, a morning check-in every day 20..0. */
function patient({ pain = () => 2, ...options }: PatientOptions = {}): HistoryBuilder {
  return history({ now: NOW, planStart: 30, phase: 'build', phaseSince: 30, ...options }).checkIns(20, 0, (day) => {
    const value = pain(day);
    return value === undefined ? undefined : { pain: value };
  });
}

const SQ: OrderInput = { id: 'sq', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 14 };
const SQ_DONE: SessionOptions = { ...ok, sets: 3, reps: 10, load: 20 };
const WALK: OrderInput = { id: 'walk', exercise: 'walking', dose: { duration: min(30), rpeTarget: { low: 4, high: 6 }, step: 2 }, authoredOn: 14 };
const STRETCH: OrderInput = { id: 'stretch', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(30), step: 2 }, authoredOn: 14 };
const BALANCE: OrderInput = { id: 'balance', exercise: 'single-leg-stance', dose: { sets: 3, duration: sec(30), step: 1 }, authoredOn: 14 };

/** One order with sessions on days 5 and 2 (next mornings: days 4 and 1). */
function oneOrder(order: OrderInput, session: SessionOptions, options: PatientOptions = {}): Bundle {
  return patient(options).order(order).sessions(order.id, [5, 2], session).build();
}

function decisionOf(r: ProgressResult, id: string): OrderDecision {
  const found = r.orders.find((o) => o.orderId === id);
  if (!found) throw new Error(`no decision for order ${id}`);
  return found;
}

const planWritten = (r: ProgressResult): CarePlan | undefined => parts(r.transaction).planPut?.resource;

/** The same records without the plan's flare-since (to exercise the flare-start fallbacks). */
function withoutFlareSince(bundle: Bundle): Bundle {
  const plan = bundle.entry?.map((e) => e.resource).find((x): x is CarePlan => x?.resourceType === 'CarePlan');
  const kept = plan?.extension?.filter((e) => e.url !== EXT.flareSince) ?? [];
  if (!plan || kept.length === plan.extension?.length) throw new Error('the plan has no flare-since to remove');
  plan.extension = kept;
  return bundle;
}

/** Asserts one order's decision, its new core dose (sets/reps/load/duration/step) and phrases of its rationale. */
function expectOrder(r: ProgressResult, id: string, decision: DecisionCode, to?: Dose, says: string[] = []): OrderDecision {
  const d = decisionOf(r, id);
  expect(`${d.decision}: ${d.rationale}`).toMatch(new RegExp(`^${decision}: `));
  if (to !== undefined) expect(coreDose(d.to)).toEqual(to);
  for (const phrase of says) expect(d.rationale).toContain(phrase);
  return d;
}

interface Case {
  name: string;
  /** The sentence of CLINICAL-RULES.md the case checks. */
  rule: string;
  bundle: () => Bundle;
  check: (r: ProgressResult) => void;
}

function run(c: Case): ProgressResult {
  return progress(c.bundle(), { now: NOW });
}

const phaseOf = (r: ProgressResult): [Phase, Phase, DecisionCode | undefined] => [r.plan.phaseFrom, r.plan.phaseTo, r.plan.decision];

// ---------------------------------------------------------------------------------------------------------
// Plan rule 1: red flag; "In phase referred the engine changes nothing and writes nothing."
// ---------------------------------------------------------------------------------------------------------
const redFlag: Case[] = [
  {
    name: 'refers on a red flag 13 days ago and puts every current order on hold without new orders',
    rule: 'Plan 1: any gradus-symptom-alert with value true in days 0-13 -> refer: phase referred, every current order set on-hold',
    bundle: () => patient().order(SQ).order(WALK).sessions('sq', [5, 2], SQ_DONE).alert(13, 'chest-pain').build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'referred', 'refer']);
      for (const id of ['sq', 'walk']) expectOrder(r, id, 'refer');
      const p = parts(r.transaction);
      expect(p.postedOrders).toHaveLength(0);
      expect(p.putOrders.map((e) => [e.resource?.id, e.resource?.status]).sort()).toEqual([['sq', 'on-hold'], ['walk', 'on-hold']]);
      expect(planWritten(r) && readPhase(planWritten(r) as CarePlan)).toBe('referred');
    },
  },
  {
    name: 'ignores a red flag 14 days ago',
    rule: 'Plan 1: ... in days 0-13',
    bundle: () => patient().order(SQ).sessions('sq', [5, 2], SQ_DONE).alert(14, 'chest-pain').build(),
    check: (r) => expect(expectOrder(r, 'sq', 'progress').decision).toBe('progress'),
  },
  {
    name: 'ignores a symptom alert whose value is false',
    rule: 'Plan 1: ... with value true',
    bundle: () => patient().order(SQ).sessions('sq', [5, 2], SQ_DONE).alert(0, 'syncope-or-dizziness', false).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'refers rather than entering a flare when both fire (red flag first)',
    rule: 'How rules combine: plan-level rules are checked in order; the first that fires decides',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 6 : 2) }).order(SQ).alert(3, 'fever').build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'referred', 'refer']),
  },
  {
    name: 'refers from a flare on a red flag',
    rule: 'Plan 1 applies in every phase but referred',
    bundle: () =>
      patient({ phase: 'flare', phaseSince: 2, flareSince: 2, referencePain: 2 }).order({ ...SQ, authoredOn: 2 }).alert(1, 'new-trauma').build(),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'referred', 'refer']),
  },
  {
    name: 'changes nothing and writes nothing in phase referred, even with a red flag and a flare',
    rule: 'How rules combine: in phase referred the engine changes nothing and writes nothing; it never leaves referred by itself',
    bundle: () => patient({ phase: 'referred', phaseSince: 3, pain: (d) => (d <= 1 ? 7 : 2) }).order(SQ).alert(0, 'chest-pain').build(),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('referred');
      expect(r.transaction.entry ?? []).toHaveLength(0);
      expect(decisionOf(r, 'sq').to).toEqual(decisionOf(r, 'sq').from);
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Plan rule 2: flare.
// ---------------------------------------------------------------------------------------------------------
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
];

describe('plan rules 1-2: red flag and flare', () => {
  it.each([...redFlag, ...flareEntry])('$name [$rule]', (c) => {
    c.check(run(c));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Plan rule 3: during a flare. Pre-flare orders were authored on day 30; the flare began on day `since`.
// ---------------------------------------------------------------------------------------------------------

/** A flare that began on day `since` (phase-since = flare-since), with the flare's orders authored then. */
function inFlare(since: number | string, pain: (day: number) => number | undefined, options: PatientOptions = {}): HistoryBuilder {
  return patient({ phase: 'flare', phaseSince: since, flareSince: since, referencePain: 2, pain, ...options })
    .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 3 }, authoredOn: 30 })
    .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 10, step: 3 }, authoredOn: since, replaces: 'sq-1' })
    .order({ id: 'walk-1', exercise: 'walking', dose: { duration: min(40), heartRateZone: { low: 110, high: 130 }, rpeTarget: { low: 4, high: 6 }, step: 2 }, authoredOn: 30 })
    .order({ id: 'walk-2', exercise: 'walking', dose: { duration: min(20), heartRateZone: { low: 96, high: 107 }, rpeTarget: { low: 2, high: 3 }, step: 2 }, authoredOn: since, replaces: 'walk-1' })
    .order({ ...STRETCH, authoredOn: 30 });
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
];

// ---------------------------------------------------------------------------------------------------------
// Plan rule 4: return to load. Pre-flare 20 kg (day 30), flare 10 kg (day 12), return order on `last` day.
// ---------------------------------------------------------------------------------------------------------

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

describe('plan rules 3-4: during a flare and the return to load', () => {
  it.each([...duringFlare, ...returnToLoad])('$name [$rule]', (c) => {
    c.check(run(c));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Plan rules 5-7: deload, end of deload, baseline.
// ---------------------------------------------------------------------------------------------------------

/** One order per deload row of rule 5, authored on day 25, with intensity to keep. */
function deloadable(options: PatientOptions): HistoryBuilder {
  return patient(options)
    .order({ ...SQ, authoredOn: 25 })
    .order({ id: 'wpu', exercise: 'wall-push-up', dose: { sets: 1, reps: 10, step: 2 }, authoredOn: 25 })
    .order({ ...WALK, authoredOn: 25 })
    .order({ ...STRETCH, authoredOn: 25 })
    .order({ id: 'tandem', exercise: 'tandem-walk', dose: { reps: 10, step: 1 }, authoredOn: 25 });
}

const deload: Case[] = [
  {
    name: 'deloads in program week 4 when the build phase began before that week: sets, reps, duration and hold -40%, intensity and step kept',
    rule: 'Plan 5: program week a multiple of 4 and the phase start before that week began -> deload; strength sets -40% (reps when 1 set); endurance duration -40%; mobility/neuromotor hold (or reps) -40%; intensity kept',
    bundle: () => deloadable({ planStart: 21, phaseSince: 21 }).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']);
      expect(r.plan.rationale).toContain('program week 4');
      expectOrder(r, 'sq', 'deload', { sets: 2, reps: 10, load: 20, step: 3 }, ['sets 3 -> 2', '-40%']);
      expectOrder(r, 'wpu', 'deload', { sets: 1, reps: 6, step: 2 });
      expect(expectOrder(r, 'walk', 'deload', { duration: min(18), step: 2 }).to.rpeTarget).toEqual({ low: 4, high: 6 });
      expectOrder(r, 'stretch', 'deload', { sets: 3, duration: sec(20), step: 2 });
      expectOrder(r, 'tandem', 'deload', { reps: 6, step: 1 });
    },
  },
  {
    name: 'does not deload in program week 4 when the phase began on the first day of that week',
    rule: 'Plan 5: ... and the phase start is before that program week began',
    bundle: () => deloadable({ planStart: 21, phaseSince: 0 }).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'deloads on the last day of program week 4 (plan started 27 days ago)',
    rule: 'Terms: program week = 1 + whole weeks between period.start and now',
    bundle: () => deloadable({ planStart: 27, phaseSince: 27 }).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']),
  },
  {
    name: 'does not deload in program week 5 (plan started 28 days ago)',
    rule: 'Terms: program week = 1 + whole weeks between period.start and now',
    bundle: () => deloadable({ planStart: 28, phaseSince: 28 }).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'places the program start on its own date: 23:00 at -08:00 21 days ago starts week 4',
    rule: 'Terms: day = the calendar date of a dateTime in its own UTC offset',
    bundle: () => deloadable({ planStart: '2026-02-17T23:00:00-08:00', phaseSince: '2026-02-17T23:00:00-08:00' }).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']),
  },
  {
    name: 'follows deloadEveryWeeks = 3 from the plan policy',
    rule: 'Plan 5: a multiple of deloadEveryWeeks (default 4); every number is a default a plan may override',
    bundle: () => deloadable({ planStart: 14, phaseSince: 14, policy: { deloadEveryWeeks: 3 } }).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']),
  },
  {
    name: 'deloads on fatigue >= 7 on 3 of the last 7 days, naming them',
    rule: 'Plan 5: or when fatigue >= 7 on 3 or more of the last 7 days -> deload',
    bundle: () => deloadable({}).checkIn(5, { fatigue: 7, time: '06:00' }).checkIn(3, { fatigue: 8, time: '06:00' }).checkIn(1, { fatigue: 7, time: '06:00' }).build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']);
      expect(r.plan.rationale).toContain('fatigue >= 7 on 3 of the last 7 days');
    },
  },
  {
    name: 'does not deload on fatigue >= 7 on only 2 of the last 7 days (a third on day 7)',
    rule: 'Plan 5: fatigue >= 7 on 3 or more of the last 7 days',
    bundle: () => deloadable({}).checkIn(7, { fatigue: 9, time: '06:00' }).checkIn(3, { fatigue: 8, time: '06:00' }).checkIn(1, { fatigue: 7, time: '06:00' }).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'counts only fatigue days on or after the phase start (documented reading)',
    rule: 'implementation-guide.md, Extensions: fatigue days since the phase start',
    bundle: () => deloadable({ phaseSince: 2 }).checkIn(5, { fatigue: 9, time: '06:00' }).checkIn(4, { fatigue: 9, time: '06:00' }).checkIn(3, { fatigue: 9, time: '06:00' }).build(),
    check: (r) => expect(r.plan.phaseTo).toBe('build'),
  },
  {
    name: 'enters a flare rather than a planned deload when both fire (flare first)',
    rule: 'How rules combine: plan rule 2 is checked before rule 5',
    bundle: () => deloadable({ planStart: 21, phaseSince: 21, pain: (d) => (d <= 1 ? 5 : 2) }).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']),
  },
  {
    name: 'deloads even when B is unknown',
    rule: 'Terms, B: the rules that need no B (red flag, deload, resume, baseline) still apply',
    bundle: () => deloadable({ planStart: 21, phaseSince: 21, pain: () => undefined }).build(),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'deload', 'deload']),
  },
];

/** A deload that began on day `since`: sq-2 (2 sets) replaced sq-1 (3 sets); the stretch was left as it was. */
function inDeload(since: number): Bundle {
  return patient({ phase: 'deload', phaseSince: since })
    .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 4 }, authoredOn: 30 })
    .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 2, reps: 10, load: 20, step: 4 }, authoredOn: since, replaces: 'sq-1' })
    .order({ ...STRETCH, authoredOn: 30 })
    .sessions('sq-2', [5, 2], { ...ok, sets: 2, reps: 10, load: 20 })
    .build();
}

const endOfDeload: Case[] = [
  {
    name: 'resumes the pre-deload dose 7 days after the deload began, keeping the step, and returns to build',
    rule: 'Plan 6: 7 days after the phase start -> resume: each order back to its pre-deload dose; phase build; resume doses keep the step',
    bundle: () => inDeload(7),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['deload', 'build', 'resume']);
      expectOrder(r, 'sq-2', 'resume', { sets: 3, reps: 10, load: 20, step: 4 });
      expectOrder(r, 'stretch', 'resume', STRETCH.dose);
    },
  },
  {
    name: 'holds a deload 6 days after it began',
    rule: 'Plan 6: Before that: hold',
    bundle: () => inDeload(6),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['deload', 'deload', 'hold']);
      expectOrder(r, 'sq-2', 'hold', { sets: 2, reps: 10, load: 20, step: 4 });
    },
  },
];

/** Phase baseline since day 10; placeholder orders authored then. */
function inBaseline(): HistoryBuilder {
  return patient({ phase: 'baseline', phaseSince: 10 });
}

const baseline: Case[] = [
  {
    name: 'establishes 75% of the mean tolerance in minutes at step 1 and enters build when no order is left',
    rule: 'Plan 7: >= 3 tolerance tests dated after its authoredOn -> establish-baseline: 75% of their mean; step 1; phase build',
    bundle: () =>
      inBaseline()
        .order({ ...WALK, dose: { duration: min(10), rpeTarget: { low: 4, high: 6 }, step: 1 }, authoredOn: 10 })
        .toleranceTest('walk', 8, 20, 'min').toleranceTest('walk', 5, 20, 'min').toleranceTest('walk', 2, 24, 'min')
        .build(),
    check: (r) => {
      expect(phaseOf(r)).toEqual(['baseline', 'build', 'establish-baseline']);
      expectOrder(r, 'walk', 'establish-baseline', { duration: min(16), step: 1 }, ['75%', '21.33']);
    },
  },
  {
    name: 'establishes a hold in seconds rounded to 5 s (75% of 45 s = 33.75 -> 35 s)',
    rule: 'Plan 7: tolerance in s sets duration; Rounding: seconds to 5 s',
    bundle: () =>
      inBaseline()
        .order({ ...STRETCH, dose: { sets: 3, duration: sec(10), step: 1 }, authoredOn: 10 })
        .toleranceTest('stretch', 8, 40, 's').toleranceTest('stretch', 5, 45, 's').toleranceTest('stretch', 2, 50, 's')
        .build(),
    check: (r) => expectOrder(r, 'stretch', 'establish-baseline', { sets: 3, duration: sec(35), step: 1 }),
  },
  {
    name: 'establishes reps from tests in {repetitions} (75% of 12 = 9)',
    rule: 'Plan 7: in {repetitions} sets reps',
    bundle: () =>
      inBaseline()
        .order({ id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 5, step: 1 }, authoredOn: 10 })
        .toleranceTest('wpu', 8, 10, '{repetitions}').toleranceTest('wpu', 5, 12, '{repetitions}').toleranceTest('wpu', 2, 14, '{repetitions}')
        .build(),
    check: (r) => expectOrder(r, 'wpu', 'establish-baseline', { sets: 2, reps: 9, step: 1 }),
  },
  {
    name: 'holds an order with 2 tests naming the one missing, and stays in baseline while another order is established',
    rule: 'Plan 7: fewer than 3 tests -> hold, naming how many are missing; phase build only when no current order is left',
    bundle: () =>
      inBaseline()
        .order({ ...WALK, dose: { duration: min(10), step: 1 }, authoredOn: 10 })
        .order({ id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 5, step: 1 }, authoredOn: 10 })
        .toleranceTest('walk', 8, 20, 'min').toleranceTest('walk', 5, 20, 'min').toleranceTest('walk', 2, 20, 'min')
        .toleranceTest('wpu', 5, 12, '{repetitions}').toleranceTest('wpu', 2, 12, '{repetitions}')
        .build(),
    check: (r) => {
      expect(r.plan.phaseTo).toBe('baseline');
      expectOrder(r, 'walk', 'establish-baseline', { duration: min(15), step: 1 });
      expectOrder(r, 'wpu', 'hold', { sets: 2, reps: 5, step: 1 }, ['1 missing']);
    },
  },
  {
    name: 'does not count tolerance tests dated before the order\'s authoredOn',
    rule: 'Plan 7: tests ... dated after its authoredOn',
    bundle: () =>
      inBaseline()
        .order({ ...WALK, dose: { duration: min(10), step: 1 }, authoredOn: 4 })
        .toleranceTest('walk', 8, 20, 'min').toleranceTest('walk', 6, 20, 'min').toleranceTest('walk', 3, 20, 'min').toleranceTest('walk', 2, 20, 'min')
        .build(),
    check: (r) => expectOrder(r, 'walk', 'hold', { duration: min(10), step: 1 }, ['2 of 3', '1 missing']),
  },
  {
    name: 'counts tests based on an order in its replaces chain',
    rule: 'Plan 7: tests (based on it or on an order in its replaces chain)',
    bundle: () =>
      inBaseline()
        .order({ id: 'walk-0', exercise: 'walking', dose: { duration: min(10), step: 1 }, authoredOn: 12 })
        .order({ id: 'walk', exercise: 'walking', dose: { duration: min(12), step: 1 }, authoredOn: 9, replaces: 'walk-0' })
        .toleranceTest('walk-0', 8, 20, 'min').toleranceTest('walk-0', 5, 20, 'min').toleranceTest('walk', 2, 20, 'min')
        .build(),
    check: (r) => expectOrder(r, 'walk', 'establish-baseline', { duration: min(15), step: 1 }),
  },
];

describe('plan rules 5-7: deload, end of deload, baseline', () => {
  it.each([...deload, ...endOfDeload, ...baseline])('$name [$rule]', (c) => {
    c.check(run(c));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Order rules in build, pain-guided: qualification (sessions on days 5 and 2, next mornings days 4 and 1).
// ---------------------------------------------------------------------------------------------------------

const HR_WALK: OrderInput = { ...WALK, dose: { duration: min(20), heartRateZone: { low: 100, high: 120 }, step: 2 } };
const mornings = (m: number | undefined) => (d: number): number | undefined => (d === 4 || d === 1 ? m : 2);

interface QualifyRow {
  name: string;
  rule: string;
  order: OrderInput;
  session: SessionOptions;
  options?: PatientOptions;
  policy?: Partial<Policy>;
  decision: DecisionCode;
  says?: string[];
}

const qualification: QualifyRow[] = [
  { name: 'progresses with pain during and after exactly at the ceiling (5/10)', rule: 'Qualifies: pain-during <= painCeiling (5); pain-after <= painCeiling', order: SQ, session: { ...SQ_DONE, painDuring: 5, painAfter: 5 }, decision: 'progress' },
  { name: 'holds when the sessions record no pain-during', rule: 'A session qualifies when it records pain-during', order: SQ, session: { sets: 3, reps: 10, load: 20, painAfter: 1 }, decision: 'hold', says: ['no pain-during recorded'] },
  { name: 'progresses on sessions that record only pain-during', rule: 'A component the session does not record is not held against it', order: SQ, session: { painDuring: 1 }, decision: 'progress' },
  { name: 'progresses with RPE at the low and high bounds of the target', rule: 'RPE within rpeTarget when both are present', order: WALK, session: { ...ok, duration: 30, rpe: 6 }, decision: 'progress' },
  { name: 'progresses with RPE at the low bound of the target', rule: 'RPE within rpeTarget', order: WALK, session: { ...ok, duration: 30, rpe: 4 }, decision: 'progress' },
  { name: 'holds with RPE 7 above the 4-6 target', rule: 'RPE within rpeTarget', order: WALK, session: { ...ok, duration: 30, rpe: 7 }, decision: 'hold', says: ['RPE 7 outside target 4-6'] },
  { name: 'holds with RPE 3 below the 4-6 target', rule: 'RPE within rpeTarget', order: WALK, session: { ...ok, duration: 30, rpe: 3 }, decision: 'hold', says: ['RPE 3 outside target 4-6'] },
  { name: 'progresses with a duration of exactly 90% of the prescribed (27 of 30 min)', rule: 'duration (same unit) >= 90% of the prescribed', order: WALK, session: { ...ok, duration: 27, rpe: 5 }, decision: 'progress' },
  { name: 'holds with a duration below 90% (26 of 30 min)', rule: 'duration >= 90% of the prescribed', order: WALK, session: { ...ok, duration: 26, rpe: 5 }, decision: 'hold', says: ['26 min < 90% of 30 min'] },
  { name: 'holds with fewer sets than prescribed', rule: 'each of sets-completed, reps-final-set and load-lifted that it records is at least as prescribed', order: SQ, session: { ...SQ_DONE, sets: 2 }, decision: 'hold', says: ['sets completed 2 < 3'] },
  { name: 'holds with fewer reps in the final set than prescribed', rule: 'reps-final-set at least as prescribed', order: SQ, session: { ...SQ_DONE, reps: 9 }, decision: 'hold', says: ['reps in final set 9 < 10'] },
  { name: 'holds with a lighter load than prescribed', rule: 'load-lifted at least as prescribed', order: SQ, session: { ...SQ_DONE, load: 19.5 }, decision: 'hold', says: ['load 19.5 kg < 20 kg'] },
  { name: 'progresses with a mean heart rate at the zone\'s upper bound', rule: 'with intensityBy heart-rate, a recorded mean heart rate <= the zone\'s upper bound', order: HR_WALK, session: { ...ok, duration: 20, heartRate: 120 }, decision: 'progress' },
  { name: 'holds with a mean heart rate above the zone (default intensityBy heart-rate for an order with a zone)', rule: 'Default intensityBy: heart-rate for an order that has a heartRateZone', order: HR_WALK, session: { ...ok, duration: 20, heartRate: 121 }, decision: 'hold', says: ['121/min > zone top 120/min'] },
  { name: 'ignores the heart rate when the policy says intensityBy rpe', rule: 'On beta-blockers the clinician sets intensityBy = rpe', order: HR_WALK, session: { ...ok, duration: 20, heartRate: 150 }, policy: { intensityBy: 'rpe' }, decision: 'progress' },
  { name: 'progresses with next-morning pain exactly B + 1', rule: 'M <= B + 1', order: SQ, session: SQ_DONE, options: { pain: mornings(3) }, decision: 'progress' },
  { name: 'progresses when next-morning pain is missing and says so', rule: 'a missing M does not disqualify, and the rationale says it was missing', order: SQ, session: SQ_DONE, options: { pain: mornings(undefined) }, decision: 'progress', says: ['not recorded'] },
  { name: 'holds (no regress) with M = 4 between B + 1 = 3.5 and B + 2 = 4.5', rule: 'M <= B + 1 to qualify; regress only at M >= B + 2', order: SQ, session: SQ_DONE, options: { pain: (d) => (d === 4 || d === 1 ? 4 : d <= 6 ? 2 : d % 2 === 0 ? 2 : 3) }, decision: 'hold', says: ['4/10', 'B + 1 = 3.5'] },
  { name: 'progresses with pain 6/10 under a plan ceiling of 6', rule: 'painCeiling is a default a plan may override', order: SQ, session: { ...SQ_DONE, painDuring: 6, painAfter: 6 }, options: { policy: { painCeiling: 6 } }, decision: 'progress' },
  { name: 'holds with 2 qualifying sessions when the plan asks for 3 stable sessions', rule: 'Order rule 3: its last stableSessions sessions all qualify', order: SQ, session: SQ_DONE, options: { policy: { stableSessions: 3 } }, decision: 'hold', says: ['2 of 3'] },
];

describe('order rules, pain-guided: which sessions qualify', () => {
  it.each(qualification)('$name [$rule]', (row) => {
    const r = progress(oneOrder(row.order, row.session, row.options), row.policy ? { now: NOW, policy: row.policy } : { now: NOW });
    expectOrder(r, row.order.id, row.decision, undefined, row.says);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Order rules 1-4 and alternating focus.
// ---------------------------------------------------------------------------------------------------------

const orderRules: Case[] = [
  {
    name: 'regresses on pain during 6/10 above the ceiling: load -10% and step -1, naming the numbers',
    rule: 'Order 1: pain-during > painCeiling -> regress ... else one increment down (strength with load: load -10%)',
    bundle: () => oneOrder(SQ, { ...SQ_DONE, painDuring: 6 }),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }, ['6/10 > ceiling 5', 'load 20 kg -> 18 kg', '-10%']),
  },
  {
    name: 'regresses on pain after 6/10 above the ceiling',
    rule: 'Order 1: pain-after > painCeiling -> regress',
    bundle: () => oneOrder(SQ, { ...SQ_DONE, painAfter: 6 }),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }, ['pain after']),
  },
  {
    name: 'regresses on next-morning pain exactly B + 2',
    rule: 'Order 1: M >= B + 2 -> regress',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: mornings(4) }),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }, ['4/10 >= B + 2 = 4']),
  },
  {
    name: 'regresses on one bad session even when the last two qualify',
    rule: 'Order 1: any of its sessions ... (first match wins)',
    bundle: () => patient().order(SQ).session('sq', 9, { ...SQ_DONE, painDuring: 7 }).sessions('sq', [5, 2], SQ_DONE).build(),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }),
  },
  {
    name: 'regresses to the most recent lower dose in the replaces chain rather than one increment down',
    rule: 'Order 1: to the most recent dose in its replaces chain that is lower (strength: load, then reps, then sets)',
    bundle: () =>
      patient()
        .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 18, step: 3 }, authoredOn: 30 })
        .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 11, load: 18, step: 4 }, authoredOn: 22, replaces: 'sq-1' })
        .order({ id: 'sq-3', exercise: 'sit-to-stand', dose: { sets: 3, reps: 11, load: 19, step: 5 }, authoredOn: 14, replaces: 'sq-2' })
        .sessions('sq-3', [5, 2], { ...SQ_DONE, painDuring: 8, reps: 11, load: 19 })
        .build(),
    check: (r) => expectOrder(r, 'sq-3', 'regress', { sets: 3, reps: 11, load: 18, step: 4 }, ['most recent lower dose']),
  },
  {
    name: 'regresses when B is unknown (stepping down needs no B), yet never progresses',
    rule: 'Terms, B: when B is unknown, no order progresses or steps back up',
    bundle: () => oneOrder(SQ, { ...SQ_DONE, painDuring: 7 }, { pain: (d) => (d <= 1 ? 2 : undefined) }),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }),
  },
  {
    name: 'holds when mean daily pain rose week over week (1 -> 2 -> 2.71) although both sessions qualify',
    rule: 'Order 2: mean daily pain over days 0-6, 7-13 and 14-20, each >= 3 values, rose at both steps -> hold',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: (d) => (d >= 14 ? 1 : d >= 7 ? 2 : d === 4 || d === 1 ? 2 : 3) }),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['rose week over week', '1 (days 14-20) -> 2 (days 7-13) -> 2.71 (days 0-6)']),
  },
  {
    name: 'progresses when the last week only equals the one before (no rise at the second step)',
    rule: 'Order 2: rose at both steps',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: (d) => (d >= 14 ? 1 : 2) }),
    check: (r) => expectOrder(r, 'sq', 'progress'),
  },
  {
    name: 'uses morning stiffness for the weekly trend when there is no daily pain',
    rule: 'Order 2: mean daily pain (or, when none, morning stiffness)',
    bundle: () =>
      history({ now: NOW, planStart: 30, phase: 'build', phaseSince: 30, referencePain: 2 })
        .checkIns(20, 0, (d) => ({ stiffness: d >= 14 ? 1 : d >= 7 ? 2 : 3 }))
        .order(SQ).sessions('sq', [5, 2], SQ_DONE).build(),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['morning stiffness rose week over week']),
  },
  {
    name: 'holds with fewer than 2 sessions',
    rule: 'Order 4: otherwise hold (including: fewer than 2 sessions yet)',
    bundle: () => patient().order(SQ).session('sq', 2, SQ_DONE).build(),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['1 of 2']),
  },
  {
    name: 'does not count sessions dated before the order\'s authoredOn',
    rule: 'Terms: its sessions ... dated on or after its authoredOn',
    bundle: () => patient().order({ ...SQ, authoredOn: 3 }).sessions('sq', [5, 2], SQ_DONE).build(),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['1 of 2']),
  },
  {
    name: 'lets one order per domain progress, the one with the oldest last change; the other holds for alternating focus',
    rule: 'Alternating focus: at most one order per domain progresses: the one with the oldest last change; the others hold',
    bundle: () =>
      patient()
        .order(SQ)
        .order({ id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 2 }, authoredOn: 16 })
        .order(WALK)
        .sessions('sq', [5, 2], SQ_DONE).sessions('wpu', [5, 2], ok).sessions('walk', [5, 2], { ...ok, duration: 30, rpe: 5 })
        .build(),
    check: (r) => {
      expectOrder(r, 'wpu', 'progress', { sets: 2, reps: 12, step: 3 });
      expectOrder(r, 'sq', 'hold', SQ.dose, ['alternating focus']);
      expectOrder(r, 'walk', 'progress', { duration: min(33), step: 3 });
    },
  },
];

describe('order rules 1-4, pain-guided, and alternating focus', () => {
  it.each(orderRules)('$name [$rule]', (c) => {
    c.check(run(c));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Increments table, each row and its boundaries, through the whole engine (two qualifying sessions).
// ---------------------------------------------------------------------------------------------------------

interface StepRow {
  name: string;
  rule: string;
  exercise: string;
  dose: Dose;
  session: SessionOptions;
  decision: DecisionCode;
  to: Dose;
  says?: string[];
}

const strength = (dose: Dose, reps: number, decision: DecisionCode, to: Dose, name: string, says?: string[]): StepRow => ({
  name,
  rule: 'Increments: strength with load',
  exercise: 'sit-to-stand',
  dose,
  session: { ...ok, sets: dose.sets, reps, load: dose.load },
  decision,
  to,
  ...(says ? { says } : {}),
});

const progressSteps: StepRow[] = [
  strength({ sets: 3, reps: 10, load: 20, step: 3 }, 11, 'progress', { sets: 3, reps: 11, load: 20, step: 4 }, 'adds 1 rep when 2-for-2 is not met (11 of 10 + 2)', ['2-for-2 not met']),
  strength({ sets: 3, reps: 10, load: 20, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 21, step: 4 }, 'adds 5% load when 2-for-2 is met (12 = 10 + 2): 20 -> 21 kg', ['load 20 kg -> 21 kg', '2-for-2 met']),
  strength({ sets: 3, reps: 10, load: 12, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 13, step: 4 }, 'rounds the new load up to 0.5 kg (12 x 1.05 = 12.6 -> 13 kg)'),
  strength({ sets: 3, reps: 10, load: 9, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 9.5, step: 4 }, 'rounds the new load up to 0.5 kg (9 x 1.05 = 9.45 -> 9.5 kg)'),
  strength({ sets: 3, reps: 10, load: 5, step: 3 }, 12, 'progress', { sets: 3, reps: 10, load: 5.5, step: 4 }, 'allows a rise of exactly 10% (5 -> 5.5 kg)'),
  strength({ sets: 3, reps: 10, load: 4, step: 3 }, 12, 'progress', { sets: 3, reps: 12, load: 4, step: 4 }, 'adds 2 reps instead when the load rise would exceed 10% (4 -> 4.5 kg is 12.5%)', ['12.5% > 10%']),
  strength({ sets: 2, reps: 15, load: 10, step: 3 }, 15, 'progress', { sets: 3, reps: 15, load: 10, step: 4 }, 'adds a set once reps reach 15 (2-for-2 not met)'),
  strength({ sets: 3, reps: 14, load: 10, step: 3 }, 14, 'progress', { sets: 3, reps: 15, load: 10, step: 4 }, 'adds reps up to 15'),
  { name: 'adds 2 reps without load (10 -> 12)', rule: 'Increments: strength, no load: reps +2 up to 15', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 1 }, session: ok, decision: 'progress', to: { sets: 2, reps: 12, step: 2 } },
  { name: 'stops reps at 15 without load (14 -> 15)', rule: 'Increments: strength, no load: reps +2 up to 15', exercise: 'wall-push-up', dose: { sets: 2, reps: 14, step: 1 }, session: ok, decision: 'progress', to: { sets: 2, reps: 15, step: 2 } },
  { name: 'adds a set at 15 reps without load', rule: 'Increments: strength, no load: then sets +1 up to 3', exercise: 'wall-push-up', dose: { sets: 2, reps: 15, step: 4 }, session: ok, decision: 'progress', to: { sets: 3, reps: 15, step: 5 } },
  { name: 'holds at the top of the ladder (3 x 15, no load) with the reason', rule: 'At the top (15 reps and 3 sets, no load): hold, reason "top of the ladder"', exercise: 'wall-push-up', dose: { sets: 3, reps: 15, step: 5 }, session: ok, decision: 'hold', to: { sets: 3, reps: 15, step: 5 }, says: ['top of the ladder: choose a harder variant or add load'] },
  { name: 'adds 10% to an endurance duration (30 -> 33 min), intensity unchanged', rule: 'Increments: endurance: duration +10%', exercise: 'walking', dose: { duration: min(30), rpeTarget: { low: 4, high: 6 }, step: 2 }, session: ok, decision: 'progress', to: { duration: min(33), step: 3 }, says: ['duration 30 -> 33 min'] },
  { name: 'adds at least 1 min to a short endurance duration (9 -> 10 min)', rule: 'Increments: endurance: at least +1 min', exercise: 'walking', dose: { duration: min(9), step: 1 }, session: ok, decision: 'progress', to: { duration: min(10), step: 2 } },
  { name: 'adds at most 5 min to a long endurance duration (60 -> 65 min)', rule: 'Increments: endurance: at most +5 min', exercise: 'walking', dose: { duration: min(60), step: 5 }, session: ok, decision: 'progress', to: { duration: min(65), step: 6 }, says: ['at most +5 min'] },
  { name: 'adds 10% to a hold but at least 5 s (30 -> 35 s)', rule: 'Increments: mobility: hold duration +10% (at least +5 s)', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(30), step: 2 }, session: ok, decision: 'progress', to: { sets: 3, duration: sec(35), step: 3 } },
  { name: 'rounds a hold to 5 s (100 -> 110 s)', rule: 'Increments: mobility: hold +10%; Rounding: seconds to 5 s', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(100), step: 2 }, session: ok, decision: 'progress', to: { sets: 3, duration: sec(110), step: 3 } },
  { name: 'adds 1 rep when a neuromotor order has no duration', rule: 'Increments: mobility, neuromotor: reps +1 when no duration', exercise: 'tandem-walk', dose: { reps: 8, step: 1 }, session: ok, decision: 'progress', to: { reps: 9, step: 2 } },
  { name: 'adds 5 s to a balance hold (20 -> 25 s)', rule: 'Increments: neuromotor: hold duration +10% (at least +5 s)', exercise: 'single-leg-stance', dose: { sets: 3, duration: sec(20), step: 1 }, session: ok, decision: 'progress', to: { sets: 3, duration: sec(25), step: 2 } },
];

const bad = { painDuring: 7, painAfter: 3 };
const regressSteps: StepRow[] = [
  { name: 'cuts the load by 10% and rounds to the nearest 0.5 kg, halves up (12.5 -> 11.25 -> 11.5 kg)', rule: 'Increments: strength with load regress: load -10%; Rounding: loads to the nearest 0.5 kg, halves up', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 12.5, step: 2 }, session: bad, decision: 'regress', to: { sets: 3, reps: 10, load: 11.5, step: 1 } },
  { name: 'moves a 1 kg load by at least one rounding unit (1 -> 0.5 kg)', rule: 'Rounding: a step down always moves the value by at least one rounding unit; never below 0.5 kg', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 1, step: 1 }, session: bad, decision: 'regress', to: { sets: 3, reps: 10, load: 0.5, step: 1 } },
  { name: 'cuts 2 reps without load (10 -> 8)', rule: 'Increments: strength, no load regress: reps -2 (min 5)', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 3 }, session: bad, decision: 'regress', to: { sets: 2, reps: 8, step: 2 } },
  { name: 'stops the rep cut at 5 (6 -> 5)', rule: 'Increments: reps -2 (min 5)', exercise: 'wall-push-up', dose: { sets: 2, reps: 6, step: 3 }, session: bad, decision: 'regress', to: { sets: 2, reps: 5, step: 2 } },
  { name: 'cuts an endurance duration by 10% (30 -> 27 min)', rule: 'Increments: endurance regress: duration -10%', exercise: 'walking', dose: { duration: min(30), step: 3 }, session: bad, decision: 'regress', to: { duration: min(27), step: 2 } },
  { name: 'never lets rounding cancel a step down (5 min - 10% = 4.5 -> 4 min)', rule: 'Rounding: a step up or down always moves the value by at least one rounding unit', exercise: 'walking', dose: { duration: min(5), step: 3 }, session: bad, decision: 'regress', to: { duration: min(4), step: 2 } },
  { name: 'cuts a hold by at least 5 s (30 -> 25 s)', rule: 'Increments: mobility regress: the reverse (hold -10%, at least -5 s)', exercise: 'hamstring-stretch', dose: { sets: 3, duration: sec(30), step: 3 }, session: bad, decision: 'regress', to: { sets: 3, duration: sec(25), step: 2 } },
  { name: 'cuts one rep when a neuromotor order has no duration (8 -> 7)', rule: 'Increments: neuromotor regress: the reverse of reps +1', exercise: 'tandem-walk', dose: { reps: 8, step: 2 }, session: bad, decision: 'regress', to: { reps: 7, step: 1 } },
  { name: 'never lowers the step below 1', rule: 'step -1 on regress (never below 1)', exercise: 'walking', dose: { duration: min(20), step: 1 }, session: bad, decision: 'regress', to: { duration: min(18), step: 1 } },
];

describe('increments: one step up or down per domain, with rounding', () => {
  it.each([...progressSteps, ...regressSteps])('$name [$rule]', (row) => {
    const r = progress(oneOrder({ id: 'x', exercise: row.exercise, dose: row.dose, authoredOn: 14 }, row.session), { now: NOW });
    expectOrder(r, 'x', row.decision, row.to, row.says);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Quota-based mode (graded activity).
// ---------------------------------------------------------------------------------------------------------

const quota = (options: PatientOptions = {}): PatientOptions => ({ ...options, policy: { mode: 'quota-based', ...options.policy } });

const quotaMode: Case[] = [
  {
    name: 'progresses by one increment after 7 days with 2 of 3 sessions done, regardless of pain during them',
    rule: 'Quota: once active 7 days and >= 2/3 of its prescribed sessions in the last 7 days, progress by one increment regardless of pain during sessions',
    bundle: () => oneOrder({ ...SQ, authoredOn: 7 }, { ...SQ_DONE, painDuring: 8, painAfter: 7 }, quota()),
    check: (r) => expectOrder(r, 'sq', 'progress', { sets: 3, reps: 11, load: 20, step: 4 }, ['2 of 3']),
  },
  {
    name: 'holds with 1 of 3 prescribed sessions in the last 7 days',
    rule: 'Quota: did >= 2/3 of its prescribed sessions in the last 7 days; otherwise hold',
    bundle: () => patient(quota()).order(SQ).session('sq', 8, SQ_DONE).session('sq', 2, SQ_DONE).build(),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['1 of 3']),
  },
  {
    name: 'holds an order active only 6 days',
    rule: 'Quota: once the current order has been active 7 days',
    bundle: () => oneOrder({ ...SQ, authoredOn: 6 }, SQ_DONE, quota()),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose),
  },
  {
    name: 'needs 3 sessions of 4 per week (2/3 of 4 = 2.67)',
    rule: 'Quota: >= 2/3 of its prescribed sessions',
    bundle: () => oneOrder({ ...SQ, frequency: 4 }, SQ_DONE, quota()),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['2 of 4']),
  },
  {
    name: 'holds on a boom-bust pattern: a session over 150% of the duration followed by M >= B + 2',
    rule: 'Quota: a session with duration > 150% of the prescribed, followed by M >= B + 2, is a boom-bust pattern: hold, and the rationale says so',
    bundle: () =>
      patient(quota({ pain: (d) => (d === 2 ? 4 : 2) }))
        .order(WALK).session('walk', 5, { ...ok, duration: 30 }).session('walk', 3, { ...ok, duration: 46 })
        .build(),
    check: (r) => expectOrder(r, 'walk', 'hold', coreDose(WALK.dose), ['boom-bust', '46 min > 150% of 30 min', 'B + 2 = 4']),
  },
  {
    name: 'progresses after a session of exactly 150% of the duration',
    rule: 'Quota: duration > 150% (strictly) of the prescribed',
    bundle: () =>
      patient(quota({ pain: (d) => (d === 2 ? 4 : 2) }))
        .order(WALK).session('walk', 5, { ...ok, duration: 30 }).session('walk', 3, { ...ok, duration: 45 })
        .build(),
    check: (r) => expectOrder(r, 'walk', 'progress', { duration: min(33), step: 3 }),
  },
  {
    name: 'applies the plan-level rules in quota mode (flare)',
    rule: 'Quota: plan-level rules and alternating focus apply as in pain-guided mode',
    bundle: () => oneOrder(SQ, SQ_DONE, quota({ pain: (d) => (d <= 1 ? 4 : 2) })),
    check: (r) => expect(phaseOf(r)).toEqual(['build', 'flare', 'flare-protocol']),
  },
  {
    name: 'applies alternating focus in quota mode',
    rule: 'Quota: ... and alternating focus apply as in pain-guided mode',
    bundle: () =>
      patient(quota())
        .order(SQ)
        .order({ id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 2 }, authoredOn: 16 })
        .sessions('sq', [5, 2], SQ_DONE).sessions('wpu', [5, 2], ok)
        .build(),
    check: (r) => {
      expectOrder(r, 'wpu', 'progress', { sets: 2, reps: 12, step: 3 });
      expectOrder(r, 'sq', 'hold', SQ.dose, ['alternating focus']);
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Daily pain: one value per day (the earliest), in each value's own UTC offset; 72514-3 from any Observation.
// ---------------------------------------------------------------------------------------------------------

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
];

describe('quota mode and daily pain', () => {
  it.each([...quotaMode, ...dailyPain])('$name [$rule]', (c) => {
    c.check(run(c));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Further edges: term fallbacks, windows, precedence between phases, heart-rate zones, floors.
// ---------------------------------------------------------------------------------------------------------

const WPU: OrderInput = { id: 'wpu', exercise: 'wall-push-up', dose: { sets: 2, reps: 10, step: 2 }, authoredOn: 16 };

const edges: Case[] = [
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
  {
    name: 'refers a flare without flare-since from its phase start, 8 days ago',
    rule: 'Terms, flare start: the plan\'s flare-since; when absent, the phase start in phase flare',
    bundle: () => withoutFlareSince(inFlare(8, (d) => (d <= 8 ? 5 : 2)).build()),
    check: (r) => expect(phaseOf(r)).toEqual(['flare', 'referred', 'refer']),
  },
  {
    name: 'resumes 7 days after the latest authoredOn of the current orders when phase-since is absent',
    rule: 'Terms, phase start: when absent, the latest authoredOn among the current orders; Plan 6',
    bundle: () =>
      patient({ phase: 'deload', phaseSince: undefined })
        .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 20, step: 4 }, authoredOn: 30 })
        .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 2, reps: 10, load: 20, step: 4 }, authoredOn: 7, replaces: 'sq-1' })
        .build(),
    check: (r) => expectOrder(r, 'sq-2', 'resume', { sets: 3, reps: 10, load: 20, step: 4 }, ['deload since 2026-03-03 (7 days)']),
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
  {
    name: 'establishes a baseline with no daily pain on record (baseline needs no B)',
    rule: 'Terms, B: the rules that need no B (red flag, deload, resume, baseline) still apply',
    bundle: () =>
      patient({ phase: 'baseline', phaseSince: 10, pain: () => undefined })
        .order({ ...WALK, dose: { duration: min(10), step: 1 }, authoredOn: 10 })
        .toleranceTest('walk', 8, 12, 'min').toleranceTest('walk', 5, 12, 'min').toleranceTest('walk', 2, 12, 'min')
        .build(),
    check: (r) => expectOrder(r, 'walk', 'establish-baseline', { duration: min(9), step: 1 }),
  },
  {
    name: 'holds in quota mode when B is unknown',
    rule: 'Terms, B: when B is unknown, no order progresses',
    bundle: () => oneOrder(SQ, SQ_DONE, quota({ pain: (d) => (d <= 1 ? 2 : undefined) })),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['no baseline pain on record']),
  },
  {
    name: 'progresses on the last 2 sessions even after an earlier non-qualifying (but not regressing) one',
    rule: 'Order 3: its last stableSessions (2) sessions all qualify -> progress',
    bundle: () => patient().order(WALK).session('walk', 9, { ...ok, duration: 30, rpe: 8 }).sessions('walk', [5, 2], { ...ok, duration: 30, rpe: 5 }).build(),
    check: (r) => expectOrder(r, 'walk', 'progress', { duration: min(33), step: 3 }),
  },
  {
    name: 'ignores a recorded RPE when the order has no RPE target',
    rule: 'Qualifies: RPE within rpeTarget when both are present',
    bundle: () => oneOrder(SQ, { ...SQ_DONE, rpe: 9 }),
    check: (r) => expectOrder(r, 'sq', 'progress'),
  },
  {
    name: 'does not compare a session duration in minutes with a hold prescribed in seconds',
    rule: 'Qualifies: duration (same unit) >= 90% of the prescribed',
    bundle: () => oneOrder(STRETCH, { ...ok, duration: 1 }),
    check: (r) => expectOrder(r, 'stretch', 'progress', { sets: 3, duration: sec(35), step: 3 }),
  },
  {
    name: 'does not hold on the weekly trend when a window has fewer than 3 values',
    rule: 'Order 2: ... each window with >= 3 values',
    bundle: () => oneOrder(SQ, SQ_DONE, { pain: (d) => (d >= 14 ? (d <= 15 ? 1 : undefined) : d >= 7 ? 2 : d === 4 || d === 1 ? 2 : 3) }),
    check: (r) => expectOrder(r, 'sq', 'progress'),
  },
  {
    name: 'holds the sibling of an order that progressed 3 days ago (documented reading of alternating focus)',
    rule: 'implementation-guide.md, Extensions: alternating focus across runs',
    bundle: () =>
      patient()
        .order({ ...WPU, id: 'wpu-1', authoredOn: 20 })
        .order({ ...WPU, dose: { sets: 2, reps: 12, step: 3 }, authoredOn: 3, replaces: 'wpu-1' })
        .order(SQ)
        .sessions('sq', [5, 2], SQ_DONE)
        .build(),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['alternating focus']),
  },
  {
    name: 'holds (never raises the dose) when a regress is due at the bottom of the ladder (5 reps, no load)',
    rule: 'Order 1 + Increments: reps -2 (min 5)',
    bundle: () => oneOrder({ ...WPU, dose: { sets: 1, reps: 5, step: 1 } }, { painDuring: 8 }),
    check: (r) => expectOrder(r, 'wpu', 'hold', { sets: 1, reps: 5, step: 1 }),
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
    name: 'halves a 1 kg load to the 0.5 kg floor on a flare',
    rule: 'Plan 2: load -50%; Rounding: never below 0.5 kg for loads',
    bundle: () => patient({ pain: (d) => (d <= 1 ? 4 : 2) }).order({ ...SQ, dose: { sets: 3, reps: 10, load: 1, step: 1 } }).build(),
    check: (r) => expectOrder(r, 'sq', 'flare-protocol', { sets: 3, reps: 10, load: 0.5, step: 1 }),
  },
  {
    name: 'deloads a 2-minute walk to the 1-minute floor (2 x 0.6 = 1.2 -> 1 min)',
    rule: 'Plan 5: endurance duration -40%; Rounding: minutes to whole minutes, never below 1',
    bundle: () => patient({ planStart: 21, phaseSince: 21 }).order({ ...WALK, dose: { duration: min(2), step: 1 } }).build(),
    check: (r) => expectOrder(r, 'walk', 'deload', { duration: min(1), step: 1 }),
  },
  {
    name: 'progresses on a single qualifying session when the plan sets stableSessions = 1',
    rule: 'Order 3: its last stableSessions sessions all qualify; every number is a default a plan may override',
    bundle: () => patient({ policy: { stableSessions: 1 } }).order(WALK).session('walk', 2, { ...ok, duration: 30, rpe: 5 }).build(),
    check: (r) => expectOrder(r, 'walk', 'progress', { duration: min(33), step: 3 }),
  },
  {
    name: 'writes phase-since = now when the phase changes (deload)',
    rule: 'IG-CONTRACT phase-since: written on every phase change',
    bundle: () => deloadable({ planStart: 21, phaseSince: 21 }).build(),
    check: (r) => expect(readPhaseSince(planWritten(r) as CarePlan)).toBe(NOW),
  },
  {
    name: 'counts for progress only sessions since phase-since when the phase began after the order (documented reading)',
    rule: 'implementation-guide.md, Extensions: sessions that count after a phase change',
    bundle: () => oneOrder(SQ, SQ_DONE, { phaseSince: 3 }),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['1 of 2']),
  },
  {
    name: 'still regresses on a session before phase-since (safety reads every session since authoredOn)',
    rule: 'implementation-guide.md, Extensions: regress still reads every session since authoredOn; Order 1',
    bundle: () => oneOrder(SQ, { ...SQ_DONE, painDuring: 7 }, { phaseSince: 3 }),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }),
  },
  {
    name: 'writes a progress as a new order that replaces the old one (completed) and the plan pointing at it',
    rule: 'IG-CONTRACT Progression output: a progressed order becomes a new order whose replaces points at the old one; the old one is PUT completed; the plan is PUT with its activity updated',
    bundle: () => oneOrder(SQ, SQ_DONE),
    check: (r) => {
      const successor = successorEntry(r.transaction, 'sq');
      expect(successor?.resource && coreDose(readDose(successor.resource))).toEqual({ sets: 3, reps: 11, load: 20, step: 4 });
      expect(parts(r.transaction).putOrders.map((e) => [e.resource?.id, e.resource?.status])).toEqual([['sq', 'completed']]);
      expect(planWritten(r)?.activity?.map((a) => a.reference?.reference)).toEqual([successor?.fullUrl]);
      expect(provenancesFor(r.transaction, successor?.fullUrl ?? '').map(provenanceReason)).toEqual(['progress']);
    },
  },
  {
    name: 'changes no order and no plan on a hold',
    rule: 'IG-CONTRACT Progression output: hold changes no order',
    bundle: () => patient().order(SQ).session('sq', 2, SQ_DONE).build(),
    check: (r) => {
      const p = parts(r.transaction);
      expect([p.postedOrders.length, p.putOrders.length, p.planPut]).toEqual([0, 0, undefined]);
      expect(provenancesFor(r.transaction, 'ServiceRequest/sq').map(provenanceReason)).toEqual(['hold']);
    },
  },
];

describe('further edges: term fallbacks, windows, precedence, zones and floors', () => {
  it.each(edges)('$name [$rule]', (c) => {
    c.check(run(c));
  });
});
