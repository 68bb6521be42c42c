import fc from 'fast-check';
import { isLower, sameDose } from './dose';
import {
  deloadDose,
  flareDose,
  progressDose,
  regressDose,
  returnDose,
  returnStepDose,
  type DoseChange,
} from './increments';
import type { Domain, Dose } from '../types';

const min = (value: number) => ({ value, unit: 'min' as const });
const sec = (value: number) => ({ value, unit: 's' as const });
const ZONE = { low: 110, high: 130 };
const LIGHT_ZONE = { low: 101, high: 110 };
const MODERATE = { low: 4, high: 6 };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** Asserts the result moved exactly as expected: the new dose and its phrases. */
function expectMoved(result: DoseChange, dose: Dose, changes: string[]): void {
  expect(result).toEqual({ dose, changes, atTop: false });
}

type Row = [string, Dose, Dose, string[]];

describe('progressDose, strength with load and 2-for-2 met', () => {
  it.each<Row>([
    ['5 kg -> 5.5 kg: exactly +10% is allowed', { sets: 3, reps: 10, load: 5 }, { sets: 3, reps: 10, load: 5.5, step: 2 }, ['load 5 kg -> 5.5 kg (+10%, rounded up to 0.5 kg)']],
    ['20 kg -> 21 kg (+5%)', { sets: 3, reps: 10, load: 20, step: 3 }, { sets: 3, reps: 10, load: 21, step: 4 }, ['load 20 kg -> 21 kg (+5%, rounded up to 0.5 kg)']],
    ['12 kg -> 12.6 rounded up to 13 kg', { sets: 3, reps: 8, load: 12 }, { sets: 3, reps: 8, load: 13, step: 2 }, ['load 12 kg -> 13 kg (+8.3%, rounded up to 0.5 kg)']],
    ['9.5 kg -> 10 kg: at least +0.5 kg, 5.3%', { sets: 2, reps: 10, load: 9.5 }, { sets: 2, reps: 10, load: 10, step: 2 }, ['load 9.5 kg -> 10 kg (+5.3%, rounded up to 0.5 kg)']],
    ['4 kg: +0.5 kg would be +12.5% > 10%, so reps +2', { sets: 3, reps: 10, load: 4 }, { sets: 3, reps: 12, load: 4, step: 2 }, ['reps 10 -> 12 (+2; load 4 kg -> 4.5 kg would be +12.5% > 10%)']],
    ['4.5 kg: +0.5 kg would be +11.1%, so reps +2', { sets: 3, reps: 10, load: 4.5 }, { sets: 3, reps: 12, load: 4.5, step: 2 }, ['reps 10 -> 12 (+2; load 4.5 kg -> 5 kg would be +11.1% > 10%)']],
    ['4 kg at 14 reps: reps stop at 15', { sets: 2, reps: 14, load: 4 }, { sets: 2, reps: 15, load: 4, step: 2 }, ['reps 14 -> 15 (+2, up to 15; load 4 kg -> 4.5 kg would be +12.5% > 10%)']],
    ['4 kg at 15 reps, 2 sets: sets +1', { sets: 2, reps: 15, load: 4 }, { sets: 3, reps: 15, load: 4, step: 2 }, ['sets 2 -> 3 (+1; load 4 kg -> 4.5 kg would be +12.5% > 10%)']],
  ])('%s', (_name, dose, expected, changes) => {
    expectMoved(progressDose(dose, 'strength', { twoForTwo: true }), expected, changes);
  });

});

