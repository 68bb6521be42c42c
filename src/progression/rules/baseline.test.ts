import { scenario, type HistoryBuilder } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

type Unit = 'min' | 's' | '{repetitions}';

/** Phase baseline: a walking order authored on day 10, with tolerance tests on the given days. */
function baseline(tests: [number, number][], unit: Unit = 'min', domain: 'endurance' | 'mobility' = 'endurance'): HistoryBuilder {
  const b = scenario()
    .plan({ phase: 'baseline', phaseSince: 10 })
    .order({ id: 'w', domain, dose: unit === '{repetitions}' ? { sets: 1, reps: 5 } : { duration: { value: 10, unit } } });
  for (const [day, value] of tests) b.toleranceTest('w', day, value, unit);
  return b;
}

describe('rule 7: baseline', () => {
  it.each<[string, [number, number][], Unit, object]>([
    ['3 tests in min set the duration to 75% of their mean', [[8, 10], [6, 12], [4, 14]], 'min', { duration: { value: 9, unit: 'min' }, step: 1 }],
    ['seconds round to 5 s', [[8, 40], [6, 45], [4, 50]], 's', { duration: { value: 35, unit: 's' }, step: 1 }],
    ['repetitions set reps', [[8, 9], [6, 10], [4, 11]], '{repetitions}', { sets: 1, reps: 8, step: 1 }],
    ['4 tests use all 4', [[8, 10], [6, 10], [4, 10], [2, 14]], 'min', { duration: { value: 8, unit: 'min' }, step: 1 }],
  ])('%s', (_name, tests, unit, dose) => {
    const out = orderOf(run(baseline(tests, unit, unit === 's' ? 'mobility' : 'endurance')), 'w');
    expect(out).toMatchObject({ decision: 'establish-baseline' });
    expect(out.newDose).toEqual(dose);
  });

  it('explains the numbers and cites the tests', () => {
    const out = orderOf(run(baseline([[8, 10], [6, 12], [4, 14]])), 'w');
    expect(out.rationale).toBe('Baseline established: duration 9 min = 75% of the mean tolerance 12 min (3 tests: 10, 12, 14); step 1');
    expect(out.evidence).toEqual(['Observation/o1', 'Observation/o2', 'Observation/o3']);
  });

  it.each<[string, [number, number][], string]>([
    ['2 tests hold, naming 1 missing', [[8, 10], [6, 12]], 'Held: 2 of 3 tolerance tests since 2026-11-10; 1 missing'],
    ['none hold, naming 3 missing', [], 'Held: 0 of 3 tolerance tests since 2026-11-10; 3 missing'],
    ['tests before authoredOn do not count', [[12, 10], [11, 10], [6, 12]], 'Held: 1 of 3 tolerance tests since 2026-11-10; 2 missing'],
  ])('%s', (_name, tests, rationale) => {
    expect(orderOf(run(baseline(tests)), 'w')).toMatchObject({ decision: 'hold', rationale });
  });

  it('counts tests based on an older order in the replaces chain', () => {
    const b = scenario()
      .plan({ phase: 'baseline', phaseSince: 10 })
      .order({ id: 'old', domain: 'endurance', dose: { duration: { value: 5, unit: 'min' } }, authoredOn: 20, status: 'completed', inPlan: false })
      .order({ id: 'w', domain: 'endurance', dose: { duration: { value: 10, unit: 'min' } }, authoredOn: 10, replaces: 'old' })
      .toleranceTest('old', 8, 12)
      .toleranceTest('old', 6, 12)
      .toleranceTest('w', 4, 12);
    expect(orderOf(run(b), 'w').newDose).toEqual({ duration: { value: 9, unit: 'min' }, step: 1 });
  });

  it('moves to build when no current order is left without an established dose', () => {
    const done = run(baseline([[8, 10], [6, 12], [4, 14]]));
    expect(done.plan).toMatchObject({ phaseFrom: 'baseline', phaseTo: 'build', decision: 'establish-baseline' });
    const waiting = run(baseline([[8, 10], [6, 12], [4, 14]]).order({ id: 'z', domain: 'mobility', dose: { reps: 5 } }).toleranceTest('z', 3, 8));
    expect(waiting.plan).toMatchObject({ phaseTo: 'baseline', decision: 'establish-baseline' });
    expect(orderOf(waiting, 'z').rationale).toBe('Held: 1 of 3 tolerance tests since 2026-11-10; 2 missing');
  });

  it('treats an order established by an earlier run as established', () => {
    const b = scenario()
      .plan({ phase: 'baseline', phaseSince: 10 })
      .order({ id: 'old', domain: 'endurance', dose: { duration: { value: 5, unit: 'min' } }, authoredOn: 10, status: 'completed', inPlan: false })
      .order({ id: 'w', domain: 'endurance', dose: { duration: { value: 9, unit: 'min' }, step: 1 }, authoredOn: 3, replaces: 'old' })
      .order({ id: 'z', domain: 'mobility', dose: { reps: 5 }, authoredOn: 10 })
      .toleranceTest('old', 8, 12)
      .toleranceTest('old', 6, 12)
      .toleranceTest('old', 4, 12)
      .toleranceTest('z', 8, 8, '{repetitions}')
      .toleranceTest('z', 6, 8, '{repetitions}')
      .toleranceTest('z', 2, 8, '{repetitions}');
    const out = run(b);
    expect(orderOf(out, 'w')).toMatchObject({ decision: 'hold', rationale: 'Held: baseline already established (9 min)' });
    expect(orderOf(out, 'z')).toMatchObject({ decision: 'establish-baseline', newDose: { reps: 6, step: 1 } });
    expect(out.plan.phaseTo).toBe('build');
  });
});
