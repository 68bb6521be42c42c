/**
 * Clinical-rules audit, plan rules 5-7 (deload, end of deload, baseline): each case is worked out by hand from
 * a sentence of docs/clinical-rules.md (cited in its `rule`), not from the engine's code, and runs through the
 * whole engine.
 * See: docs/clinical-rules.md "Plan-level rules" 5-7; implementation-guide.md "Extensions to the
 * contract".
 */
import type { Bundle, CarePlan } from 'fhir/r4';
import { readDose, readPhaseSince } from '../support/dose-ext';
import type { HistoryBuilder } from '../support/builder';
import { coreDose, parts } from '../support/inspect';
import { runAndApply } from '../support/run';
import { auditCases, expectOrder, min, NOW, ok, patient, phaseOf, planWritten, sec, SQ, STRETCH, WALK, WPU, type Case, type PatientOptions } from './helpers';

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
  {
    name: 'deloads a 2-minute walk to the 1-minute floor (2 x 0.6 = 1.2 -> 1 min)',
    rule: 'Plan 5: endurance duration -40%; Rounding: minutes to whole minutes, never below 1',
    bundle: () => patient({ planStart: 21, phaseSince: 21 }).order({ ...WALK, dose: { duration: min(2), step: 1 } }).build(),
    check: (r) => expectOrder(r, 'walk', 'deload', { duration: min(1), step: 1 }),
  },
  {
    name: 'writes phase-since = now when the phase changes (deload)',
    rule: 'implementation-guide.md Extensions, phase-since: written on every phase change',
    bundle: () => deloadable({ planStart: 21, phaseSince: 21 }).build(),
    check: (r) => expect(readPhaseSince(planWritten(r) as CarePlan)).toBe(NOW),
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
];

auditCases('plan rule 5: deload', deload);
auditCases('plan rule 6: end of deload', endOfDeload);
auditCases('plan rule 7: baseline', baseline);

describe('plan rule 7 across a same-day re-run (implementation-guide.md, Extensions: establishing a baseline writes the established order)', () => {
  /** walk: 3 tests of 20 min -> 75% = 15 min; wpu waits with 2 tests, so the plan stays in baseline. */
  const twoOrders = (placeholder: number): Bundle =>
    inBaseline()
      .order({ ...WALK, dose: { duration: min(placeholder), step: 1 }, authoredOn: 10 })
      .order({ ...WPU, dose: { sets: 2, reps: 5, step: 1 }, authoredOn: 10 })
      .toleranceTest('walk', 8, 20, 'min').toleranceTest('walk', 5, 20, 'min').toleranceTest('walk', 2, 20, 'min')
      .toleranceTest('wpu', 5, 12, '{repetitions}').toleranceTest('wpu', 2, 12, '{repetitions}')
      .build();

  it.each([
    ['equal to the placeholder (15 min)', 15],
    ['different from the placeholder (10 min -> 15 min)', 10],
  ])('writes the established order when the dose is %s, and the re-run holds it as already established', (_name, placeholder) => {
    const first = runAndApply(twoOrders(placeholder), NOW);
    expectOrder(first.result, 'walk', 'establish-baseline', { duration: min(15), step: 1 });
    expect(parts(first.result.transaction).postedOrders.map((e) => e.resource && coreDose(readDose(e.resource)))).toEqual([{ duration: min(15), step: 1 }]);
    const second = runAndApply(first.next, NOW);
    expect(phaseOf(second.result)).toEqual(['baseline', 'baseline', 'hold']);
    const walk = second.result.orders.find((o) => o.exercise === 'Walking');
    expect([walk?.decision, walk?.rationale]).toEqual(['hold', 'Held: baseline already established (15 min)']);
    expect(second.result.orders.filter((o) => o.decision !== 'hold')).toEqual([]);
    expect(parts(second.result.transaction).postedOrders).toEqual([]);
  });
});