describe('progressDose, strength with load at the top of the ladder (3 x 15): double progression', () => {
  it.each<[string, Dose, boolean, Dose, string[]]>([
    ['light load, 2-for-2 met: load past 10%, reps back to 10', { sets: 3, reps: 15, load: 2, step: 7 }, true, { sets: 3, reps: 10, load: 2.5, step: 8 }, ['load 2 kg -> 2.5 kg (+25%, rounded up to 0.5 kg; at the top of the ladder, 3 x 15, the load rises even past 10%: double progression)', 'reps 15 -> 10 (back to 10 with the heavier load)']],
    ['light load, 2-for-2 not met: the same step', { sets: 3, reps: 15, load: 4, step: 7 }, false, { sets: 3, reps: 10, load: 4.5, step: 8 }, ['load 4 kg -> 4.5 kg (+12.5%, rounded up to 0.5 kg; at the top of the ladder, 3 x 15, the load rises even past 10%: double progression)', 'reps 15 -> 10 (back to 10 with the heavier load)']],
    ['heavy load, 2-for-2 not met: +5%, reps back to 10', { sets: 3, reps: 15, load: 8 }, false, { sets: 3, reps: 10, load: 8.5, step: 2 }, ['load 8 kg -> 8.5 kg (+6.3%, rounded up to 0.5 kg; at the top of the ladder, 3 x 15, the load rises even past 10%: double progression)', 'reps 15 -> 10 (back to 10 with the heavier load)']],
    ['heavy load, 2-for-2 met within 10%: the load rule first, reps stay 15', { sets: 3, reps: 15, load: 20, step: 3 }, true, { sets: 3, reps: 15, load: 21, step: 4 }, ['load 20 kg -> 21 kg (+5%, rounded up to 0.5 kg)']],
    ['just misses: 14 reps climb the ladder instead', { sets: 3, reps: 14, load: 2 }, true, { sets: 3, reps: 15, load: 2, step: 2 }, ['reps 14 -> 15 (+2, up to 15; load 2 kg -> 2.5 kg would be +25% > 10%)']],
    ['just misses: 2 sets of 15 add a set instead', { sets: 2, reps: 15, load: 2 }, true, { sets: 3, reps: 15, load: 2, step: 2 }, ['sets 2 -> 3 (+1; load 2 kg -> 2.5 kg would be +25% > 10%)']],
  ])('%s', (_name, dose, twoForTwo, expected, changes) => {
    expectMoved(progressDose(dose, 'strength', { twoForTwo }), expected, changes);
  });
});

describe('progressDose, strength without 2-for-2 or without load', () => {
  it.each<[string, Dose, boolean, Dose, string[]]>([
    ['load, 2-for-2 not met: reps +1', { sets: 3, reps: 10, load: 5 }, false, { sets: 3, reps: 11, load: 5, step: 2 }, ['reps 10 -> 11 (+1)']],
    ['load, reps at 15: sets +1, reps stay 15', { sets: 2, reps: 15, load: 5 }, false, { sets: 3, reps: 15, load: 5, step: 2 }, ['sets 2 -> 3 (+1)']],
    ['load, absent sets count as 1', { reps: 15, load: 5 }, false, { sets: 2, reps: 15, load: 5, step: 2 }, ['sets 1 -> 2 (+1)']],
    ['no load: reps +2', { sets: 3, reps: 10 }, false, { sets: 3, reps: 12, step: 2 }, ['reps 10 -> 12 (+2)']],
    ['no load: 2-for-2 makes no difference', { sets: 3, reps: 10 }, true, { sets: 3, reps: 12, step: 2 }, ['reps 10 -> 12 (+2)']],
    ['no load: 13 reps -> 15, exactly the top', { sets: 1, reps: 13 }, false, { sets: 1, reps: 15, step: 2 }, ['reps 13 -> 15 (+2)']],
    ['no load: 14 reps -> 15, stopped at the top', { sets: 1, reps: 14 }, false, { sets: 1, reps: 15, step: 2 }, ['reps 14 -> 15 (+2, up to 15)']],
    ['no load: 15 reps, 2 sets -> 3 sets', { sets: 2, reps: 15, step: 5 }, false, { sets: 3, reps: 15, step: 6 }, ['sets 2 -> 3 (+1)']],
    ['no reps: a held position moves its hold', { sets: 3, duration: sec(30) }, false, { sets: 3, duration: sec(35), step: 2 }, ['hold 30 -> 35 s (+10%, at least +5 s)']],
  ])('%s', (_name, dose, twoForTwo, expected, changes) => {
    expectMoved(progressDose(dose, 'strength', { twoForTwo }), expected, changes);
  });

  it.each<[string, Dose]>([
    ['15 reps and 3 sets, no load', { sets: 3, reps: 15, step: 9 }],
    ['more than 15 reps and 3 sets', { sets: 3, reps: 20 }],
  ])('is at the top of the ladder with %s', (_name, dose) => {
    expect(progressDose(dose, 'strength', { twoForTwo: false })).toEqual({ dose, changes: [], atTop: true });
  });
});

