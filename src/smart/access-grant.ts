/**
 * What a token grants, per type and interaction, and whether the grant is confined to a patient: its
 * scopes as rules, its launch `patient`, and the refusals (403 OperationOutcomes naming the missing scope).
 *
 * A grant is confined to the launch patient when the most permissive rule granting it is a `patient/` rule
 * (which needs a launch patient), or a `user/` rule on a token that carries a launch patient (a user reads
 * and writes only within the launch's patient context). `system/` rules are never confined.
 * The `fhirUser` scope grants one read besides the rules: the user's own Practitioner (read and vread of the
 * token's `fhirUser`), with no resource scope and whatever the patient context; nothing else about the user.
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import { issue, OperationOutcomeError, outcome } from '../fhir/outcome';
import { referenceKey } from '../fhir/reference';
import { hasScope, parseScopes, permits, scopeNeeded, VERB, type Interaction, type ScopeRule } from './scopes';

/** The types of a `fhirUser` the `fhirUser` scope lets read itself (a Patient user reads through patient/Patient.r). */
const SELF_READABLE: ReadonlySet<string> = new Set(['Practitioner']);

/** What the access guard needs of a valid access token (the sandbox's TokenContext has these and more). */
export interface AccessToken {
  clientId: string;
  /** Granted scopes (split on spaces, or not: both are read). */
  scopes: readonly string[];
  /** The launch context patient id (no `Patient/`). */
  patient?: string;
  /** `Practitioner/<id>` or `Patient/<id>`: the user, who may read their own resource. */
  fhirUser?: string;
}

/** A refusal: 403 with one `forbidden` issue per reason. */
export function forbidden(...reasons: string[]): OperationOutcomeError {
  return new OperationOutcomeError(outcome(reasons.map((r) => issue('error', 'forbidden', r))), 403);
}

/** The message of a refusal for a resource outside the compartment. */
export const outside = (what: string): string => `${what} is outside the launch's patient context`;

/** A granted interaction: `patient` is the patient it is confined to (absent: not confined). */
export interface Grant {
  patient?: string;
}

export class Grants {
  readonly rules: ScopeRule[];
  /** `Type/id` of the token's fhirUser (whatever its base URL), which the user may always read. */
  readonly user: string | undefined;
  /** Whether the token was granted the `fhirUser` scope. */
  private readonly fhirUserScope: boolean;

  constructor(readonly token: AccessToken) {
    this.rules = parseScopes(token.scopes);
    this.user = referenceKey(token.fhirUser);
    this.fhirUserScope = hasScope(token.scopes, 'fhirUser');
  }

  /** Whether `Type/id` is the user's own Practitioner, which the `fhirUser` scope lets read (and vread) without a resource scope. */
  readsSelf(type: string, id: string): boolean {
    return this.fhirUserScope && SELF_READABLE.has(type) && this.user === `${type}/${id}`;
  }

  /** The grant of one interaction, or undefined when no scope grants it (or a patient/ scope lacks its patient). */
  grant(type: string, interaction: Interaction): Grant | undefined {
    const context = permits(this.rules, type, interaction);
    if (context === undefined) return undefined;
    if (context === 'system') return {};
    const patient = this.token.patient;
    if (context === 'patient') return patient === undefined ? undefined : { patient };
    return patient === undefined ? {} : { patient };
  }

  /**
   * The grant of every (type, interaction) needed, confined when any of them is; throws a 403 naming each
   * missing scope.
   */
  need(needs: ReadonlyArray<readonly [string, Interaction]>): Grant {
    const missing: string[] = [];
    let confined: string | undefined;
    for (const [type, interaction] of needs) {
      const grant = this.grant(type, interaction);
      if (!grant) missing.push(this.whyNot(type, interaction));
      else if (grant.patient !== undefined) confined = grant.patient;
    }
    if (missing.length > 0) throw forbidden(...missing);
    return confined === undefined ? {} : { patient: confined };
  }

  /** The least confined grant among the interactions (a response entry is visible when read or searched). */
  best(type: string, interactions: readonly Interaction[]): Grant | undefined {
    let best: Grant | undefined;
    for (const interaction of interactions) {
      const grant = this.grant(type, interaction);
      if (grant && (!best || grant.patient === undefined)) best = grant;
    }
    return best;
  }

  private whyNot(type: string, interaction: Interaction): string {
    if (permits(this.rules, type, interaction) !== 'patient') return scopeNeeded(type, interaction);
    return `patient/ scopes need a launch patient, and this token has none (needed to ${VERB[interaction]} ${type})`;
  }
}
