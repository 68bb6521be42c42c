import { hasScope, parseScope, parseScopes, permits, scopeNeeded, type Interaction, type ScopeContext } from './scopes';

const rule = (scope: string): [string, string, string] | undefined => {
  const r = parseScope(scope);
  return r ? [r.context, r.type, [...r.interactions].join('')] : undefined;
};

describe('parseScope: SMART 2 scopes', () => {
  it.each([
    ['patient/Observation.rs', ['patient', 'Observation', 'rs']],
    ['patient/Observation.crs', ['patient', 'Observation', 'crs']],
    ['patient/ServiceRequest.cruds', ['patient', 'ServiceRequest', 'cruds']],
    ['patient/Provenance.c', ['patient', 'Provenance', 'c']],
    ['patient/CarePlan.r', ['patient', 'CarePlan', 'r']],
    ['patient/CarePlan.s', ['patient', 'CarePlan', 's']],
    ['user/CarePlan.u', ['user', 'CarePlan', 'u']],
    ['user/Goal.d', ['user', 'Goal', 'd']],
    ['user/Observation.cud', ['user', 'Observation', 'cud']],
    ['user/Observation.ruds', ['user', 'Observation', 'ruds']],
    ['user/Observation.cs', ['user', 'Observation', 'cs']],
    ['system/Observation.crud', ['system', 'Observation', 'crud']],
    ['system/*.rs', ['system', '*', 'rs']],
    ['patient/*.cruds', ['patient', '*', 'cruds']],
    ['user/*.c', ['user', '*', 'c']],
  ])('%s grants %j', (scope, expected) => {
    expect(rule(scope)).toEqual(expected);
  });
});

describe('parseScope: SMART 1 scopes', () => {
  it.each([
    ['patient/Observation.read', ['patient', 'Observation', 'rs']],
    ['user/CarePlan.write', ['user', 'CarePlan', 'cud']],
    ['system/Patient.*', ['system', 'Patient', 'cruds']],
    ['patient/*.read', ['patient', '*', 'rs']],
    ['user/*.*', ['user', '*', 'cruds']],
    ['system/*.write', ['system', '*', 'cud']],
  ])('%s grants %j', (scope, expected) => {
    expect(rule(scope)).toEqual(expected);
  });
});

