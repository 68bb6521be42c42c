/** The one builder of test data: its clock, its three presets (history, scenario, published) and what they write. */
import type { Bundle, CarePlan, Observation, Patient, ServiceRequest } from 'fhir/r4';
import { CS, PHASES, PROFILE } from '../../../src/fhir/codes';
import { DEMO_PATIENTS } from '../demo-patients';
import { examplePatientBundle } from '../example-patient';
import { generateHistory } from '../generate';
import { resources } from '../inspect';
import { validationErrors } from '../validity';
import { at, DayClock, extendHistory, history, NOW as UNIT_NOW, PUBLISHED, scenario } from '.';
import { minutesLater } from './clock';

const NOW = '2026-11-27T09:00:00+01:00';

const problems = validationErrors;

describe('DayClock', () => {
  it.each([
    ['2026-11-27T09:00:00+01:00', 0, '2026-11-27'],
    ['2026-11-27T09:00:00+01:00', 27, '2026-10-31'],
    ['2026-03-01T21:30:00-05:00', 1, '2026-02-28'],
    ['2028-03-01T00:10:00Z', 1, '2028-02-29'],
  ])('counts day k back from the date of %s in its own offset (k=%i -> %s)', (now, day, date) => {
    expect(new DayClock(now).date(day)).toBe(date);
  });

  it('never places a day-0 record after now, and keeps now’s offset', () => {
    const clock = new DayClock('2026-11-27T07:00:00-05:00');
    expect(clock.at(0, '17:30')).toBe('2026-11-27T06:30:00-05:00');
    expect(clock.at(1, '17:30')).toBe('2026-11-26T17:30:00-05:00');
    expect(clock.dayOf('2026-11-20T23:59:00+09:00')).toBe(7);
  });

  it.each([
    ['2026-11-27T17:30:00+01:00', 30, '2026-11-27T18:00:00+01:00'],
    ['2026-11-27T23:50:00-05:00', 25, '2026-11-28T00:15:00-05:00'],
    ['2026-11-27T10:00:00Z', 90, '2026-11-27T11:30:00+00:00'],
  ])('writes %s + %i min in the same offset', (start, minutes, end) => {
    expect(minutesLater(start, minutes)).toBe(end);
  });
});

describe('history builder', () => {
  const build = (): Bundle =>
    history({ now: NOW, planStart: 20, phase: 'build', restingHeartRate: 60 })
      .order({ id: 'a', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 8, step: 1 }, authoredOn: 20 })
      .order({ id: 'b', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 8.5, step: 2 }, authoredOn: 10, replaces: 'a' })
      .checkIns(3, 0, { pain: 2, fatigue: 3 })
      .session('b', 2, { painDuring: 2, painAfter: 1, reps: 12, asPeriod: 25 })
      .painScore(1, 3, { asQuantity: true })
      .alert(1, 'fever', false)
      .toleranceTest('b', 1, 12, '{repetitions}')
      .build();

  it('is deterministic: the same calls give the same Bundle', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  it('completes replaced orders, lists only current ones in the plan, and versions plan and orders', () => {
    const b = build();
    const orders = resources<ServiceRequest>(b, 'ServiceRequest');
    expect(orders.map((o) => [o.id, o.status, o.meta?.versionId])).toEqual([
      ['a', 'completed', '1'],
      ['b', 'active', '1'],
    ]);
    const [plan] = resources<CarePlan>(b, 'CarePlan');
    expect(plan?.activity?.map((a) => a.reference?.reference)).toEqual(['ServiceRequest/b']);
    expect(plan?.meta?.versionId).toBe('1');
  });

  it('gives every entry a server-style fullUrl and every Observation its subject', () => {
    const b = build();
    for (const e of b.entry ?? []) expect(e.fullUrl).toBe(`https://example.org/fhir/${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`);
    for (const o of resources<Observation>(b, 'Observation')) expect(o.subject?.reference).toBe('Patient/patient-1');
  });

  it('continues ids after the existing ones when later days are added', () => {
    const later = extendHistory(build(), { now: '2026-11-29T09:00:00+01:00' }).checkIn(0, { pain: 1 }).build();
    const ids = resources(later, 'Observation').map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('checkin-5');
    expect(later.timestamp).toBe('2026-11-29T09:00:00+01:00');
  });

  it('writes resources that validate against the Gradus profiles', () => {
    expect(problems(build())).toEqual([]);
  });

  it.each(Object.keys(DEMO_PATIENTS))('demo patient %s validates against the Gradus profiles', (name) => {
    const make = DEMO_PATIENTS[name];
    expect(make && problems(make())).toEqual([]);
  });
});

