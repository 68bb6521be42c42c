import type { Bundle, CarePlan, Observation, ServiceRequest } from 'fhir/r4';
import { PHASES } from '../../src/fhir/codes';
import { DayClock } from './dates';
import { DEMO_PATIENTS } from './demo-patients';
import { generateHistory } from './generate';
import { extendHistory, history } from './history';
import { resources } from './inspect';
import { validationErrors } from './validity';

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