describe('parseScope: what grants nothing', () => {
  it.each([
    ['letters out of order', 'patient/Observation.rc'],
    ['letters out of order (sr)', 'user/Patient.sr'],
    ['a letter twice', 'patient/Observation.rr'],
    ['no letters', 'patient/Observation.'],
    ['an unknown letter', 'patient/Observation.rx'],
    ['upper-case letters', 'patient/Observation.RS'],
    ['a v1 word in another case', 'patient/Observation.Read'],
    ['a query restriction (v2)', 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs'],
    ['a query restriction (v1 word)', 'patient/Observation.read?category=laboratory'],
    ['a query restriction on a wildcard', 'system/*.rs?_tag=x'],
    ['an empty query restriction', 'patient/Observation.rs?'],
    ['an unknown context', 'practitioner/Observation.rs'],
    ['a context in upper case', 'Patient/Observation.rs'],
    ['a type in lower case', 'patient/observation.rs'],
    ['no type', 'patient/.rs'],
    ['no dot', 'patient/Observation'],
    ['openid', 'openid'],
    ['fhirUser', 'fhirUser'],
    ['profile', 'profile'],
    ['launch', 'launch'],
    ['launch/patient', 'launch/patient'],
    ['launch/encounter', 'launch/encounter'],
    ['offline_access', 'offline_access'],
    ['online_access', 'online_access'],
    ['an empty string', ''],
  ])('%s: %s', (_why, scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });
});

describe('parseScopes', () => {
  it("keeps the resource scopes of the issue's example, and splits entries that hold several scopes", () => {
    const rules = parseScopes(['launch openid fhirUser', 'patient/CarePlan.rs patient/ServiceRequest.cruds', 'patient/Observation.crs', 'patient/Provenance.c', 'offline_access']);
    expect(rules.map((r) => `${r.context}/${r.type}.${[...r.interactions].join('')}`)).toEqual([
      'patient/CarePlan.rs',
      'patient/ServiceRequest.cruds',
      'patient/Observation.crs',
      'patient/Provenance.c',
    ]);
  });

  it('leaves out what it cannot read and keeps the rest', () => {
    expect(parseScopes(['patient/Observation.rc', 'patient/Observation.rs?code=x', 'user/Goal.rs'])).toHaveLength(1);
  });
});

describe('permits', () => {
  const scopes = (...s: string[]): ReturnType<typeof parseScopes> => parseScopes(s);
  it.each<[string, string[], string, Interaction, ScopeContext | undefined]>([
    ['a granted interaction', ['patient/Observation.crs'], 'Observation', 'c', 'patient'],
    ['an interaction not granted', ['patient/Observation.crs'], 'Observation', 'u', undefined],
    ['read does not grant search', ['patient/Observation.r'], 'Observation', 's', undefined],
    ['search does not grant read', ['patient/Observation.s'], 'Observation', 'r', undefined],
    ['another type', ['patient/Observation.cruds'], 'CarePlan', 'r', undefined],
    ['a wildcard type', ['patient/*.rs'], 'CarePlan', 'r', 'patient'],
    ['a wildcard type, interaction not granted', ['patient/*.rs'], 'CarePlan', 'c', undefined],
    ['user over patient', ['patient/Observation.rs', 'user/Observation.r'], 'Observation', 'r', 'user'],
    ['system over user', ['user/*.cruds', 'system/Observation.rs'], 'Observation', 's', 'system'],
    ['system over patient', ['system/*.rs', 'patient/Observation.rs'], 'Observation', 'r', 'system'],
    ['the most permissive context among those granting this interaction', ['system/Observation.r', 'patient/Observation.c'], 'Observation', 'c', 'patient'],
    ['v1 read', ['user/CarePlan.read'], 'CarePlan', 's', 'user'],
    ['v1 write grants update', ['user/CarePlan.write'], 'CarePlan', 'u', 'user'],
    ['v1 write does not grant read', ['user/CarePlan.write'], 'CarePlan', 'r', undefined],
    ['a search across types needs a wildcard rule', ['system/Observation.s'], '*', 's', undefined],
    ['a search across types with a wildcard rule', ['system/*.s'], '*', 's', 'system'],
    ['a restricted scope grants nothing', ['patient/Observation.rs?category=vital-signs'], 'Observation', 'r', undefined],
    ['no scopes', [], 'Patient', 'r', undefined],
  ])('%s', (_why, granted, type, interaction, expected) => {
    expect(permits(scopes(...granted), type, interaction)).toBe(expected);
  });
});

describe('scopeNeeded', () => {
  it('names the patient-level scope and its alternatives', () => {
    expect(scopeNeeded('Observation', 'c')).toBe('scope patient/Observation.c (or user/, system/) is needed to create Observation');
    expect(scopeNeeded('CarePlan', 's')).toBe('scope patient/CarePlan.s (or user/, system/) is needed to search CarePlan');
  });
});

describe('hasScope: a scope granted as written', () => {
  it.each<[string, readonly string[], string, boolean]>([
    ['one of several entries', ['openid', 'fhirUser', 'launch'], 'fhirUser', true],
    ['inside a space-separated entry', ['openid fhirUser patient/CarePlan.rs'], 'fhirUser', true],
    ['absent', ['openid launch patient/CarePlan.rs'], 'fhirUser', false],
    ['case matters', ['fhiruser'], 'fhirUser', false],
    ['a prefix is not the scope', ['fhirUser.read'], 'fhirUser', false],
    ['no scopes', [], 'fhirUser', false],
  ])('%s', (_why, scopes, scope, expected) => {
    expect(hasScope(scopes, scope)).toBe(expected);
  });
});
