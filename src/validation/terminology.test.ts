import { CS, UCUM, VS } from '../fhir/codes';
import { Definitions } from './definitions';
import { Terminology, type Membership } from './terminology';

const terminology = new Terminology(new Definitions());
const V = (id: string): string => `http://hl7.org/fhir/ValueSet/${id}`;

/** [why, ValueSet, system (undefined for a bare code), code, membership] */
const CASES: [string, string, string | undefined, string, Membership][] = [
  ['a core code ValueSet listing its codes', `${V('observation-status')}|4.0.1`, undefined, 'final', 'member'],
  ['a code outside a core ValueSet', V('observation-status'), undefined, 'bogus', 'not-member'],
  ['a whole core CodeSystem included', V('administrative-gender'), 'http://hl7.org/fhir/administrative-gender', 'other', 'member'],
  ['the right code in the wrong system', V('administrative-gender'), 'http://example.org/gender', 'male', 'not-member'],
  ['a UCUM concept list (units-of-time)', V('units-of-time'), UCUM, 'wk', 'member'],
  ['a UCUM code outside units-of-time', V('units-of-time'), UCUM, 'weeks', 'not-member'],
  ['all of UCUM, which cannot be enumerated', V('ucum-units'), UCUM, 'kg', 'unknown'],
  ['BCP-47 languages, which cannot be enumerated', V('all-languages'), 'urn:ietf:bcp:47', 'xx-YY', 'unknown'],
  ['mime types, which cannot be enumerated', V('mimetypes'), 'urn:ietf:bcp:13', 'text/plain', 'unknown'],
  ['a v3 ValueSet built from an is-a filter', 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode', 'http://terminology.hl7.org/CodeSystem/v3-ActCode', 'AMB', 'member'],
  ['a v3 code outside that filter', 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode', 'http://terminology.hl7.org/CodeSystem/v3-ActCode', 'CPT', 'not-member'],
  ['our ValueSet of a whole CodeSystem', VS.progressionPhase, CS.progressionPhase, 'flare', 'member'],
  ['a code outside our ValueSet', VS.progressionPhase, CS.progressionPhase, 'maintenance', 'not-member'],
  ['a ValueSet nobody knows', 'http://example.org/ValueSet/nope', 'http://example.org', 'x', 'unknown'],
];

describe('Terminology.member', () => {
  it.each(CASES)('%s', (_why, valueSet, system, code, expected) => {
    expect(terminology.member(valueSet, system, code)).toBe(expected);
  });
});

describe('Terminology.inCodeSystem', () => {
  it.each([
    [CS.exerciseDomain, 'mobility', 'member'],
    [CS.exerciseDomain, 'balance', 'not-member'],
    ['http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs', 'member'],
    ['http://loinc.org', '72514-3', 'unknown'],
    ['http://example.org/local', 'x', 'unknown'],
  ])('%s#%s is %s', (system, code, expected) => {
    expect(terminology.inCodeSystem(system, code)).toBe(expected);
  });
});
