import type { Observation } from 'fhir/r4';
import { CS, LOINC, PROFILE } from '../fhir/codes';
import { Validator } from '../validation';
import { checkInObservation, parseCheckIn, parseSession, sessionObservation } from './patient-log';

const validator = new Validator();
const errorsOf = (o: Observation, profile: string): string[] =>
  validator.validate(o, { profile }).issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join() ?? ''}: ${i.diagnostics ?? ''}`);

/** `system|code=value` of each component, in order. */
const components = (o: Observation): string[] =>
  (o.component ?? []).map((c) => {
    const code = c.code.coding?.[0];
    const value = c.valueInteger ?? `${c.valueQuantity?.value ?? '?'} ${c.valueQuantity?.code ?? '?'}`;
    return `${code?.system === LOINC ? 'loinc' : code?.system === CS.gradus ? 'gradus' : '?'}|${code?.code ?? ''}=${value}`;
  });

const context = { patientId: 'amara-okafor', effective: '2026-11-27T07:00:00+01:00' };

describe('the check-in form', () => {
  it.each([
    [{ pain: '3' }, ['loinc|72514-3=3']],
    [{ pain: ' 0 ', fatigue: '10' }, ['loinc|72514-3=0', 'gradus|fatigue=10']],
    [{ stiffness: '4', mood: '7', confidence: '6' }, ['gradus|morning-stiffness=4', 'gradus|mood=7', 'gradus|confidence=6']],
    [{ sleep: '7,5' }, ['loinc|93832-4=7.5 h']],
    [{ sleep: '0' }, ['loinc|93832-4=0 h']],
    [
      { pain: '2', stiffness: '3', fatigue: '4', mood: '8', sleep: '6.25', confidence: '9' },
      ['loinc|72514-3=2', 'gradus|morning-stiffness=3', 'gradus|fatigue=4', 'gradus|mood=8', 'loinc|93832-4=6.25 h', 'gradus|confidence=9'],
    ],
  ])('%j becomes a daily check-in with %j that validates against its profile', (form, expected) => {
    const parsed = parseCheckIn(form);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const obs = checkInObservation(parsed.values, context);
    expect(components(obs)).toEqual(expected);
    expect(obs).toMatchObject({ status: 'final', subject: { reference: 'Patient/amara-okafor' }, effectiveDateTime: context.effective });
    expect(errorsOf(obs, PROFILE.dailyCheckIn)).toEqual([]);
  });

  it.each([
    [{}, { checkIn: 'Fill in at least one of these before saving.' }],
    [{ pain: '', mood: '  ' }, { checkIn: 'Fill in at least one of these before saving.' }],
    [{ pain: '11' }, { pain: 'Enter a whole number from 0 to 10.' }],
    [{ pain: '-1' }, { pain: 'Enter a whole number from 0 to 10.' }],
    [{ fatigue: '4.5' }, { fatigue: 'Enter a whole number from 0 to 10, without a decimal point.' }],
    [{ mood: 'good' }, { mood: 'Enter a whole number from 0 to 10, without a decimal point.' }],
    [{ sleep: '25' }, { sleep: 'Enter a number from 0 to 24.' }],
    [{ sleep: '7.125' }, { sleep: 'Enter a number from 0 to 24 with at most 2 decimal places.' }],
    [{ sleep: '1e1' }, { sleep: 'Enter a number from 0 to 24, using digits and a decimal point only.' }],
    [{ pain: '3', confidence: '12', stiffness: 'x' }, { confidence: 'Enter a whole number from 0 to 10.', stiffness: 'Enter a whole number from 0 to 10, without a decimal point.' }],
  ])('%j is refused with %j', (form, errors) => {
    expect(parseCheckIn(form)).toEqual({ ok: false, errors });
  });
});

describe('the session form', () => {
  const orders = new Set(['amara-walking', 'amara-sit-to-stand-2']);
  const session = { patientId: 'amara-okafor', effective: '2026-11-27T17:30:00+01:00' };

  it.each([
    [{ order: 'amara-walking' }, []],
    [{ order: 'amara-walking', duration: '21', exertion: '5', painDuring: '2', painAfter: '1' }, ['loinc|55411-3=21 min', 'loinc|82289-0=5', 'gradus|pain-during=2', 'gradus|pain-after=1']],
    [{ order: 'amara-sit-to-stand-2', sets: '3', reps: '12', load: '8' }, ['gradus|sets-completed=3', 'gradus|reps-final-set=12', 'gradus|load-lifted=8 kg']],
    [{ order: 'amara-sit-to-stand-2', load: '7,25', duration: '0.5', reps: '0' }, ['gradus|reps-final-set=0', 'gradus|load-lifted=7.25 kg', 'loinc|55411-3=0.5 min']],
    [
      { order: 'amara-sit-to-stand-2', sets: '20', reps: '200', load: '500', duration: '600', exertion: '10', painDuring: '10', painAfter: '0' },
      ['gradus|sets-completed=20', 'gradus|reps-final-set=200', 'gradus|load-lifted=500 kg', 'loinc|55411-3=600 min', 'loinc|82289-0=10', 'gradus|pain-during=10', 'gradus|pain-after=0'],
    ],
  ])('%j becomes a session with %j that validates against its profile', (form, expected) => {
    const parsed = parseSession(form, orders);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const obs = sessionObservation(parsed.values, { ...session, orderId: parsed.values.orderId });
    expect(components(obs)).toEqual(expected);
    expect(obs.basedOn).toEqual([{ reference: `ServiceRequest/${form.order}` }]);
    expect(obs.category?.[0]?.coding?.[0]?.code).toBe('activity');
    expect(errorsOf(obs, PROFILE.exerciseSession)).toEqual([]);
  });

  it.each([
    [{}, { order: 'Choose the exercise you did.' }],
    [{ order: 'carmen-walking', sets: '3' }, { order: 'Choose one of the exercises of your current plan.' }],
    [{ order: 'amara-walking', sets: '0' }, { sets: 'Enter a whole number from 1 to 20.' }],
    [{ order: 'amara-walking', reps: '2.5' }, { reps: 'Enter a whole number from 0 to 200, without a decimal point.' }],
    [{ order: 'amara-walking', load: '-2' }, { load: 'Enter a number from 0 to 500.' }],
    [{ order: 'amara-walking', duration: '20.25' }, { duration: 'Enter a number from 0 to 600 with at most 1 decimal place.' }],
    [{ order: 'amara-walking', exertion: '11', painDuring: 'a lot', painAfter: '10' }, { exertion: 'Enter a whole number from 0 to 10.', painDuring: 'Enter a whole number from 0 to 10, without a decimal point.' }],
  ])('%j is refused with %j', (form, errors) => {
    expect(parseSession(form, orders)).toEqual({ ok: false, errors });
  });
});