describe('scenario (the engine unit tests)', () => {
  const bundle = (): Bundle =>
    scenario()
      .order({ id: 's1', exercise: 'sit-to-stand', dose: { sets: 3, reps: 10, load: 5 } })
      .order({ id: 'w', exercise: 'walking', dose: { duration: { value: 20, unit: 'min' } }, authoredOn: at(4, '18:00') })
      .session('s1', 3, { painDuring: 2 })
      .painScores({ 2: 3, 1: 4 })
      .checkIn(1, { fatigue: 5 })
      .build();

  it('numbers Observations across kinds, for Patient/p1 and plan `plan`, at the unit tests\' times', () => {
    const b = bundle();
    expect(b.timestamp).toBe(UNIT_NOW);
    expect(resources<Observation>(b, 'Observation').map((o) => [o.id, o.effectiveDateTime, o.subject?.reference])).toEqual([
      ['o1', '2026-11-17T17:00:00+01:00', 'Patient/p1'],
      ['o2', '2026-11-19T07:30:00+01:00', 'Patient/p1'],
      ['o3', '2026-11-18T07:30:00+01:00', 'Patient/p1'],
      ['o4', '2026-11-19T07:00:00+01:00', 'Patient/p1'],
    ]);
    expect(resources<CarePlan>(b, 'CarePlan')[0]?.id).toBe('plan');
    expect(resources<Patient>(b, 'Patient')).toEqual([{ resourceType: 'Patient', id: 'p1', birthDate: '1970-05-01' }]);
  });

  it('names each exercise by its code, takes the catalogue domain, and authors orders on day 10 at 09:00 by default', () => {
    const [s1, w] = resources<ServiceRequest>(bundle(), 'ServiceRequest');
    expect(s1?.code?.coding).toEqual([{ system: CS.exercise, code: 'sit-to-stand', display: 'sit-to-stand' }]);
    expect(s1?.authoredOn).toBe('2026-11-10T09:00:00+01:00');
    expect(w?.authoredOn).toBe('2026-11-16T18:00:00+01:00');
    expect(w?.category?.[1]?.coding?.[0]?.code).toBe('endurance');
  });

  it('changes and removes plan and patient settings after the start', () => {
    const b = scenario().plan({ phaseSince: undefined, phase: 'deload' }).patient({ birthDate: undefined }).build();
    const plan = resources<CarePlan>(b, 'CarePlan')[0];
    expect(plan?.extension?.map((e) => e.valueCode ?? e.valueDateTime)).toEqual(['deload']);
    expect(resources<Patient>(b, 'Patient')[0]?.birthDate).toBeUndefined();
  });

  it('writes resources that validate against the Gradus profiles', () => {
    expect(problems(bundle())).toEqual([]);
  });
});

describe('the published style (examples/patient-bundle.json)', () => {
  it('is deterministic and validates against the Gradus profiles', () => {
    expect(JSON.stringify(examplePatientBundle())).toBe(JSON.stringify(examplePatientBundle()));
    expect(problems(examplePatientBundle())).toEqual([]);
  });

  it('shows displays, the patient\'s name, narratives and no server version', () => {
    const b = history({ now: NOW, planStart: 20, phase: 'build', phaseSince: 20 }, PUBLISHED)
      .order({ id: 'a', exercise: 'step-up', dose: { sets: 3, reps: 10, load: 8 }, authoredOn: 20 })
      .session('a', 2, { sets: 3, reps: 11, load: 8, heartRate: 120, asPeriod: 20 })
      .build();
    const [order] = resources<ServiceRequest>(b, 'ServiceRequest');
    expect(order?.meta).toEqual({ profile: [PROFILE.exerciseOrder] });
    expect(order?.code?.coding?.[0]?.display).toBe('Step-up');
    expect(order?.category?.[1]?.coding?.[0]?.display).toBe('Strength');
    const [session] = resources<Observation>(b, 'Observation');
    expect(Object.keys(session ?? {})).toEqual(['resourceType', 'id', 'meta', 'text', 'basedOn', 'status', 'category', 'code', 'subject', 'effectivePeriod', 'component']);
    expect(session?.subject).toEqual({ reference: 'Patient/patient-1', display: 'Alex Example' });
    expect(session?.text?.div).toContain('Step-up session 2026-11-25: sets 3, reps in last set 11, load 8 kg, mean heart rate 120 beats/minute.');
    expect(session?.effectivePeriod).toEqual({ start: '2026-11-25T17:30:00+01:00', end: '2026-11-25T17:50:00+01:00' });
    expect(problems(b)).toEqual([]);
  });
});

describe('generateHistory', () => {
  it('gives about 150 Observations for 12 weeks, the same for the same seed', () => {
    const a = generateHistory({ seed: 7 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(generateHistory({ seed: 7 })));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(generateHistory({ seed: 8 })));
    const count = resources(a, 'Observation').length;
    expect(count).toBeGreaterThan(110);
    expect(count).toBeLessThan(200);
  });

  it.each(PHASES)('generates a valid history in phase %s', (phase) => {
    const b = generateHistory({ seed: 11, phase, domains: ['strength', 'endurance', 'mobility', 'neuromotor'], heartRate: true, quantityPain: true, alert: true });
    expect(problems(b)).toEqual([]);
  });
});
