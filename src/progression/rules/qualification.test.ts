import type { Session } from '../read/evidence-types';
import { qualify } from './qualification';
import type { Dose, IntensityMeasure } from '../types';

const dose: Dose = {
  sets: 3,
  reps: 10,
  load: 5,
  duration: { value: 20, unit: 'min' },
  rpeTarget: { low: 4, high: 6 },
  heartRateZone: { low: 100, high: 120 },
};

const base: Session = { source: 'Observation/s', at: '2026-11-18T17:00:00+01:00', date: '2026-11-18', day: 2, orderId: 'o', painDuring: 3 };
const m = (value: number) => ({ source: 'Observation/m', at: '2026-11-19T07:00:00+01:00', date: '2026-11-19', day: 1, value });

function check(patch: Partial<Session>, options: { baseline?: number; intensityBy?: IntensityMeasure; painCeiling?: number } = {}) {
  return qualify(
    { ...base, ...patch },
    { order: { dose, intensityBy: options.intensityBy ?? 'heart-rate' }, baseline: 'baseline' in options ? options.baseline : 3, policy: { painCeiling: options.painCeiling ?? 5 } },
  );
}

describe('qualify', () => {
  it.each<[string, Partial<Session>, boolean, RegExp | undefined]>([
    ['pain during 5 (at the ceiling)', { painDuring: 5 }, true, undefined],
    ['pain during 6', { painDuring: 6 }, false, /pain during 6\/10 > ceiling 5/],
    ['no pain-during recorded', { painDuring: undefined }, false, /no pain-during recorded/],
    ['pain after 5', { painAfter: 5 }, true, undefined],
    ['pain after 6', { painAfter: 6 }, false, /pain after 6\/10 > ceiling 5/],
    ['M = B + 1', { nextMorningPain: m(4) }, true, undefined],
    ['M = B + 2', { nextMorningPain: m(5) }, false, /next-morning pain 5\/10 on 2026-11-19 > B \+ 1 = 4/],
    ['RPE at the top of the target', { rpe: 6 }, true, undefined],
    ['RPE above the target', { rpe: 7 }, false, /RPE 7 outside target 4-6/],
    ['RPE below the target', { rpe: 3 }, false, /RPE 3 outside target 4-6/],
    ['all sets done', { setsCompleted: 3 }, true, undefined],
    ['a set short', { setsCompleted: 2 }, false, /sets completed 2 < 3 prescribed/],
    ['reps as prescribed', { repsFinalSet: 10 }, true, undefined],
    ['a rep short', { repsFinalSet: 9 }, false, /reps in final set 9 < 10 prescribed/],
    ['the prescribed load', { loadLifted: 5 }, true, undefined],
    ['a lighter load', { loadLifted: 4.5 }, false, /load 4.5 kg < 5 kg prescribed/],
    ['90% of the duration', { duration: { value: 18, unit: 'min' } }, true, undefined],
    ['under 90% of the duration', { duration: { value: 17, unit: 'min' } }, false, /duration 17 min < 90% of 20 min/],
    ['a duration in another unit', { duration: { value: 30, unit: 's' } }, true, undefined],
    ['heart rate at the zone top', { heartRate: 120 }, true, undefined],
    ['heart rate above the zone', { heartRate: 121 }, false, /mean heart rate 121\/min > zone top 120\/min/],
  ])('%s: qualifies = %s', (_name, patch, qualifies, reason) => {
    const q = check(patch);
    expect(q.qualifies).toBe(qualifies);
    if (reason) expect(q.reasons.join('; ')).toMatch(reason);
    else expect(q.reasons).toEqual([]);
  });

  it('ignores heart rate when intensity is measured by RPE', () => {
    expect(check({ heartRate: 150 }, { intensityBy: 'rpe' }).qualifies).toBe(true);
  });

  it('collects every failed condition', () => {
    expect(check({ painDuring: 7, painAfter: 8, repsFinalSet: 4 }).reasons).toHaveLength(3);
  });

  it('does not hold a missing next-morning pain against the session, and notes it', () => {
    const q = check({});
    expect(q.qualifies).toBe(true);
    expect(q.notes).toEqual(['next-morning pain after 2026-11-18 not recorded']);
  });

  it('skips the next-morning check when B is unknown, and notes it', () => {
    const q = check({ nextMorningPain: m(9) }, { baseline: undefined });
    expect(q.qualifies).toBe(true);
    expect(q.notes).toEqual(['next-morning pain not compared (B unknown)']);
  });

  it('uses the policy pain ceiling', () => {
    expect(check({ painDuring: 5 }, { painCeiling: 4 }).qualifies).toBe(false);
  });
});
