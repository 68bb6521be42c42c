import type { CarePlan } from 'fhir/r4';
import { referenceKey } from '../fhir/reference';
import { notAGradusPlan } from './read-plan';

describe('referenceKey', () => {
  it.each([
    ['ServiceRequest/abc', 'ServiceRequest/abc'],
    ['ServiceRequest/abc/_history/3', 'ServiceRequest/abc'],
    ['https://fhir.example.org/r4/CarePlan/p-1', 'CarePlan/p-1'],
    ['urn:uuid:1234', undefined],
    ['#contained', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (reference, key) => {
    expect(referenceKey(reference)).toBe(key);
  });
});

describe('notAGradusPlan', () => {
  const category = [{ coding: [{ system: 'https://gradus.health/fhir/CodeSystem/gradus', code: 'exercise-program' }] }];
  const profile = { profile: ['https://gradus.health/fhir/StructureDefinition/gradus-exercise-plan'] };
  const plan = (extra: Partial<CarePlan>): CarePlan => ({ resourceType: 'CarePlan', id: 'p', status: 'active', intent: 'plan', subject: { reference: 'Patient/x' }, ...extra });
  it.each([
    ['the program category', plan({ category }), undefined],
    ['the profile claim', plan({ meta: profile }), undefined],
    ['on-hold status', plan({ category, status: 'on-hold' }), undefined],
    ['neither category nor profile', plan({}), /is not a Gradus exercise plan/],
    ['another category', plan({ category: [{ coding: [{ system: 'http://snomed.info/sct', code: '736366004' }] }] }), /is not a Gradus exercise plan/],
    ['status completed', plan({ category, status: 'completed' }), /has status 'completed'/],
    ['status revoked', plan({ meta: profile, status: 'revoked' }), /has status 'revoked'/],
  ])('judges a plan with %s', (_name, candidate, why) => {
    const answer = notAGradusPlan(candidate);
    if (why === undefined) expect(answer).toBeUndefined();
    else expect(answer).toMatch(why);
  });
});
