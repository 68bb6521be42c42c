import type { OperationOutcome } from 'fhir/r4';
import { PROFILE } from '../fhir/codes';
import { validate } from './index';

const errorsOf = (oo: OperationOutcome): string[] =>
  oo.issue.filter((i) => i.severity === 'error').map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`);

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    Object.values(v).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}

describe('validate: malformed input', () => {
  it.each([
    ['a JSON array', [{ resourceType: 'Patient' }], /found a JSON array/],
    ['a string', 'Patient', /found string/],
    ['a number', 42, /found number/],
    ['null', null, /found null/],
    ['undefined', undefined, /found undefined/],
    ['an object without resourceType', { id: 'x' }, /no resourceType/],
    ['an unknown resourceType', { resourceType: 'Patientt' }, /unknown resourceType 'Patientt'/],
    ['an abstract type', { resourceType: 'DomainResource' }, /unknown resourceType 'DomainResource'/],
  ])('gives one clear error for %s, without throwing', (_what, input, message) => {
    const oo = validate(input);
    expect(oo.resourceType).toBe('OperationOutcome');
    expect(oo.issue).toHaveLength(1);
    expect(oo.issue[0]?.severity).toBe('error');
    expect(oo.issue[0]?.diagnostics).toMatch(message);
  });

  it('says All OK (information only) for a valid resource', () => {
    const oo = validate({ resourceType: 'Basic', code: { text: 'x' }, text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' } });
    expect(oo.issue).toEqual([{ severity: 'information', code: 'informational', diagnostics: 'All OK' }]);
  });
});

describe('validate: which profiles apply', () => {
  it('reports an unknown profile asked for explicitly as an error', () => {
    const oo = validate({ resourceType: 'Patient' }, { profile: 'https://example.org/StructureDefinition/nope' });
    expect(errorsOf(oo)).toEqual(['Patient: Unknown profile https://example.org/StructureDefinition/nope: the resource cannot be validated against it']);
  });

  it('reports an unknown meta.profile as a warning that says only the base was applied', () => {
    const oo = validate({ resourceType: 'Patient', meta: { profile: ['https://example.org/StructureDefinition/nope'] } });
    const w = oo.issue.find((i) => i.code === 'not-found');
    expect(w?.severity).toBe('warning');
    expect(w?.diagnostics).toMatch(/meta\.profile.*base Patient definition only/);
  });

  it('rejects a profile made for another resource type', () => {
    expect(errorsOf(validate({ resourceType: 'Patient' }, { profile: PROFILE.exercisePlan }))).toEqual([
      `Patient: Profile ${PROFILE.exercisePlan} constrains CarePlan, not Patient`,
    ]);
  });

  it('applies meta.profile when no profile is given', () => {
    const plain = { resourceType: 'Observation', status: 'final', code: { text: 'pain' } };
    expect(errorsOf(validate(plain))).toEqual([]);
    expect(errorsOf(validate({ ...plain, meta: { profile: [PROFILE.painScore] } })).length).toBeGreaterThan(0);
  });

  it('applies options.profile instead of meta.profile, and the base definition always', () => {
    const r = { resourceType: 'Observation', status: 'bogus', code: { text: 'pain' }, meta: { profile: [PROFILE.exerciseGoal] } };
    const found = errorsOf(validate(r, { profile: PROFILE.painScore }));
    expect(found.some((e) => e.startsWith('Observation.status: The code \'bogus\''))).toBe(true);
    expect(found.some((e) => e.includes('Missing required element \'value[x]\''))).toBe(true);
    expect(found.some((e) => e.includes('constrains Goal'))).toBe(false);
  });

  it('applies a profile of an entry type given for a Bundle to the entries of that type', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://example.org/fhir/Observation/a', resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' } } },
        { fullUrl: 'https://example.org/fhir/Patient/p', resource: { resourceType: 'Patient' } },
      ],
    };
    const found = errorsOf(validate(bundle, { profile: PROFILE.painScore }));
    expect(found.some((e) => e.startsWith('Bundle.entry[0].resource.subject: Missing required'))).toBe(true);
    expect(found.some((e) => e.startsWith('Bundle.entry[1]'))).toBe(false);
  });

  it('reports a profile of an entry type when the Bundle has no entry of that type', () => {
    const found = errorsOf(validate({ resourceType: 'Bundle', type: 'collection' }, { profile: PROFILE.painScore }));
    expect(found).toEqual([`Bundle: Profile ${PROFILE.painScore} constrains Observation, and the Bundle has no Observation entry`]);
  });
});

describe('validate: as a library', () => {
  const resource = {
    resourceType: 'Observation',
    status: 'bogus',
    code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
    contained: [{ resourceType: 'Patient', id: 'p' }],
    subject: { reference: '#p' },
    valueQuantity: { value: 3, code: 'kg' },
    effectivePeriod: { start: '2026-02-02', end: '2026-02-01' },
  };

  it('never mutates its input (a deep-frozen resource validates the same)', () => {
    const copy = JSON.parse(JSON.stringify(resource)) as unknown;
    const frozen = deepFreeze(JSON.parse(JSON.stringify(resource)) as unknown);
    const oo = validate(frozen);
    expect(errorsOf(oo).length).toBeGreaterThan(0);
    expect(oo).toEqual(validate(copy));
    expect(frozen).toEqual(copy);
    expect(Object.getOwnPropertyNames((frozen as { code: object }).code)).toEqual(['coding']);
  });

  it('gives the same outcome on every run', () => {
    expect(validate(resource)).toEqual(validate(resource));
  });
});