describe('progressDose, endurance: +10%, at least +1 min, at most +5 min, intensity unchanged', () => {
  it.each<[string, number, number, string]>([
    ['20 -> 22 min', 20, 22, 'duration 20 -> 22 min (+10%)'],
    ['8 min: +0.8 is raised to the +1 min floor', 8, 9, 'duration 8 -> 9 min (+10%, at least +1 min)'],
    ['10 min: +1 min exactly, no floor needed', 10, 11, 'duration 10 -> 11 min (+10%)'],
    ['25 min: 27.5 rounds half up to 28', 25, 28, 'duration 25 -> 28 min (+10%)'],
    ['50 min: +5 min exactly, no cap needed', 50, 55, 'duration 50 -> 55 min (+10%)'],
    ['60 min: +6 is capped at +5 min', 60, 65, 'duration 60 -> 65 min (+10%, at most +5 min)'],
  ])('%s', (_name, from, to, change) => {
    const dose = { duration: min(from), rpeTarget: MODERATE, heartRateZone: ZONE, step: 2 };
    expectMoved(progressDose(dose, 'endurance', { twoForTwo: false }), { ...dose, duration: min(to), step: 3 }, [change]);
  });

  it('moves reps by 1 when an endurance dose has no duration', () => {
    expectMoved(progressDose({ reps: 20 }, 'endurance', { twoForTwo: false }), { reps: 21, step: 2 }, ['reps 20 -> 21 (+1)']);
  });
});

describe('progressDose, mobility and neuromotor: hold +10% (at least +5 s), or reps +1', () => {
  it.each<[Domain, Dose, Dose, string]>([
    ['mobility', { reps: 3, duration: sec(30) }, { reps: 3, duration: sec(35), step: 2 }, 'hold 30 -> 35 s (+10%, at least +5 s)'],
    ['mobility', { reps: 3, duration: sec(50) }, { reps: 3, duration: sec(55), step: 2 }, 'hold 50 -> 55 s (+10%)'],
    ['neuromotor', { duration: sec(60) }, { duration: sec(65), step: 2 }, 'hold 60 -> 65 s (+10%)'],
    ['neuromotor', { duration: sec(45) }, { duration: sec(50), step: 2 }, 'hold 45 -> 50 s (+10%, at least +5 s)'],
    ['mobility', { duration: min(5) }, { duration: min(6), step: 2 }, 'duration 5 -> 6 min (+10%, at least +1 min)'],
    ['mobility', { sets: 2, reps: 10 }, { sets: 2, reps: 11, step: 2 }, 'reps 10 -> 11 (+1)'],
    ['neuromotor', { reps: 8, step: 4 }, { reps: 9, step: 5 }, 'reps 8 -> 9 (+1)'],
  ])('%s %j', (domain, dose, expected, change) => {
    expectMoved(progressDose(dose, domain, { twoForTwo: false }), expected, [change]);
  });
});

describe('off-grid doses (entered by hand) land back on the grid', () => {
  it.each<[string, () => DoseChange, Dose, string]>([
    ['a 32 s hold +5 s rounds to 35 s, less than 5 s, so it goes to 40 s', () => progressDose({ duration: sec(32) }, 'mobility', { twoForTwo: false }), { duration: sec(40), step: 2 }, 'hold 32 -> 40 s (+10%, at least +5 s)'],
    ['a 7 s hold goes down to the 5 s floor', () => regressDose({ duration: sec(7) }, 'neuromotor'), { duration: sec(5) }, 'hold 7 -> 5 s (-10%, at least -5 s, never below 5 s)'],
    ['a 5.2 kg load: +5% rounded up to 5.5 kg is only +0.3 kg, so 6 kg (+15.4%) and reps +2 instead', () => progressDose({ sets: 3, reps: 10, load: 5.2 }, 'strength', { twoForTwo: true }), { sets: 3, reps: 12, load: 5.2, step: 2 }, 'reps 10 -> 12 (+2; load 5.2 kg -> 6 kg would be +15.4% > 10%)'],
  ])('%s', (_name, run, expected, change) => {
    expectMoved(run(), expected, [change]);
  });
});

