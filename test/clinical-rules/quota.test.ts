/**
 * Clinical-rules audit, quota-based mode (graded activity): each case is worked out by hand from a sentence of
 * docs/clinical-rules.md (cited in its `rule`), not from the engine's code, and runs through the whole engine.
 * See: docs/clinical-rules.md "Order-level rules, mode quota-based"; implementation-guide.md
 * "Extensions to the contract".
 */
import { coreDose } from '../support/inspect';
import { auditCases, expectOrder, min, ok, oneOrder, patient, phaseOf, SQ, SQ_DONE, WALK, type Case, type PatientOptions } from './helpers';

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
    name: 'holds on a boom-bust on or after phase-since (day 3, the phase began on day 4)',
    rule: 'Quota: boom-bust -> hold; implementation-guide.md, Extensions: each phase judges its own sessions',
    bundle: () =>
      patient(quota({ phaseSince: 4, pain: (d) => (d === 2 ? 4 : 2) }))
        .order(WALK).session('walk', 3, { ...ok, duration: 46 }).session('walk', 1, { ...ok, duration: 30 })
        .build(),
    check: (r) => expectOrder(r, 'walk', 'hold', coreDose(WALK.dose), ['boom-bust', '46 min > 150% of 30 min']),
  },
  {
    name: 'ignores a boom-bust before phase-since (day 5, the phase began on day 4): the quota decides',
    rule: 'Quota: >= 2/3 of its prescribed sessions -> progress; Extensions: each phase judges its own sessions',
    bundle: () =>
      patient(quota({ phaseSince: 4, pain: (d) => (d === 4 ? 4 : 2) }))
        .order(WALK).session('walk', 5, { ...ok, duration: 46 }).session('walk', 3, { ...ok, duration: 30 }).session('walk', 1, { ...ok, duration: 30 })
        .build(),
    check: (r) => expectOrder(r, 'walk', 'progress', { duration: min(33), step: 3 }, ['did 2 of 3 prescribed sessions in the last 7 days since the phase began on 2026-03-06']),
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
  {
    name: 'holds in quota mode when B is unknown',
    rule: 'Terms, B: when B is unknown, no order progresses',
    bundle: () => oneOrder(SQ, SQ_DONE, quota({ pain: (d) => (d <= 1 ? 2 : undefined) })),
    check: (r) => expectOrder(r, 'sq', 'hold', SQ.dose, ['no baseline pain on record']),
  },
];

auditCases('order rules, quota-based mode', quotaMode);
