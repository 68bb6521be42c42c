/**
 * What a page handler gets in `res.locals.smart` from the SMART session (set by `requireSmart`).
 * A copy of the team design's SmartContext: once src/smart exists, this file re-exports its type instead.
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html
 */
import type { FhirClient } from '../client';

export interface SmartContext {
  /** The FHIR base URL (iss). */
  serverUrl: string;
  /** The launch context patient (an id, no `Patient/`). */
  patientId: string;
  /** `Practitioner/..` or `Patient/..`. */
  fhirUser?: string;
  scopes: string[];
  /** A FHIR client with a token function that refreshes before expiry. */
  fhir: FhirClient;
  /** The session's CSRF token (hidden field `csrf` in every form). */
  csrfToken: string;
}