describe('regressDose: one increment down, step -1 never below 1', () => {
  it.each<[string, Domain, Dose, Dose, string]>([
    ['strength load -10%', 'strength', { sets: 3, reps: 10, load: 5, step: 3 }, { sets: 3, reps: 10, load: 4.5, step: 2 }, 'load 5 kg -> 4.5 kg (-10%)'],
    ['strength load 20 -> 18 kg', 'strength', { sets: 3, reps: 10, load: 20 }, { sets: 3, reps: 10, load: 18 }, 'load 20 kg -> 18 kg (-10%)'],
    ['strength load 12 -> 10.8 rounds to 11 kg', 'strength', { sets: 3, reps: 10, load: 12 }, { sets: 3, reps: 10, load: 11 }, 'load 12 kg -> 11 kg (-10%)'],
    ['strength load 1 kg: at least -0.5 kg', 'strength', { sets: 3, reps: 10, load: 1 }, { sets: 3, reps: 10, load: 0.5 }, 'load 1 kg -> 0.5 kg (-10%, at least -0.5 kg)'],
    ['strength load at 0.5 kg falls back to reps -2', 'strength', { sets: 3, reps: 10, load: 0.5 }, { sets: 3, reps: 8, load: 0.5 }, 'reps 10 -> 8 (-2; load already at 0.5 kg)'],
    ['strength no load reps -2', 'strength', { sets: 3, reps: 10, step: 1 }, { sets: 3, reps: 8, step: 1 }, 'reps 10 -> 8 (-2)'],
    ['strength no load 7 -> 5 reps, exactly the minimum', 'strength', { sets: 3, reps: 7 }, { sets: 3, reps: 5 }, 'reps 7 -> 5 (-2)'],
    ['strength no load 6 reps stops at 5', 'strength', { sets: 3, reps: 6 }, { sets: 3, reps: 5 }, 'reps 6 -> 5 (-2, min 5)'],
    ['strength hold -10%, at least -5 s', 'strength', { sets: 3, duration: sec(30) }, { sets: 3, duration: sec(25) }, 'hold 30 -> 25 s (-10%, at least -5 s)'],
    ['endurance 20 -> 18 min', 'endurance', { duration: min(20), rpeTarget: MODERATE, step: 2 }, { duration: min(18), rpeTarget: MODERATE, step: 1 }, 'duration 20 -> 18 min (-10%)'],
    ['endurance 5 min: 4.5 would round back to 5, so -1 min', 'endurance', { duration: min(5) }, { duration: min(4) }, 'duration 5 -> 4 min (-10%, at least -1 min)'],
    ['mobility hold 30 -> 25 s (at least -5 s)', 'mobility', { reps: 3, duration: sec(30) }, { reps: 3, duration: sec(25) }, 'hold 30 -> 25 s (-10%, at least -5 s)'],
    ['neuromotor hold 60 -> 54 rounds to 55 s', 'neuromotor', { duration: sec(60) }, { duration: sec(55) }, 'hold 60 -> 55 s (-10%)'],
    ['mobility reps -1', 'mobility', { sets: 2, reps: 10 }, { sets: 2, reps: 9 }, 'reps 10 -> 9 (-1)'],
  ])('%s', (_name, domain, dose, expected, change) => {
    expectMoved(regressDose(dose, domain), expected, [change]);
  });

  it.each<[string, Domain, Dose]>([
    ['strength no load at 5 reps', 'strength', { sets: 3, reps: 5, step: 4 }],
    ['strength at 0.5 kg and 5 reps', 'strength', { sets: 1, reps: 5, load: 0.5 }],
    ['endurance at 1 min', 'endurance', { duration: min(1), step: 1 }],
    ['mobility hold at 5 s', 'mobility', { duration: sec(5) }],
    ['neuromotor at 1 rep', 'neuromotor', { reps: 1 }],
  ])('cannot go lower: %s (dose unchanged, step kept)', (_name, domain, dose) => {
    expect(regressDose(dose, domain)).toEqual({ dose, changes: [], atTop: true });
  });
});

