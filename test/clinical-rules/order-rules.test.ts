/**
 * Clinical-rules audit, order rules in phase build (pain-guided): qualification, rules 1-4, alternating focus,
 * output: each case is worked out by hand from a sentence of docs/clinical-rules.md (cited in its `rule`), not from
 * the engine's code, and runs through the whole engine.
 * See: docs/clinical-rules.md "Order-level rules in phase build", "Alternating focus"; implementation-guide.md
 * "Progression output", "Extensions to the contract".
 */
import type { Bundle } from 'fhir/r4';
import { progress } from '../../src/progression/progress';
import type { DecisionCode, Policy } from '../../src/progression/types';
import { readDose } from '../support/dose-ext';
import { history, type OrderInput, type SessionOptions } from '../support/builder';
import { coreDose, parts, provenanceReason, provenancesFor, successorEntry } from '../support/inspect';
import { auditCases, expectOrder, min, NOW, ok, oneOrder, patient, planWritten, sec, SQ, SQ_DONE, STRETCH, WALK, WPU, type Case, type PatientOptions } from './helpers';

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

/** sq-3 (3 x 11 at 19 kg) replaces sq-2 (3 x 11 at `load`), which replaced sq-1 (3 x 10 at 15 kg); a painful session. */
function chainOf17or(load: number): Bundle {
  return patient()
    .order({ id: 'sq-1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 15, step: 3 }, authoredOn: 30 })
    .order({ id: 'sq-2', exercise: 'sit-to-stand', dose: { sets: 3, reps: 11, load, step: 4 }, authoredOn: 22, replaces: 'sq-1' })
    .order({ id: 'sq-3', exercise: 'sit-to-stand', dose: { sets: 3, reps: 11, load: 19, step: 5 }, authoredOn: 14, replaces: 'sq-2' })
    .sessions('sq-3', [5, 2], { ...SQ_DONE, painDuring: 8, reps: 11, load: 19 })
    .build();
}

/** wpu progressed (10 -> 12 reps) on day `day` and regressed back today; sq has 2 qualifying sessions. */
function progressedThenRegressed(day: number): Bundle {
  return patient()
    .order({ ...WPU, id: 'wpu-1', authoredOn: 20 })
    .order({ ...WPU, id: 'wpu-2', dose: { sets: 2, reps: 12, step: 3 }, authoredOn: day, replaces: 'wpu-1' })
    .order({ ...WPU, dose: { sets: 2, reps: 10, step: 2 }, authoredOn: 0, replaces: 'wpu-2' })
    .order(SQ)
    .sessions('sq', [5, 2], SQ_DONE)
    .build();
}

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
    name: 'regresses to a chain dose exactly one increment down (19 kg - 10% = 17.1 -> 17 kg; the chain holds 17 kg)',
    rule: 'Order 1 + Increments (load -10%); implementation-guide.md, Extensions: the chain dose only when no lower than one increment down',
    bundle: () => chainOf17or(17),
    check: (r) => expectOrder(r, 'sq-3', 'regress', { sets: 3, reps: 11, load: 17, step: 4 }, ['the most recent lower dose in its replaces chain']),
  },
  {
    name: 'regresses one increment down (19 -> 17 kg) when the chain\'s most recent lower dose (16.5 kg) is further down',
    rule: 'Order 1: ... else one increment down; Extensions: a regress never moves more than one increment',
    bundle: () => chainOf17or(16.5),
    check: (r) => expectOrder(r, 'sq-3', 'regress', { sets: 3, reps: 11, load: 17, step: 4 }, ['load 19 kg -> 17 kg', 'one increment down', '16.5 kg', 'is more than one increment down']),
  },
  {
    name: 'regresses one increment right after a resume (walk 40 -> 36 min), not to the deload dose (24 min)',
    rule: 'Order 1 + Increments (endurance duration -10%); Extensions: a regress never moves more than one increment',
    bundle: () =>
      patient({ phaseSince: 7 })
        .order({ id: 'walk-1', exercise: 'walking', dose: { duration: min(40), rpeTarget: { low: 4, high: 6 }, step: 3 }, authoredOn: 28 })
        .order({ id: 'walk-2', exercise: 'walking', dose: { duration: min(24), rpeTarget: { low: 4, high: 6 }, step: 3 }, authoredOn: 14, replaces: 'walk-1' })
        .order({ id: 'walk-3', exercise: 'walking', dose: { duration: min(40), rpeTarget: { low: 4, high: 6 }, step: 3 }, authoredOn: 7, replaces: 'walk-2' })
        .session('walk-3', 2, { ...ok, painDuring: 7, duration: 40 })
        .build(),
    check: (r) => expectOrder(r, 'walk-3', 'regress', { duration: min(36), step: 2 }, ['duration 40 -> 36 min', 'one increment down']),
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
    name: 'still holds the sibling of an order that progressed 6 days ago and regressed today',
    rule: 'implementation-guide.md, Extensions: alternating focus across runs (a progress in the chain within the last 7 days)',
    bundle: () => progressedThenRegressed(6),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['Wall push-up progressed on 2026-03-04 (within the last 7 days)']),
  },
  {
    name: 'progresses the sibling of an order that progressed 7 days ago and regressed today',
    rule: 'Alternating focus; implementation-guide.md, Extensions: alternating focus across runs (days 0-6)',
    bundle: () => progressedThenRegressed(7),
    check: (r) => expectOrder(r, 'sq', 'progress', { sets: 3, reps: 11, load: 20, step: 4 }),
  },
  {
    name: 'progresses on a single qualifying session when the plan sets stableSessions = 1',
    rule: 'Order 3: its last stableSessions sessions all qualify; every number is a default a plan may override',
    bundle: () => patient({ policy: { stableSessions: 1 } }).order(WALK).session('walk', 2, { ...ok, duration: 30, rpe: 5 }).build(),
    check: (r) => expectOrder(r, 'walk', 'progress', { duration: min(33), step: 3 }),
  },
  {
    name: 'counts for progress only sessions since phase-since when the phase began after the order (documented reading)',
    rule: 'implementation-guide.md, Extensions: each phase judges its own sessions',
    bundle: () => oneOrder(SQ, SQ_DONE, { phaseSince: 3 }),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['1 of 2']),
  },
  {
    name: 'regresses on a painful session on or after phase-since (day 2, the phase began on day 3)',
    rule: 'Order 1; implementation-guide.md, Extensions: each phase judges its own sessions',
    bundle: () => patient({ phaseSince: 3 }).order(SQ).session('sq', 5, SQ_DONE).session('sq', 2, { ...SQ_DONE, painDuring: 7 }).build(),
    check: (r) => expectOrder(r, 'sq', 'regress', { sets: 3, reps: 10, load: 18, step: 2 }, ['7/10 > ceiling 5']),
  },
  {
    name: 'does not regress on a painful session before phase-since (day 5): the phase before judged it',
    rule: 'implementation-guide.md, Extensions: each phase judges its own sessions (those before a phase change were judged by that phase\'s rules)',
    bundle: () => patient({ phaseSince: 3 }).order(SQ).session('sq', 5, { ...SQ_DONE, painDuring: 7 }).session('sq', 2, SQ_DONE).build(),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['1 of 2 sessions needed since the phase began on 2026-03-07']),
  },
];

/** The output contract of a progress and a hold (implementation-guide.md "Progression output"). */
const output: Case[] = [
  {
    name: 'writes a progress as a new order that replaces the old one (completed) and the plan pointing at it',
    rule: 'implementation-guide.md Progression output: a progressed order becomes a new order whose replaces points at the old one; the old one is PUT completed; the plan is PUT with its activity updated',
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
    rule: 'implementation-guide.md Progression output: hold changes no order',
    bundle: () => patient().order(SQ).session('sq', 2, SQ_DONE).build(),
    check: (r) => {
      const p = parts(r.transaction);
      expect([p.postedOrders.length, p.putOrders.length, p.planPut]).toEqual([0, 0, undefined]);
      expect(provenancesFor(r.transaction, 'ServiceRequest/sq').map(provenanceReason)).toEqual(['hold']);
    },
  },
];

auditCases('order rules 1-4, pain-guided, and alternating focus', orderRules);
auditCases('the transaction of a progress and a hold', output);
