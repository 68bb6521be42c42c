import type { Dose } from '../types';
import { flat, scenario, type HistoryBuilder, type PlanOptions } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

const LOADED: Dose = { sets: 3, reps: 10, load: 10, step: 4 };
const WALK: Dose = { duration: { value: 30, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 3 };
const STRETCH: Dose = { sets: 2, duration: { value: 30, unit: 's' }, step: 2 };

/** Phase build since day 10, B = 3, three orders; program start as given (day 27: week 4, began day 6). */
function build(plan: Partial<PlanOptions> = {}): HistoryBuilder {
  return scenario()
    .plan({ phaseSince: 10, planStart: 27, ...plan })
    .painScores(flat(3, 0, 20))
    .order({ id: 'str', dose: LOADED })
    .order({ id: 'end', domain: 'endurance', dose: WALK })
    .order({ id: 'mob', domain: 'mobility', dose: STRETCH });
}

describe('rule 5: deload', () => {
  it.each<[string, Partial<PlanOptions>, boolean]>([
    ['program week 4 deloads', {}, true],
    ['program week 3 does not', { planStart: 20 }, false],
    ['program week 8 deloads', { planStart: 55 }, true],
    ['deloadEveryWeeks 3: week 4 does not', { policy: { deloadEveryWeeks: 3 } }, false],
    ['deloadEveryWeeks 3: week 3 does', { planStart: 20, phaseSince: 15, policy: { deloadEveryWeeks: 3 } }, true],
    ['a phase start on the day the week began does not', { phaseSince: 6 }, false],
    ['a phase start the day before the week began does', { phaseSince: 7 }, true],
  ])('%s', (_name, plan, fires) => {
    const out = run(build(plan));
    expect(out.plan.decision === 'deload').toBe(fires);
  });

  it.each<[string, number[], boolean]>([
    ['fatigue >= 7 on 3 of the last 7 days deloads', [6, 3, 0], true],
    ['on 2 of them does not', [6, 0], false],
    ['day 7 is not in the last 7 days', [7, 3, 0], false],
  ])('%s', (_name, days, fires) => {
    const b = build({ planStart: 20 });
    for (const d of days) b.checkIn(d, { fatigue: 7 });
    b.checkIn(1, { fatigue: 6 });
    expect(run(b).plan.decision === 'deload').toBe(fires);
  });

  it.each<[string, number, number[], boolean]>([
    ['3 high-fatigue days on or after a phase start on day 4 deload', 4, [4, 3, 0], true],
    ['a phase start on day 3 leaves only 2 of them: no deload', 3, [4, 3, 0], false],
    ['a phase start today (a same-day re-run after a resume) leaves 1: no deload', 0, [5, 3, 0], false],
  ])('counts fatigue only since the phase start: %s', (_name, phaseSinceDay, days, fires) => {
    const b = build({ planStart: 20, phaseSince: phaseSinceDay });
    for (const d of days) b.checkIn(d, { fatigue: 7 });
    b.checkIn(1, { fatigue: 6 });
    expect(run(b).plan.decision === 'deload').toBe(fires);
  });

  it('cuts volume by 40% per domain and keeps intensity', () => {
    const out = run(build());
    expect(out.plan).toEqual({
      phaseFrom: 'build',
      phaseTo: 'deload',
      decision: 'deload',
      rationale: 'Deload: program week 4 is a multiple of 4 (week began 2026-11-14; build since 2026-11-10)',
    });
    expect(orderOf(out, 'str')).toMatchObject({ decision: 'deload', newDose: { sets: 2, reps: 10, load: 10, step: 4 } });
    expect(orderOf(out, 'end').newDose).toEqual({ duration: { value: 18, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, step: 3 });
    expect(orderOf(out, 'mob').newDose).toEqual({ sets: 2, duration: { value: 20, unit: 's' }, step: 2 });
    expect(orderOf(out, 'str').rationale).toMatch(/^Deload: program week 4 .*; sets 3 -> 2 \(-40%\); intensity kept$/);
  });

  it('cites the fatigue check-ins it used', () => {
    const b = build({ planStart: 20 });
    for (const d of [5, 4, 3]) b.checkIn(d, { fatigue: 8 });
    const out = run(b);
    expect(out.plan.rationale).toBe('Deload: fatigue >= 7 on 3 of the last 7 days (8 on 2026-11-15, 8 on 2026-11-16, 8 on 2026-11-17)');
    expect(orderOf(out, 'str').evidence).toHaveLength(3);
  });

  it('applies only in phase build', () => {
    expect(run(build({ phase: 'baseline' })).plan.decision).not.toBe('deload');
  });
});

describe('rule 6: end of deload', () => {
  /** Deload since `since`: the current orders replaced the pre-deload ones then. */
  function deload(since: number): HistoryBuilder {
    return scenario()
      .plan({ phase: 'deload', phaseSince: since })
      .order({ id: 'str0', dose: LOADED, authoredOn: 30, status: 'completed', inPlan: false })
      .order({ id: 'str', dose: { ...LOADED, sets: 2 }, authoredOn: since, replaces: 'str0' })
      .order({ id: 'mob', domain: 'mobility', dose: STRETCH, authoredOn: 40 });
  }

  it('resumes the pre-deload doses 7 days after the phase start', () => {
    const out = run(deload(7));
    expect(out.plan).toMatchObject({ phaseFrom: 'deload', phaseTo: 'build', decision: 'resume' });
    expect(orderOf(out, 'str')).toMatchObject({ decision: 'resume', newDose: LOADED });
    expect(orderOf(out, 'str').rationale).toBe('Resumed: deload since 2026-11-13 (7 days); 2 x 10 at 10 kg -> 3 x 10 at 10 kg (the pre-deload dose from 2026-10-21)');
    expect(orderOf(out, 'mob')).toMatchObject({ decision: 'resume' });
    expect(orderOf(out, 'mob').newDose).toBeUndefined();
  });

  it('holds before 7 days, even without B', () => {
    const out = run(deload(6));
    expect(out.plan).toMatchObject({ phaseTo: 'deload', decision: 'hold' });
    expect(orderOf(out, 'str').rationale).toBe('Held: deload since 2026-11-14, 6 days of 7');
  });
});