describe('flareDose: the flare protocol', () => {
  it.each<[string, Domain, Dose, Dose, string]>([
    ['strength load -50%', 'strength', { sets: 3, reps: 10, load: 10, step: 4 }, { sets: 3, reps: 10, load: 5, step: 4 }, 'load 10 kg -> 5 kg: -50% (flare protocol, a design choice)'],
    ['strength load 3 -> 1.5 kg', 'strength', { sets: 3, reps: 10, load: 3 }, { sets: 3, reps: 10, load: 1.5 }, 'load 3 kg -> 1.5 kg: -50% (flare protocol, a design choice)'],
    ['strength no load: reps -50%', 'strength', { sets: 3, reps: 10 }, { sets: 3, reps: 5 }, 'reps 10 -> 5: -50% (flare protocol, a design choice)'],
    ['strength no load: 7.5 reps round half up to 8', 'strength', { sets: 3, reps: 15 }, { sets: 3, reps: 8 }, 'reps 15 -> 8: -50% (flare protocol, a design choice)'],
  ])('%s', (_name, domain, dose, expected, change) => {
    expectMoved(flareDose(dose, domain), expected, [change]);
  });

  it('is at the bottom for strength at 1 rep without load', () => {
    const dose = { sets: 1, reps: 1 };
    expect(flareDose(dose, 'strength')).toEqual({ dose, changes: [], atTop: true });
  });

  it.each<[string, Dose, Dose, string[]]>([
    [
      'endurance with a zone and a light zone: -50%, RPE 2-3, the light zone',
      { duration: min(30), rpeTarget: MODERATE, heartRateZone: ZONE, step: 3 },
      { duration: min(15), rpeTarget: { low: 2, high: 3 }, heartRateZone: LIGHT_ZONE, step: 3 },
      [
        'duration 30 -> 15 min: -50% (flare protocol, a design choice)',
        'RPE target 4-6 -> 2-3 (light: flare protocol, a design choice)',
        'heart-rate zone 110-130/min -> 101-110/min (light zone: flare protocol, a design choice)',
      ],
    ],
    [
      'endurance without an RPE target or zone: RPE 2-3 set, no zone added',
      { duration: min(25) },
      { duration: min(13), rpeTarget: { low: 2, high: 3 } },
      ['duration 25 -> 13 min: -50% (flare protocol, a design choice)', 'RPE target set to 2-3 (light: flare protocol, a design choice)'],
    ],
    [
      'endurance at 1 min: duration stays, intensity still drops',
      { duration: min(1), rpeTarget: MODERATE },
      { duration: min(1), rpeTarget: { low: 2, high: 3 } },
      ['RPE target 4-6 -> 2-3 (light: flare protocol, a design choice)'],
    ],
  ])('%s', (_name, dose, expected, changes) => {
    expectMoved(flareDose(dose, 'endurance', { lightZone: LIGHT_ZONE }), expected, changes);
  });

  it('removes the heart-rate zone when no light zone is available', () => {
    const result = flareDose({ duration: min(30), rpeTarget: { low: 2, high: 3 }, heartRateZone: ZONE }, 'endurance');
    expectMoved(result, { duration: min(15), rpeTarget: { low: 2, high: 3 } }, [
      'duration 30 -> 15 min: -50% (flare protocol, a design choice)',
      'heart-rate zone 110-130/min removed (no light zone without age and a resting heart rate)',
    ]);
  });

  it.each<[Domain, Dose]>([
    ['mobility', { reps: 3, duration: sec(30), step: 2 }],
    ['neuromotor', { duration: sec(20) }],
  ])('leaves %s unchanged (by design, not at the top)', (domain, dose) => {
    expect(flareDose(dose, domain, { lightZone: LIGHT_ZONE })).toEqual({ dose, changes: [], atTop: false });
  });
});

