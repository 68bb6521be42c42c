/**
 * The scopes the sandbox knows, generated: SMART v2 `<context>/<type>.<cruds subset in order>` and v1
 * `.read/.write/.*` for the resource types Gradus uses, plus the launch and OpenID scopes. oidc-provider drops
 * any scope it does not list, so this list is also what can be granted at all. In: a requested scope list and
 * who signs in; out: what is granted and what is refused.
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

export const SCOPE_CONTEXTS = ['patient', 'user', 'system'] as const;
export type ScopeContext = (typeof SCOPE_CONTEXTS)[number];

/** The R4 resource types Gradus reads and writes, and the wildcard. */
export const SCOPE_RESOURCE_TYPES = ['Patient', 'Practitioner', 'CarePlan', 'ServiceRequest', 'Observation', 'Provenance', 'Goal', '*'] as const;

/** Scopes that are not about FHIR resources. */
export const BASE_SCOPES = ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'profile'] as const;

const V1_PERMISSIONS = ['read', 'write', '*'];

/** Every non-empty subsequence of `c r u d s` keeping that order (31 of them): `c`, `r`, `cr`, ..., `cruds`. */
export function orderedInteractionSets(letters = 'cruds'): string[] {
  const sets: string[] = [];
  for (let mask = 1; mask < 1 << letters.length; mask++) {
    sets.push([...letters].filter((_, i) => (mask & (1 << i)) !== 0).join(''));
  }
  return sets;
}

/** The resource scopes of one context, v2 then v1. */
export function resourceScopes(context: ScopeContext): string[] {
  const permissions = [...orderedInteractionSets(), ...V1_PERMISSIONS];
  return SCOPE_RESOURCE_TYPES.flatMap((type) => permissions.map((p) => `${context}/${type}.${p}`));
}

/** Everything the sandbox supports, in a stable order. */
export function supportedScopes(): string[] {
  return [...BASE_SCOPES, ...SCOPE_CONTEXTS.flatMap(resourceScopes)];
}

/** The scopes the public app may ask for: all but system/ ones. */
export function appClientScopes(): string[] {
  return [...BASE_SCOPES, ...resourceScopes('patient'), ...resourceScopes('user')];
}

export interface SignIn {
  /** A clinician (Practitioner user); patient users get no user/ scopes. */
  clinician: boolean;
  /** An EHR launch (the `launch` scope is only meaningful with a `launch` parameter). */
  ehrLaunch: boolean;
}

/**
 * What a patient may do with their own record in this EHR: read and search it, and add Observations (their
 * logs). Never change their plan or orders, nor write a Provenance (that would forge a clinician's sign-off).
 */
function patientMayHave(scope: string): boolean {
  const m = /^patient\/([A-Za-z]+|\*)\.(.+)$/.exec(scope);
  if (!m) return false;
  const [, type, permissions = ''] = m;
  if (permissions === 'read') return true;
  const allowed = type === 'Observation' ? 'crs' : 'rs';
  return /^c?r?u?d?s?$/.test(permissions) && permissions !== '' && [...permissions].every((p) => allowed.includes(p));
}

/** Whether one requested scope is granted to this sign-in (authorization code flow; system/ never). */
export function grantable(scope: string, signIn: SignIn): boolean {
  if (scope === 'launch') return signIn.ehrLaunch;
  if ((BASE_SCOPES as readonly string[]).includes(scope)) return true;
  if (scope.startsWith('patient/')) return signIn.clinician || patientMayHave(scope);
  if (scope.startsWith('user/')) return signIn.clinician;
  return false;
}

/** The requested scopes split into granted and refused for this sign-in. */
export function decideScopes(requested: string[], signIn: SignIn): { granted: string[]; refused: string[] } {
  const unique = [...new Set(requested.filter((s) => s !== ''))];
  return { granted: unique.filter((s) => grantable(s, signIn)), refused: unique.filter((s) => !grantable(s, signIn)) };
}
