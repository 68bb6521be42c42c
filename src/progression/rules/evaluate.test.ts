import fc from 'fast-check';
import type { Bundle } from 'fhir/r4';
import { evaluate } from './evaluate';
import { readEvidence } from '../read/evidence';
import type { Dose, Phase } from '../types';
import { flat, NOW, scenario, type HistoryBuilder } from '../../../test/support/builder';
import { evidenceOf, orderOf, run } from '../../../test/support/evaluate';

const LOADED: Dose = { sets: 3, reps: 10, load: 10, step: 4 };
const ok = { painDuring: 2, painAfter: 2, reps: 10 };

/** Build phase, B = 3, program week 4 (a deload week), sessions that would progress. */
function busy(pains: Record<number, number> = {}): HistoryBuilder {
  return scenario()
    .plan({ phaseSince: 10, planStart: 27 })
    .painScores({ ...flat(3, 0, 20), ...pains })
    .order({ id: 'str', dose: LOADED })
    .session('str', 4, ok)
    .session('str', 2, ok);
}

describe('evaluate', () => {
  it('lets the first plan rule that fires decide for every order (flare before deload)', () => {
    const out = run(busy({ 1: 6, 0: 6 }));
    expect(out.plan.decision).toBe('flare-protocol');
    expect(orderOf(out, 'str').decision).toBe('flare-protocol');
  });

  it('runs order rules only when no plan rule fires', () => {
    expect(orderOf(run(busy()), 'str').decision).toBe('deload');
    const out = run(busy().plan({ planStart: 20 }));
    expect(out.plan).toEqual({ phaseFrom: 'build', phaseTo: 'build' });
    expect(orderOf(out, 'str').decision).toBe('progress');
  });

  it('uses the policy it is given', () => {
    const evidence = evidenceOf(busy().plan({ planStart: 20 }));
    expect(orderOf(evaluate(evidence, { ...evidence.policy, stableSessions: 3 }), 'str').decision).toBe('hold');
  });

  it('is deterministic: same input, same output, whatever the entry order', () => {
    const bundle = busy().plan({ planStart: 20 }).order({ id: 'a', dose: LOADED, authoredOn: 12 }).session('a', 4, ok).session('a', 2, ok).build();
    const reversed: Bundle = { ...bundle, entry: [...(bundle.entry ?? [])].reverse() };
    const first = evaluate(readEvidence(bundle, { now: NOW }));
    expect(evaluate(readEvidence(bundle, { now: NOW }))).toEqual(first);
    expect(evaluate(readEvidence(reversed, { now: NOW }))).toEqual(first);
  });

  it('does not mutate the evidence', () => {
    const evidence = evidenceOf(busy({ 1: 6, 0: 6 }));
    const before = structuredClone({ orders: evidence.orders, dailyPain: evidence.dailyPain, plan: evidence.plan });
    evaluate(evidence);
    expect({ orders: evidence.orders, dailyPain: evidence.dailyPain, plan: evidence.plan }).toEqual(before);
  });

  it('never progresses or steps up past a red flag or a flare', () => {
    const day = fc.integer({ min: 0, max: 20 });
    fc.assert(
      fc.property(
        fc.dictionary(day.map(String), fc.integer({ min: 0, max: 10 }), { minKeys: 0, maxKeys: 21 }),
        fc.option(fc.integer({ min: 0, max: 13 }), { nil: undefined }),
        fc.constantFrom<Phase>('build', 'return-to-load', 'flare'),
        (pains, alertDay, phase) => {
          const b = scenario()
            .plan({ phase, phaseSince: 10, planStart: 20, referencePain: 3, flareSince: 12 })
            .painScores(Object.fromEntries(Object.entries(pains).map(([k, v]) => [Number(k), v])))
            .order({ id: 'str', dose: LOADED, authoredOn: 9 })
            .session('str', 4, ok)
            .session('str', 2, ok);
          if (alertDay !== undefined) b.alert(alertDay);
          const evidence = evidenceOf(b);
          const out = evaluate(evidence);
          const flare = phase !== 'flare' && evidence.dailyPain.some((p, i, all) => {
            const next = all[i + 1];
            return next !== undefined && p.day <= 6 && p.day <= 10 && next.day === p.day - 1 && p.value >= 5 && next.value >= 5;
          });
          if (alertDay !== undefined || flare) {
            expect(out.orders.every((o) => o.decision !== 'progress' && o.decision !== 'return-to-load')).toBe(true);
          }
          if (alertDay !== undefined) expect(out.plan.phaseTo).toBe('referred');
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
});