describe('deloadDose: volume -40%, intensity and step kept', () => {
  it.each<[string, Domain, Dose, Dose, string]>([
    ['strength 3 sets -> 2', 'strength', { sets: 3, reps: 10, load: 5, step: 5 }, { sets: 2, reps: 10, load: 5, step: 5 }, 'sets 3 -> 2 (-40%)'],
    ['strength 2 sets -> 1', 'strength', { sets: 2, reps: 12 }, { sets: 1, reps: 12 }, 'sets 2 -> 1 (-40%)'],
    ['strength 1 set: reps 10 -> 6 instead', 'strength', { sets: 1, reps: 10, load: 5 }, { sets: 1, reps: 6, load: 5 }, 'reps 10 -> 6 (-40%)'],
    ['strength absent sets: reps 12 -> 7', 'strength', { reps: 12 }, { reps: 7 }, 'reps 12 -> 7 (-40%)'],
    ['endurance 30 -> 18 min, intensity kept', 'endurance', { duration: min(30), rpeTarget: MODERATE, heartRateZone: ZONE, step: 2 }, { duration: min(18), rpeTarget: MODERATE, heartRateZone: ZONE, step: 2 }, 'duration 30 -> 18 min (-40%)'],
    ['mobility hold 30 -> 18 rounds to 20 s', 'mobility', { reps: 3, duration: sec(30) }, { reps: 3, duration: sec(20) }, 'hold 30 -> 20 s (-40%)'],
    ['neuromotor hold 10 -> 6 rounds to 5 s', 'neuromotor', { duration: sec(10) }, { duration: sec(5) }, 'hold 10 -> 5 s (-40%)'],
    ['mobility reps 10 -> 6 when no hold', 'mobility', { sets: 2, reps: 10 }, { sets: 2, reps: 6 }, 'reps 10 -> 6 (-40%)'],
  ])('%s', (_name, domain, dose, expected, change) => {
    expectMoved(deloadDose(dose, domain), expected, [change]);
  });

  it.each<[string, Domain, Dose]>([
    ['strength at 1 set of 1 rep', 'strength', { sets: 1, reps: 1 }],
    ['endurance at 1 min', 'endurance', { duration: min(1) }],
    ['neuromotor at 5 s', 'neuromotor', { duration: sec(5) }],
  ])('cannot deload %s', (_name, domain, dose) => {
    expect(deloadDose(dose, domain)).toEqual({ dose, changes: [], atTop: true });
  });
});

describe('returnDose: the pre-flare dose at a fraction of its primary variable', () => {
  it.each<[string, Domain, Dose, Dose, string]>([
    ['strength load 75%', 'strength', { sets: 3, reps: 10, load: 10, step: 4 }, { sets: 3, reps: 10, load: 7.5, step: 4 }, 'load 10 kg -> 7.5 kg (75% of the pre-flare dose)'],
    ['strength 5 kg: 3.75 rounds half up to 4 kg', 'strength', { sets: 3, reps: 10, load: 5 }, { sets: 3, reps: 10, load: 4 }, 'load 5 kg -> 4 kg (75% of the pre-flare dose)'],
    ['strength no load: 7.5 reps round to 8', 'strength', { sets: 2, reps: 10 }, { sets: 2, reps: 8 }, 'reps 10 -> 8 (75% of the pre-flare dose)'],
    ['endurance: 22.5 -> 23 min with intensity restored', 'endurance', { duration: min(30), rpeTarget: MODERATE, heartRateZone: ZONE, step: 6 }, { duration: min(23), rpeTarget: MODERATE, heartRateZone: ZONE, step: 6 }, 'duration 30 -> 23 min (75% of the pre-flare dose)'],
    ['mobility hold 30 -> 22.5 rounds to 25 s', 'mobility', { reps: 3, duration: sec(30) }, { reps: 3, duration: sec(25) }, 'hold 30 -> 25 s (75% of the pre-flare dose)'],
  ])('%s', (_name, domain, preFlare, expected, change) => {
    expectMoved(returnDose(preFlare, domain, 0.75), expected, [change]);
  });

  it('is the pre-flare dose itself when the fraction rounds back to it', () => {
    const preFlare = { duration: min(1), rpeTarget: MODERATE };
    expect(returnDose(preFlare, 'endurance', 0.75)).toEqual({ dose: preFlare, changes: [], atTop: true });
  });

  it.each([0, -0.5, 1.25, Number.NaN])('rejects the fraction %p', (fraction) => {
    expect(() => returnDose({ sets: 3, reps: 10 }, 'strength', fraction)).toThrow(RangeError);
  });
});

