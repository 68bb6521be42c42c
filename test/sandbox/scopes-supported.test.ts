/** Which scopes the sandbox lists and which it grants to whom (pure rules, no server). */
import { appClientScopes, decideScopes, grantable, orderedInteractionSets, resourceScopes, supportedScopes } from '../../src/sandbox/scopes-supported';

describe('the scopes the sandbox lists', () => {
  it('has every ordered subset of c r u d s once (31), none out of order', () => {
    const sets = orderedInteractionSets();
    expect(sets).toHaveLength(31);
    expect(new Set(sets).size).toBe(31);
    expect(sets).toEqual(expect.arrayContaining(['c', 'rs', 'crs', 'cruds', 'cud']));
    expect(sets).not.toEqual(expect.arrayContaining(['sr', 'rc', 'sc']));
  });

  it('covers three contexts x eight types x (31 v2 + 3 v1) plus the six base scopes', () => {
    expect(supportedScopes()).toHaveLength(6 + 3 * 8 * 34);
    expect(new Set(supportedScopes()).size).toBe(supportedScopes().length);
    expect(resourceScopes('system')).toEqual(expect.arrayContaining(['system/*.rs', 'system/CarePlan.cruds', 'system/Goal.read', 'system/*.*']));
  });

  it('lets the app ask for everything but system/ scopes', () => {
    expect(appClientScopes().some((s) => s.startsWith('system/'))).toBe(false);
    expect(appClientScopes()).toEqual(expect.arrayContaining(['launch', 'patient/Provenance.c', 'user/*.cruds']));
  });
});

describe('what a sign-in is granted (authorization code flow)', () => {
  const patientUser = { clinician: false, ehrLaunch: false };
  const standaloneClinician = { clinician: true, ehrLaunch: false };
  const ehrClinician = { clinician: true, ehrLaunch: true };

  it.each([
    ['openid', patientUser, true],
    ['fhirUser', patientUser, true],
    ['offline_access', patientUser, true],
    ['launch/patient', patientUser, true],
    ['patient/Observation.crs', patientUser, true],
    ['patient/CarePlan.rs', patientUser, true],
    ['patient/*.read', patientUser, true],
    ['patient/CarePlan.rus', patientUser, false],
    ['patient/CarePlan.u', patientUser, false],
    ['patient/ServiceRequest.cu', patientUser, false],
    ['patient/Provenance.c', patientUser, false],
    ['patient/Observation.crud', patientUser, false],
    ['patient/*.write', patientUser, false],
    ['patient/*.cruds', patientUser, false],
    ['patient/CarePlan.rus', ehrClinician, true],
    ['patient/Provenance.crs', ehrClinician, true],
    ['user/Observation.rs', patientUser, false],
    ['user/Observation.rs', standaloneClinician, true],
    ['launch', standaloneClinician, false],
    ['launch', ehrClinician, true],
    ['system/*.rs', ehrClinician, false],
    ['unknown/scope', ehrClinician, false],
  ])('%s for %o: %s', (scope, signIn, expected) => {
    expect(grantable(scope, signIn)).toBe(expected);
  });

  it('splits a request into granted and refused, without duplicates or empty scopes', () => {
    expect(decideScopes(['openid', '', 'user/*.rs', 'openid', 'patient/*.rs'], patientUser)).toEqual({ granted: ['openid', 'patient/*.rs'], refused: ['user/*.rs'] });
  });
});
