import { karvonenZone } from '../dose/intensity';
import type { Dose, Phase } from '../types';
import { flat, NOW, scenario, type HistoryBuilder, type PlanOptions } from '../../../test/support/builder';
import { orderOf, run } from '../../../test/support/evaluate';

const LOADED: Dose = { sets: 3, reps: 10, load: 10, step: 4 };
const WALK: Dose = { duration: { value: 30, unit: 'min' }, rpeTarget: { low: 4, high: 6 }, heartRateZone: { low: 110, high: 130 }, step: 3 };
const STRETCH: Dose = { sets: 2, duration: { value: 30, unit: 's' }, step: 2 };

/** B = 3 from days 7-20; a strength, an endurance and a mobility order. */
function program(pains: Record<number, number> = {}, phase: Phase = 'build'): HistoryBuilder {
  return scenario()
    .plan({ phase })
    .painScores({ ...flat(3, 7, 20), ...pains })
    .order({ id: 'str', dose: LOADED })
    .order({ id: 'end', domain: 'endurance', dose: WALK })
    .order({ id: 'mob', domain: 'mobility', dose: STRETCH });
}

describe('rule 1: red flag', () => {
  it.each<[string, number, boolean, boolean]>([
    ['an alert on day 13 refers', 13, true, true],
    ['an alert on day 14 does not', 14, true, false],
    ['an alert with value false does not', 2, false, false],
  ])('%s', (_name, day, present, refers) => {
    const out = run(program().alert(day, 'chest-pain', present));
    expect(out.plan.decision === 'refer').toBe(refers);
  });

  it('refers: phase referred, every current order on hold, the alert cited', () => {
    const out = run(program().alert(2, 'syncope-or-dizziness'));
    expect(out.plan).toMatchObject({ phaseFrom: 'build', phaseTo: 'referred', decision: 'refer' });
    expect(out.plan.rationale).toBe('Referred: red-flag symptom reported in the last 14 days: syncope-or-dizziness on 2026-11-18; clinician review needed');
    expect(out.orders.map((o) => [o.orderId, o.decision, o.newStatus, o.newDose])).toEqual([
      ['end', 'refer', 'on-hold', undefined],
      ['mob', 'refer', 'on-hold', undefined],
      ['str', 'refer', 'on-hold', undefined],
    ]);
    expect(out.orders[0]?.evidence).toEqual(['Observation/o15']);
  });

  it('fires before a flare and in any phase but referred', () => {
    expect(run(program({ 1: 9, 0: 9 }).alert(1)).plan.decision).toBe('refer');
    expect(run(program({}, 'flare').plan({ referencePain: 3, phaseSince: 2 }).alert(1)).plan.decision).toBe('refer');
    expect(run(program({}, 'baseline').alert(1)).plan.decision).toBe('refer');
  });
});

describe('phase referred', () => {
  it('changes nothing even with a red flag or a flare', () => {
    const out = run(program({ 1: 9, 0: 9 }, 'referred').alert(0));
    expect(out.plan).toEqual({ phaseFrom: 'referred', phaseTo: 'referred' });
    expect(out.orders.every((o) => o.decision === 'hold' && o.newDose === undefined && o.newStatus === undefined)).toBe(true);
    expect(out.orders[0]?.rationale).toBe('Held: the plan is referred: only a clinician can resume it');
  });
});