describe('returnStepDose: +10% of the pre-flare value, capped at it', () => {
  it.each<[string, Domain, Dose, Dose, Dose, string]>([
    ['strength 7.5 -> 8.5 kg', 'strength', { sets: 3, reps: 10, load: 7.5, step: 4 }, { sets: 3, reps: 10, load: 10, step: 4 }, { sets: 3, reps: 10, load: 8.5, step: 4 }, 'load 7.5 kg -> 8.5 kg (+10% of the pre-flare 10 kg)'],
    ['strength 9.5 kg stops at the pre-flare 10 kg', 'strength', { sets: 3, reps: 10, load: 9.5 }, { sets: 3, reps: 10, load: 10 }, { sets: 3, reps: 10, load: 10 }, 'load 9.5 kg -> 10 kg (+10% of the pre-flare 10 kg, capped at the pre-flare 10 kg)'],
    ['strength 4 -> 4.5 kg of a pre-flare 5 kg, exactly one unit', 'strength', { sets: 3, reps: 10, load: 4 }, { sets: 3, reps: 10, load: 5 }, { sets: 3, reps: 10, load: 4.5 }, 'load 4 kg -> 4.5 kg (+10% of the pre-flare 5 kg)'],
    ['strength no load: +0.3 rep widened to +1', 'strength', { sets: 3, reps: 2 }, { sets: 3, reps: 3 }, { sets: 3, reps: 3 }, 'reps 2 -> 3 (+10% of the pre-flare 3 reps, at least +1)'],
    ['endurance 23 -> 26 min, intensity kept', 'endurance', { duration: min(23), rpeTarget: MODERATE }, { duration: min(30), rpeTarget: MODERATE }, { duration: min(26), rpeTarget: MODERATE }, 'duration 23 -> 26 min (+10% of the pre-flare 30 min)'],
    ['endurance 29 min stops at 30', 'endurance', { duration: min(29) }, { duration: min(30) }, { duration: min(30) }, 'duration 29 -> 30 min (+10% of the pre-flare 30 min, capped at the pre-flare 30 min)'],
    ['mobility hold 25 -> 28 rounds to 30 s', 'mobility', { reps: 3, duration: sec(25) }, { reps: 3, duration: sec(30) }, { reps: 3, duration: sec(30) }, 'hold 25 -> 30 s (+10% of the pre-flare 30 s)'],
    ['neuromotor hold 15 -> 17 widened to 20 s', 'neuromotor', { duration: sec(15) }, { duration: sec(20) }, { duration: sec(20) }, 'hold 15 -> 20 s (+10% of the pre-flare 20 s, at least +5 s)'],
  ])('%s', (_name, domain, current, preFlare, expected, change) => {
    expectMoved(returnStepDose(current, preFlare, domain), expected, [change]);
  });

  it.each<[string, Domain, Dose, Dose]>([
    ['strength at the pre-flare load', 'strength', { sets: 3, reps: 10, load: 10, step: 4 }, { sets: 3, reps: 10, load: 10, step: 4 }],
    ['endurance at the pre-flare duration', 'endurance', { duration: min(30) }, { duration: min(30) }],
  ])('is at the top: %s', (_name, domain, current, preFlare) => {
    expect(returnStepDose(current, preFlare, domain)).toEqual({ dose: current, changes: [], atTop: true });
  });

  it.each<[Domain, Dose]>([
    ['strength', { sets: 3, reps: 12, load: 17.5, step: 6 }],
    ['strength', { sets: 2, reps: 9, step: 3 }],
    ['endurance', { duration: min(37), rpeTarget: MODERATE, heartRateZone: ZONE, step: 5 }],
    ['mobility', { reps: 3, duration: sec(45), step: 2 }],
    ['neuromotor', { reps: 7 }],
  ])('%s: flare, return at 75% and steps lead back to exactly the pre-flare dose %j', (domain, preFlare) => {
    let current = returnDose(preFlare, domain, 0.75).dose;
    for (let i = 0; i < 10; i++) {
      const next = returnStepDose(current, preFlare, domain);
      if (next.atTop) break;
      expect(isLower(current, next.dose, domain)).toBe(true);
      current = next.dose;
    }
    expect(sameDose(current, preFlare)).toBe(true);
  });
});

