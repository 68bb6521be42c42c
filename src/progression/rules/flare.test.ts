import type { Dose } from '../types';
import { flat, scenario, type HistoryBuilder } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

const PRE: Dose = { sets: 3, reps: 10, load: 10, step: 4 };
const FLARED: Dose = { sets: 3, reps: 10, load: 5, step: 4 };
const WALK: Dose = { duration: { value: 30, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, heartRateZone: { low: 110, high: 130 }, step: 3 };
const WALK_FLARED: Dose = { duration: { value: 15, unit: 'min' }, rpeTarget: { low: 2, high: 3 }, step: 3 };

interface Spec {
  pains?: Record<number, number>;
  flareSinceDay?: number;
  phaseSinceDay?: number;
  referencePain?: number;
}

/** Phase flare since day 4 (B = 3 frozen), orders reduced by the flare on day 4, a mobility order left alone. */
function flare({ pains = {}, flareSinceDay = 4, phaseSinceDay = 4, referencePain = 3 }: Spec = {}): HistoryBuilder {
  return scenario()
    .plan({ phase: 'flare', phaseSince: phaseSinceDay, flareSince: flareSinceDay, referencePain })
    .painScores({ ...flat(3, 12, 20), ...flat(6, 5, phaseSinceDay), ...pains })
    .order({ id: 'str0', dose: PRE, authoredOn: 30, status: 'completed', inPlan: false })
    .order({ id: 'str', dose: FLARED, authoredOn: phaseSinceDay, replaces: 'str0' })
    .order({ id: 'end0', domain: 'endurance', dose: WALK, authoredOn: 25, status: 'completed', inPlan: false })
    .order({ id: 'end', domain: 'endurance', dose: WALK_FLARED, authoredOn: phaseSinceDay, replaces: 'end0' })
    .order({ id: 'mob', domain: 'mobility', dose: { duration: { value: 30, unit: 's' } }, authoredOn: 30 });
}

describe('rule 3: during a flare', () => {
  it.each<[string, Spec, string, string]>([
    ['pain >= B + 2 today and the flare began 8 days ago refers', { pains: { 0: 5 }, flareSinceDay: 8, phaseSinceDay: 8 }, 'refer', 'referred'],
    ['7 days ago is not more than 7: hold', { pains: { 0: 5 }, flareSinceDay: 7, phaseSinceDay: 7 }, 'hold', 'flare'],
    ['pain B + 1.9 today does not refer', { pains: { 0: 5 }, flareSinceDay: 8, phaseSinceDay: 8, referencePain: 3.1 }, 'hold', 'flare'],
    ['pain <= B + 1 on 2 consecutive days returns to load', { pains: { 1: 4, 0: 4 } }, 'return-to-load', 'return-to-load'],
    ['B + 1 then B + 2 holds', { pains: { 1: 4, 0: 5 } }, 'hold', 'flare'],
    ['settled days before the phase start do not count', { pains: { 5: 3, 4: 3 }, phaseSinceDay: 3 }, 'hold', 'flare'],
    ['the two most recent days settle after high ones: returns to load', { pains: { 3: 6, 2: 6, 1: 4, 0: 4 } }, 'return-to-load', 'return-to-load'],
    ['an older settled pair followed by days at B + 2: holds', { pains: { 3: 4, 2: 4, 1: 5, 0: 5 } }, 'hold', 'flare'],
    ['an older settled pair followed by one day at B + 2: holds', { pains: { 2: 4, 1: 4, 0: 5 } }, 'hold', 'flare'],
    ['the two most recent settled days are not consecutive: holds', { pains: { 3: 4, 2: 4, 0: 4 } }, 'hold', 'flare'],
    ['no pain today, the two most recent days (2 and 1) settled: returns to load', { pains: { 2: 4, 1: 4 } }, 'return-to-load', 'return-to-load'],
  ])('%s', (_name, spec, decision, phaseTo) => {
    const out = run(flare(spec));
    expect(out.plan).toMatchObject({ phaseFrom: 'flare', phaseTo, decision });
    expect(out.orders.every((o) => o.decision === decision)).toBe(true);
  });

  it('refers with every order on hold and says why', () => {
    const out = run(flare({ pains: { 0: 6 }, flareSinceDay: 9, phaseSinceDay: 9 }));
    expect(out.plan.rationale).toBe('Referred: flare since 2026-11-11 (9 days, more than 7) and daily pain today 6/10 still >= B + 2 = 5');
    expect(out.orders.map((o) => o.newStatus)).toEqual(['on-hold', 'on-hold', 'on-hold']);
  });

  it('restarts reduced orders at 75% of the pre-flare dose with the pre-flare intensity', () => {
    const out = run(flare({ pains: { 1: 4, 0: 3 } }));
    expect(orderOf(out, 'str').newDose).toEqual({ sets: 3, reps: 10, load: 7.5, step: 4 });
    expect(orderOf(out, 'str').rationale).toMatch(
      /^Return to load: daily pain 4\/10 on 2026-11-19 and 3\/10 on 2026-11-20 <= B \+ 1 = 4; B = 3 \(reference pain\); load 10 kg -> 7.5 kg \(75% of the pre-flare dose\)/,
    );
    expect(orderOf(out, 'end').newDose).toEqual({ duration: { value: 23, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, heartRateZone: { low: 110, high: 130 }, step: 3 });
    expect(orderOf(out, 'mob')).toMatchObject({ decision: 'return-to-load', rationale: expect.stringMatching(/the flare left this order unchanged/) as string });
    expect(orderOf(out, 'mob').newDose).toBeUndefined();
    expect(out.plan.referencePain).toBeUndefined();
    expect(out.plan.flareSince).toBeUndefined();
  });

  describe('a flare that reduced no order', () => {
    /** Only a mobility and a neuromotor order (the flare leaves both as they are), pain settled on days 1 and 0. */
    const unreduced = (today = 4): HistoryBuilder =>
      scenario()
        .plan({ phase: 'flare', phaseSince: 4, flareSince: 4, referencePain: 3 })
        .painScores({ ...flat(3, 12, 20), 3: 6, 2: 6, 1: 4, 0: today })
        .order({ id: 'mob', domain: 'mobility', dose: { duration: { value: 30, unit: 's' } }, authoredOn: 30 })
        .order({ id: 'bal', domain: 'neuromotor', dose: { reps: 8 }, authoredOn: 30 });

    it('returns straight to build, removing reference pain and flare start', () => {
      const out = run(unreduced());
      expect(out.plan).toMatchObject({ phaseFrom: 'flare', phaseTo: 'build', decision: 'return-to-load', referencePain: null, flareSince: null });
      expect(out.plan.rationale).toMatch(/^Return to load complete: daily pain 4\/10 on 2026-11-19 and 4\/10 on 2026-11-20 <= B \+ 1 = 4; .*the flare reduced no order/);
      expect(out.orders.map((o) => [o.orderId, o.decision, o.newDose])).toEqual([['bal', 'return-to-load', undefined], ['mob', 'return-to-load', undefined]]);
    });

    it.each<[string, () => HistoryBuilder, string]>([
      ['with one order the flare reduced, returns to load as usual', () => unreduced().order({ id: 'str0', dose: PRE, authoredOn: 30, status: 'completed', inPlan: false }).order({ id: 'str', dose: FLARED, authoredOn: 4, replaces: 'str0' }), 'return-to-load'],
      ['while pain has not settled (5/10 today), holds in the flare', () => unreduced(5), 'flare'],
    ])('just misses: %s', (_name, bundle, phaseTo) => {
      expect(run(bundle()).plan.phaseTo).toBe(phaseTo);
    });
  });

  it('takes the flare start from the phase start when flare-since is absent', () => {
    const b = scenario()
      .plan({ phase: 'flare', phaseSince: 9, referencePain: 3 })
      .painScores({ 0: 6 })
      .order({ id: 'str', dose: FLARED, authoredOn: 9 });
    expect(run(b).plan).toMatchObject({ decision: 'refer', phaseTo: 'referred' });
  });

  it('holds with no baseline pain on record', () => {
    const b = scenario().plan({ phase: 'flare', phaseSince: 3 }).painScores({ 1: 1, 0: 1 }).order({ id: 'str', dose: FLARED, authoredOn: 3 });
    expect(run(b).plan).toMatchObject({ phaseTo: 'flare', decision: 'hold', rationale: 'Held: no baseline pain on record' });
  });

  it('holds otherwise and says how long the flare has lasted', () => {
    const out = run(flare({ pains: { 0: 6 } }));
    expect(orderOf(out, 'str').rationale).toBe('Held: flare since 2026-11-16 (4 days); daily pain today 6/10; waiting for the 2 most recent days of daily pain to be consecutive and <= B + 1 = 4');
  });
});
