import type { Extension, ServiceRequest } from 'fhir/r4';
import fc from 'fast-check';
import { EXT, UCUM } from '../../fhir/codes';
import { describeDose, doseExtension, isLower, primaryVariable, readDose, sameDose } from './dose';
import type { Domain, Dose } from '../types';

const min = (value: number) => ({ value, unit: 'min' as const });
const sec = (value: number) => ({ value, unit: 's' as const });

function order(...extension: Extension[]): ServiceRequest {
  return { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, extension };
}

const FULL: Dose = {
  sets: 3,
  reps: 12,
  load: 5.5,
  duration: sec(30),
  heartRateZone: { low: 110, high: 130 },
  rpeTarget: { low: 4, high: 6 },
  step: 2,
};

describe('doseExtension', () => {
  it('writes every part with UCUM units, in the fixed order sets, reps, load, duration, heartRateZone, rpeTarget, step', () => {
    const q = (value: number, code: string) => ({ value, unit: code, system: UCUM, code });
    expect(doseExtension(FULL)).toEqual({
      url: EXT.exerciseDose,
      extension: [
        { url: 'sets', valueInteger: 3 },
        { url: 'reps', valueInteger: 12 },
        { url: 'load', valueQuantity: q(5.5, 'kg') },
        { url: 'duration', valueQuantity: q(30, 's') },
        { url: 'heartRateZone', valueRange: { low: q(110, '/min'), high: q(130, '/min') } },
        { url: 'rpeTarget', valueRange: { low: q(4, '{score}'), high: q(6, '{score}') } },
        { url: 'step', valueInteger: 2 },
      ],
    });
  });

  it('omits absent parts', () => {
    expect(doseExtension({ duration: min(20), step: 1 }).extension?.map((e) => e.url)).toEqual(['duration', 'step']);
    expect(doseExtension({ duration: min(20) }).extension?.[0]?.valueQuantity?.code).toBe('min');
  });
});

describe('readDose', () => {
  it.each<[string, Dose]>([
    ['a full dose', FULL],
    ['sets and reps', { sets: 3, reps: 10 }],
    ['an endurance dose', { duration: min(20), rpeTarget: { low: 4, high: 6 }, step: 3 }],
    ['a hold', { reps: 3, duration: sec(30) }],
    ['a fractional load', { sets: 2, reps: 8, load: 2.5 }],
  ])('reads back what doseExtension wrote: %s', (_name, dose) => {
    expect(readDose(order(doseExtension(dose)))).toEqual(dose);
  });

  it('reads back any dose doseExtension wrote', () => {
    const count = fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined });
    const range = fc.option(
      fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 50 })).map(([low, w]) => ({ low, high: low + w })),
      { nil: undefined },
    );
    const dose = fc
      .record({
        sets: count,
        reps: count,
        load: fc.option(fc.integer({ min: 1, max: 200 }).map((k) => k / 2), { nil: undefined }),
        duration: fc.option(fc.record({ value: fc.integer({ min: 1, max: 600 }), unit: fc.constantFrom<'min' | 's'>('min', 's') }), {
          nil: undefined,
        }),
        heartRateZone: range,
        rpeTarget: range,
        step: count,
      })
      .map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as Dose)
      .filter((d) => d.sets !== undefined || d.reps !== undefined || d.duration !== undefined);
    fc.assert(fc.property(dose, (d) => expect(readDose(order(doseExtension(d)))).toEqual(d)));
  });

  it.each<[string, ServiceRequest]>([
    ['the order has no extension', order()],
    ['the order has only other extensions', order({ url: EXT.progressionPhase, valueCode: 'build' })],
    ['the dose has none of sets, reps or duration', order(doseExtension({ load: 5, step: 1 }))],
    ['the dose has load and intensity only', order(doseExtension({ load: 5, rpeTarget: { low: 4, high: 6 } }))],
    ['sets come in the wrong type', order({ url: EXT.exerciseDose, extension: [{ url: 'sets', valueString: '3' }] })],
  ])('is undefined when %s', (_name, sr) => {
    expect(readDose(sr)).toBeUndefined();
  });

  it('leaves out parts with a unit the contract does not allow, and unknown sub-extensions', () => {
    const ext: Extension = {
      url: EXT.exerciseDose,
      extension: [
        { url: 'reps', valueInteger: 10 },
        { url: 'load', valueQuantity: { value: 10, system: UCUM, code: '[lb_av]' } },
        { url: 'duration', valueQuantity: { value: 1, system: UCUM, code: 'h' } },
        { url: 'heartRateZone', valueRange: { low: { value: 100, system: UCUM, code: '/min' } } },
        { url: 'tempo', valueString: '3-1-1' },
      ],
    };
    expect(readDose(order(ext))).toEqual({ reps: 10 });
  });

  it('accepts a unit given only as display text when there is no code', () => {
    const ext: Extension = {
      url: EXT.exerciseDose,
      extension: [{ url: 'duration', valueQuantity: { value: 30, unit: 's' } }],
    };
    expect(readDose(order(ext))).toEqual({ duration: sec(30) });
  });
});