describe('rule 2: flare', () => {
  it.each<[string, Record<number, number>, Partial<PlanOptions>, boolean]>([
    ['B + 2 on 2 consecutive days fires', { 1: 5, 0: 5 }, {}, true],
    ['B + 1.9 does not', { 1: 5, 0: 5 }, { referencePain: 3.1 }, false],
    ['one day only does not', { 1: 3, 0: 9 }, {}, false],
    ['two days that are not consecutive do not', { 2: 6, 1: 3, 0: 6 }, {}, false],
    ['days 6 and 5 are in the last 7 days', { 6: 6, 5: 6 }, {}, true],
    ['days 7 and 6 are not both in the last 7 days', { 7: 6, 6: 6 }, {}, false],
    ['days on the phase start count', { 3: 6, 2: 6 }, { phaseSince: 3 }, true],
    ['days before the phase start do not', { 4: 6, 3: 6 }, { phaseSince: 3 }, false],
  ])('%s', (_name, pains, plan, fires) => {
    const out = run(program(pains).plan(plan));
    expect(out.plan.decision === 'flare-protocol').toBe(fires);
  });

  it('halves strength load and endurance duration at light intensity, leaves mobility unchanged', () => {
    const out = run(program({ 1: 5, 0: 6 }).restingHeartRate(3, 60));
    const light = karvonenZone({ age: 56, restingHeartRate: 60, zone: 'light' });
    expect(out.plan).toEqual({
      phaseFrom: 'build',
      phaseTo: 'flare',
      decision: 'flare-protocol',
      rationale: 'Flare: daily pain 5/10 on 2026-11-19 and 6/10 on 2026-11-20 >= B + 2 = 5; B = 3 (mean daily pain, days 7-20); reference pain 3 kept until the return to build',
      referencePain: 3,
      flareSince: NOW,
    });
    expect(orderOf(out, 'str')).toMatchObject({ decision: 'flare-protocol', newDose: { sets: 3, reps: 10, load: 5, step: 4 } });
    expect(orderOf(out, 'str').rationale).toMatch(/^Flare protocol: daily pain 5\/10 on 2026-11-19 and 6\/10 on 2026-11-20 >= B \+ 2 = 5; B = 3 \(mean daily pain, days 7-20\); load 10 kg -> 5 kg: -50% \(flare protocol, a design choice\)$/);
    expect(orderOf(out, 'end').newDose).toEqual({ duration: { value: 15, unit: 'min' }, rpeTarget: { low: 2, high: 3 }, heartRateZone: light, step: 3 });
    expect(orderOf(out, 'end').evidence).toEqual(['Observation/o2', 'Observation/o1', 'Observation/o17']);
    expect(orderOf(out, 'mob')).toMatchObject({ decision: 'flare-protocol', rationale: expect.stringMatching(/mobility dose unchanged \(2 x 30 s hold\)$/) as string });
    expect(orderOf(out, 'mob').newDose).toBeUndefined();
  });

  it('drops the heart-rate zone when no resting heart rate is on record', () => {
    const out = run(program({ 1: 5, 0: 5 }));
    expect(orderOf(out, 'end').newDose?.heartRateZone).toBeUndefined();
    expect(orderOf(out, 'end').newDose?.rpeTarget).toEqual({ low: 2, high: 3 });
  });

  it('drops the zone when the age is unknown', () => {
    const out = run(program({ 1: 5, 0: 5 }).restingHeartRate(3, 60).patient({ birthDate: undefined }));
    expect(orderOf(out, 'end').newDose?.heartRateZone).toBeUndefined();
  });

  it('writes the unrounded B rounded to 2 decimals into reference-pain', () => {
    const out = run(program({ 1: 6, 0: 6, 20: 4 }));
    expect(out.plan.referencePain).toBe(3.07);
  });

  it('interrupts a return-to-load, counting only days since its start', () => {
    const rtl = (since: number) => program({ 2: 6, 1: 6 }, 'return-to-load').plan({ phaseSince: since, referencePain: 3, flareSince: 12 });
    expect(run(rtl(2)).plan).toMatchObject({ phaseTo: 'flare', decision: 'flare-protocol', flareSince: NOW });
    expect(run(rtl(1)).plan.decision).not.toBe('flare-protocol');
  });

  it('does not fire without B', () => {
    const out = run(scenario().painScores({ 1: 9, 0: 9 }).order({ id: 'str', dose: LOADED }));
    expect(out.plan.decision).toBeUndefined();
    expect(orderOf(out, 'str').rationale).toBe('Held: no baseline pain on record');
  });

  it('fires in phase baseline and deload too', () => {
    expect(run(program({ 1: 6, 0: 6 }, 'baseline')).plan.phaseTo).toBe('flare');
    expect(run(program({ 1: 6, 0: 6 }, 'deload').plan({ phaseSince: 3 })).plan.phaseTo).toBe('flare');
  });
});