describe('every function leaves its inputs untouched', () => {
  const dose: Dose = deepFreeze({ sets: 3, reps: 10, load: 5, duration: min(20), rpeTarget: MODERATE, heartRateZone: ZONE, step: 2 });
  it.each<[string, () => DoseChange]>([
    ['progressDose', () => progressDose(dose, 'strength', { twoForTwo: true })],
    ['regressDose', () => regressDose(dose, 'endurance')],
    ['flareDose', () => flareDose(dose, 'endurance', { lightZone: deepFreeze({ ...LIGHT_ZONE }) })],
    ['deloadDose', () => deloadDose(dose, 'strength')],
    ['returnDose', () => returnDose(dose, 'endurance', 0.75)],
    ['returnStepDose', () => returnStepDose(deepFreeze({ ...dose, load: 2 }), dose, 'strength')],
  ])('%s', (_name, run) => {
    const result = run();
    expect(result.dose).not.toBe(dose);
    result.dose.rpeTarget!.low = 0;
    expect(dose.rpeTarget?.low).toBe(4);
  });
});

describe('properties over random doses', () => {
  const domain = fc.constantFrom<Domain>('strength', 'endurance', 'mobility', 'neuromotor');
  const count = (max: number) => fc.option(fc.integer({ min: 1, max }), { nil: undefined });
  const dose = fc
    .record({
      sets: count(5),
      reps: count(25),
      load: fc.option(fc.integer({ min: 1, max: 120 }).map((k) => k / 2), { nil: undefined }),
      duration: fc.option(
        fc.oneof(fc.integer({ min: 1, max: 90 }).map(min), fc.integer({ min: 1, max: 40 }).map((k) => sec(k * 5))),
        { nil: undefined },
      ),
      step: count(12),
    })
    .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as Dose)
    .filter((d) => d.reps !== undefined || d.duration !== undefined);

  it('progress raises the dose (or is at the top) and adds one step', () => {
    fc.assert(
      fc.property(dose, domain, fc.boolean(), (d, dom, twoForTwo) => {
        const r = progressDose(d, dom, { twoForTwo });
        if (r.atTop) return expect(r.dose).toEqual(d);
        expect(isLower(d, r.dose, dom)).toBe(true);
        // One phrase per moved variable: one, or two for double progression (load and reps).
        expect(r.changes.length).toBe(d.load !== undefined && r.dose.reps !== d.reps && r.dose.load !== d.load ? 2 : 1);
        expect(r.dose.step).toBe((d.step ?? 1) + 1);
      }),
    );
  });

  it('regress lowers the dose (or is at the bottom) and never takes step below 1', () => {
    fc.assert(
      fc.property(dose, domain, (d, dom) => {
        const r = regressDose(d, dom);
        if (r.atTop) return expect(r.dose).toEqual(d);
        expect(isLower(r.dose, d, dom)).toBe(true);
        expect(r.dose.step ?? 1).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('flare and deload never raise the dose and keep the step', () => {
    fc.assert(
      fc.property(dose, domain, (d, dom) => {
        for (const r of [flareDose(d, dom), deloadDose(d, dom)]) {
          expect(isLower(d, r.dose, dom)).toBe(false);
          expect(r.dose.step).toBe(d.step);
        }
      }),
    );
  });
});
