/**
 * SMART clinical scopes: granted scope strings in, permission rules out, and the question "which context
 * grants this interaction on this type?".
 *
 * Enters: the token's scopes (space-separated strings, as granted). Leaves: one rule per resource scope
 * (`patient|user|system` / `Type|*` . interactions). SMART 2.x scopes name their interactions as a subset of
 * `cruds` in that order (`rs`, `cud`; `rc` or `rr` are not scopes); SMART 1 scopes `.read`, `.write` and `.*`
 * mean `rs`, `cud` and `cruds`. A scope with a `?param=value` restriction is not supported here and grants
 * nothing (narrower than asked, never wider). Every other scope (openid, fhirUser, launch, launch/patient,
 * offline_access, ...) carries no resource permission and is left out of the rules; `hasScope` tells whether
 * one was granted (`fhirUser` lets the user read their own Practitioner: src/smart/access-grant.ts).
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#scopes-for-requesting-fhir-resources
 */

/** A SMART 2 interaction: create, read (read, vread, history), update (update, patch), delete, search. */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';
export type ScopeContext = 'patient' | 'user' | 'system';

export interface ScopeRule {
  context: ScopeContext;
  /** A resource type, or `*` for every type. */
  type: string;
  interactions: Set<Interaction>;
}

const ORDER: readonly Interaction[] = ['c', 'r', 'u', 'd', 's'];
const V1: Readonly<Record<string, readonly Interaction[]>> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ORDER };
const RANK: Readonly<Record<ScopeContext, number>> = { patient: 1, user: 2, system: 3 };
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([^?]+)(\?.*)?$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/** The verb an interaction stands for, for messages ("needed to create Observation"). */
export const VERB: Readonly<Record<Interaction, string>> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/** One granted scope as a rule; undefined when it grants no resource permission (or is not a scope we support). */
export function parseScope(scope: string): ScopeRule | undefined {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m?.[1] || !m[2] || !m[3] || m[4] !== undefined) return undefined;
  const permissions = m[3];
  const interactions = V1[permissions] ?? (V2_PERMISSIONS.test(permissions) ? (permissions.split('') as Interaction[]) : []);
  if (interactions.length === 0) return undefined;
  return { context: m[1] as ScopeContext, type: m[2], interactions: new Set(interactions) };
}

/** The scopes of a token, one a string (entries may themselves hold several separated by spaces). */
function scopeList(scopes: readonly string[]): string[] {
  return scopes.flatMap((entry) => entry.split(/\s+/)).filter((s) => s !== '');
}

/** Whether a scope (`fhirUser`, `launch`, ...) is among those granted, exactly as written. */
export function hasScope(scopes: readonly string[], scope: string): boolean {
  return scopeList(scopes).includes(scope);
}

/** The rules of a token's scopes (entries may themselves hold several scopes separated by spaces). */
export function parseScopes(scopes: readonly string[]): ScopeRule[] {
  return scopeList(scopes).flatMap((s) => parseScope(s) ?? []);
}

/**
 * The most permissive context (system > user > patient) of a rule granting `interaction` on `type`;
 * undefined when no rule does. Asked for type `*` (a search across types), only wildcard rules grant it.
 */
export function permits(rules: readonly ScopeRule[], type: string, interaction: Interaction): ScopeContext | undefined {
  let best: ScopeContext | undefined;
  for (const rule of rules) {
    if ((rule.type !== '*' && rule.type !== type) || !rule.interactions.has(interaction)) continue;
    if (best === undefined || RANK[rule.context] > RANK[best]) best = rule.context;
  }
  return best;
}

/** What a refusal names: "scope patient/Observation.c (or user/, system/) is needed to create Observation". */
export function scopeNeeded(type: string, interaction: Interaction): string {
  return `scope patient/${type}.${interaction} (or user/, system/) is needed to ${VERB[interaction]} ${type}`;
}