describe('describeDose', () => {
  it.each<[Dose, string]>([
    [{ sets: 3, reps: 12, load: 5 }, '3 x 12 at 5 kg'],
    [{ sets: 3, reps: 10 }, '3 x 10'],
    [{ duration: min(20) }, '20 min'],
    [{ sets: 3, duration: sec(30) }, '3 x 30 s hold'],
    [{ reps: 3, duration: sec(30) }, '3 x 30 s hold'],
    [{ sets: 2, reps: 5, duration: sec(10) }, '2 x 5 x 10 s hold'],
    [{ sets: 3, reps: 8, load: 2.5 }, '3 x 8 at 2.5 kg'],
    [{ reps: 12 }, '12 reps'],
    [{ sets: 2 }, '2 sets'],
    [{ duration: min(20), rpeTarget: { low: 4, high: 6 } }, '20 min (RPE 4-6)'],
    [{ duration: min(20), heartRateZone: { low: 110, high: 130 } }, '20 min (HR 110-130/min)'],
    [{ duration: min(20), rpeTarget: { low: 2, high: 3 }, heartRateZone: { low: 101, high: 110 } }, '20 min (RPE 2-3, HR 101-110/min)'],
    [{ duration: min(15), rpeTarget: { low: 5, high: 5 } }, '15 min (RPE 5)'],
  ])('%j reads "%s"', (dose, text) => {
    expect(describeDose(dose)).toBe(text);
  });
});

describe('primaryVariable', () => {
  it.each<[Domain, Dose, string]>([
    ['strength', { sets: 3, reps: 10, load: 5 }, 'load'],
    ['strength', { sets: 3, reps: 10 }, 'reps'],
    ['strength', { sets: 3, duration: sec(30) }, 'duration'],
    ['endurance', { duration: min(20), rpeTarget: { low: 4, high: 6 } }, 'duration'],
    ['endurance', { reps: 20 }, 'reps'],
    ['mobility', { reps: 3, duration: sec(30) }, 'duration'],
    ['mobility', { sets: 2, reps: 10 }, 'reps'],
    ['neuromotor', { duration: sec(20) }, 'duration'],
    ['neuromotor', { reps: 8 }, 'reps'],
  ])('%s %j -> %s', (domain, dose, variable) => {
    expect(primaryVariable(dose, domain)).toBe(variable);
  });
});

describe('isLower orders doses as the regress rule does', () => {
  it.each<[string, Domain, Dose, Dose, boolean]>([
    ['strength: lower load wins over more reps', 'strength', { sets: 3, reps: 15, load: 4.5 }, { sets: 1, reps: 5, load: 5 }, true],
    ['strength: higher load is not lower', 'strength', { sets: 1, reps: 5, load: 5.5 }, { sets: 3, reps: 15, load: 5 }, false],
    ['strength: same load, fewer reps', 'strength', { sets: 3, reps: 10, load: 5 }, { sets: 3, reps: 12, load: 5 }, true],
    ['strength: same load and reps, fewer sets', 'strength', { sets: 2, reps: 12, load: 5 }, { sets: 3, reps: 12, load: 5 }, true],
    ['strength: equal doses', 'strength', { sets: 3, reps: 12, load: 5 }, { sets: 3, reps: 12, load: 5 }, false],
    ['strength: no load is lower than a load', 'strength', { sets: 3, reps: 15 }, { sets: 3, reps: 10, load: 1 }, true],
    ['strength: absent sets count as 1', 'strength', { reps: 10 }, { sets: 2, reps: 10 }, true],
    ['endurance: shorter duration', 'endurance', { duration: min(18) }, { duration: min(20) }, true],
    ['endurance without durations: fewer reps (tie-breaker)', 'endurance', { reps: 10 }, { reps: 12 }, true],
    ['strength hold: shorter hold (tie-breaker)', 'strength', { sets: 3, duration: sec(25) }, { sets: 3, duration: sec(30) }, true],
    ['endurance: intensity does not count', 'endurance', { duration: min(20), rpeTarget: { low: 2, high: 3 } }, { duration: min(20) }, false],
    ['mobility: shorter hold wins over more reps', 'mobility', { reps: 5, duration: sec(25) }, { reps: 3, duration: sec(30) }, true],
    ['mobility: same hold, fewer reps', 'mobility', { reps: 2, duration: sec(30) }, { reps: 3, duration: sec(30) }, true],
    ['mobility: same hold, more reps', 'mobility', { reps: 4, duration: sec(30) }, { reps: 3, duration: sec(30) }, false],
    ['neuromotor: 1 min is not lower than 60 s', 'neuromotor', { duration: min(1) }, { duration: sec(60) }, false],
    ['neuromotor: 55 s is lower than 1 min', 'neuromotor', { duration: sec(55) }, { duration: min(1) }, true],
  ])('%s -> %p', (_name, domain, a, b, expected) => {
    expect(isLower(a, b, domain)).toBe(expected);
  });
});

describe('sameDose', () => {
  it.each<[string, Dose, Dose, boolean]>([
    ['identical doses', FULL, { ...FULL }, true],
    ['absent step and step 1', { sets: 3, reps: 10 }, { sets: 3, reps: 10, step: 1 }, true],
    ['1 min and 60 s', { duration: min(1) }, { duration: sec(60) }, true],
    ['different step', { sets: 3, reps: 10, step: 2 }, { sets: 3, reps: 10, step: 3 }, false],
    ['different reps', { sets: 3, reps: 10 }, { sets: 3, reps: 12 }, false],
    ['a load on one side only', { sets: 3, reps: 10 }, { sets: 3, reps: 10, load: 5 }, false],
    ['a duration on one side only', { reps: 3 }, { reps: 3, duration: sec(30) }, false],
    ['different heart-rate zones', { duration: min(20), heartRateZone: { low: 100, high: 120 } }, { duration: min(20), heartRateZone: { low: 101, high: 120 } }, false],
    ['an RPE target on one side only', { duration: min(20) }, { duration: min(20), rpeTarget: { low: 2, high: 3 } }, false],
  ])('%s -> %p', (_name, a, b, expected) => {
    expect(sameDose(a, b)).toBe(expected);
    expect(sameDose(b, a)).toBe(expected);
  });
});
