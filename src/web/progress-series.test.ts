import type { Observation, ObservationComponent } from 'fhir/r4';
import { CS, GRADUS_CODE, LOINC, LOINC_CODE } from '../fhir/codes';
import type { Dose } from '../progression';
import type { OrderView, PlanView } from './plan-view';
import { doseVolume, MAX_DAYS, progressSeries } from './progress-series';

const component = (system: string, code: string, value: number): ObservationComponent => ({ code: { coding: [{ system, code }] }, valueInteger: value });
const checkIn = (at: string, pain: number, fatigue?: number, status: Observation['status'] = 'final'): Observation => ({
  resourceType: 'Observation',
  status,
  code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.dailyCheckIn }] },
  effectiveDateTime: at,
  component: [component(LOINC, LOINC_CODE.pain, pain), ...(fatigue !== undefined ? [component(CS.gradus, GRADUS_CODE.fatigue, fatigue)] : [])],
});
const painScore = (at: string, value: number, asQuantity = false): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: LOINC, code: LOINC_CODE.pain }] },
  effectiveDateTime: at,
  ...(asQuantity ? { valueQuantity: { value, code: '{score}' } } : { valueInteger: value }),
});
const session = (orderId: string, at: string, rpe: number): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.exerciseSession }] },
  basedOn: [{ reference: `ServiceRequest/${orderId}` }],
  effectivePeriod: { start: at },
  component: [component(LOINC, LOINC_CODE.rpe, rpe)],
});
const order = (id: string, since: string, dose: Dose, replaces: string[] = []): OrderView => ({ id, exercise: id, status: 'active', since, dose, days: [], replaces });

const squat = [order('squat-1', '2026-11-01', { sets: 3, reps: 10, load: 10 }), order('squat-2', '2026-11-03', { sets: 3, reps: 10, load: 11 }, ['squat-1'])];
const walk = [order('walk', '2026-11-02', { duration: { value: 20, unit: 'min' } })];

function plan(observations: Observation[], start = '2026-11-01'): PlanView {
  return { id: 'p', patientId: 'x', patientName: 'X', status: 'active', start, current: [], chains: [{ label: 'Squat', orders: squat }, { label: 'Walk', orders: walk }], observations };
}

describe('the daily series', () => {
  it.each<[string, Observation[], string]>([
    ['pain is the day\'s earliest rating, from a check-in or a stand-alone score', [checkIn('2026-11-02T07:30:00+01:00', 3), painScore('2026-11-02T06:00:00+01:00', 5), painScore('2026-11-02T20:00:00+01:00', 8)], 'pain 2026-11-02=5'],
    ['a pain score as a Quantity counts', [painScore('2026-11-03T12:00:00+01:00', 4, true)], 'pain 2026-11-03=4'],
    ['a day is the calendar date in the value\'s own offset', [checkIn('2026-11-01T23:00:00-08:00', 6)], 'pain 2026-11-01=6'],
    ['entered-in-error is left out', [checkIn('2026-11-02T07:30:00+01:00', 9, 9, 'entered-in-error')], ''],
    ['fatigue comes from the check-in', [checkIn('2026-11-02T07:30:00+01:00', 2, 4)], 'pain 2026-11-02=2; fatigue 2026-11-02=4'],
    ['exertion is the mean session RPE of the day, of the plan\'s orders only', [session('squat-1', '2026-11-02T17:00:00+01:00', 4), session('walk', '2026-11-02T19:00:00+01:00', 7), session('other', '2026-11-02T19:00:00+01:00', 1)], 'exertion 2026-11-02=5.5'],
  ])('%s', (_what, observations, expected) => {
    const { days } = progressSeries(plan(observations), '2026-11-03');
    const shown = (['pain', 'fatigue', 'exertion'] as const).flatMap((k) => days.filter((d) => d[k] !== undefined).map((d) => `${k} ${d.date}=${d[k] ?? ''}`));
    expect(shown.join('; ')).toBe(expected);
  });

  it('runs from period.start to today, day 1 first', () => {
    const { days } = progressSeries(plan([]), '2026-11-03');
    expect(days.map((d) => `${d.day}:${d.date}`)).toEqual(['1:2026-11-01', '2:2026-11-02', '3:2026-11-03']);
  });

  it(`shows at most the last ${MAX_DAYS} days of a longer program`, () => {
    const { days } = progressSeries(plan([], '2024-01-01'), '2026-11-03');
    expect(days).toHaveLength(MAX_DAYS);
    expect(days.at(-1)?.date).toBe('2026-11-03');
    expect(days[0]?.day).toBe(days.at(-1)!.day - MAX_DAYS + 1);
  });
});

describe('the dose lines', () => {
  it('step from one order of a chain to the next on the day its dose took effect, as a share of the first dose', () => {
    const { doses } = progressSeries(plan([]), '2026-11-04');
    expect(doses.map((d) => [d.label, d.percent])).toEqual([
      ['Squat', [100, 100, 110, 110]],
      ['Walk', [null, 100, 100, 100]],
    ]);
    expect(doses[0]?.text[2]).toBe('3 x 10 at 11 kg');
  });

  it.each<[Dose | undefined, number | undefined]>([
    [{ sets: 3, reps: 10, load: 7.5 }, 225],
    [{ sets: 3, reps: 10 }, 30],
    [{ duration: { value: 20, unit: 'min' } }, 1200],
    [{ sets: 3, duration: { value: 30, unit: 's' } }, 90],
    [{ sets: 2, reps: 10, load: 0 }, 20],
    [{}, undefined],
    [undefined, undefined],
  ])('the volume of %j is %j', (dose, volume) => {
    expect(doseVolume(dose)).toBe(volume);
  });
});
