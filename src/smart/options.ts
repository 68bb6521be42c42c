/**
 * What the SMART client side is configured with, and its stated defaults: the scopes each launch asks for,
 * PKCE always (S256), where each kind of user lands, the timeouts of calls to the authorization server.
 * In go the service's settings; out comes a checked, complete configuration.
 * See: https://hl7.org/fhir/smart-app-launch/STU2.1/scopes-and-launch-context.html
 */
import { safeForToken } from '../client';
import type { Logger } from '../server';
import type { SessionStore } from './session';

/** Scopes of an EHR launch (a clinician in the EHR, with the EHR's patient). */
export const EHR_SCOPES =
  'launch openid fhirUser offline_access patient/Patient.r patient/CarePlan.rus patient/ServiceRequest.crus patient/Observation.rs patient/Provenance.crs patient/Goal.rs';

/** Scopes of a standalone launch (a patient on their phone, choosing themselves). */
export const STANDALONE_SCOPES =
  'launch/patient openid fhirUser offline_access patient/Patient.r patient/CarePlan.rs patient/ServiceRequest.rs patient/Observation.crs patient/Goal.rs';

export interface SmartOptions {
  /** The app's own origin (and path prefix, if any), e.g. `http://127.0.0.1:8080`; the redirect URI is `${publicUrl}/callback`. */
  publicUrl: string;
  /** The client id registered with the authorization server (a public client). */
  clientId: string;
  /** FHIR base URLs a launch may name as `iss`; any other is refused. */
  issuers: readonly string[];
  /** The sessions, shared by smartRoutes, requireSmart and checkCsrf. */
  sessions: SessionStore;
  scopes?: {
    /** Default EHR_SCOPES. */
    ehr?: string;
    /** Default STANDALONE_SCOPES. */
    standalone?: string;
  };
  /** Where a Practitioner lands after sign-in; default `/app`. */
  practitionerHome?: string;
  /** Where a Patient lands after sign-in; default `/me`. */
  patientHome?: string;
  /** A launcher page linked from "Sign in needed" and "Launch failed" (the sandbox's `/sandbox`). */
  launcherUrl?: string;
  /** Timeout of each call to the authorization server (discovery, token exchange, refresh); default 15 s. */
  authTimeoutMs?: number;
  /** Launch outcomes and refresh failures, never with tokens, codes, states or ids. */
  logger?: Logger;
}

export interface ResolvedSmartOptions {
  publicUrl: string;
  redirectUri: string;
  clientId: string;
  issuers: readonly string[];
  sessions: SessionStore;
  ehrScopes: string;
  standaloneScopes: string;
  pkceMode: 'required';
  practitionerHome: string;
  patientHome: string;
  launcherUrl: string | undefined;
  authTimeoutMs: number;
  logger: Logger | undefined;
}

/** A FHIR base URL as compared against `iss` (no trailing slash). */
export const normalizeBaseUrl = (url: string): string => url.replace(/\/+$/, '');

/** Where a FHIR server publishes its SMART configuration. See: https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html#using-well-known */
export const smartConfigurationUrl = (fhirBaseUrl: string): string => `${normalizeBaseUrl(fhirBaseUrl)}/.well-known/smart-configuration`;

/** Fills in the defaults and refuses settings that would be unsafe (a token over plain http off this machine). */
export function resolveSmartOptions(options: SmartOptions): ResolvedSmartOptions {
  const publicUrl = normalizeBaseUrl(options.publicUrl);
  if (!/^https?:\/\/[^/]/.test(publicUrl)) throw new TypeError(`SMART publicUrl must be an absolute http(s) URL, not '${options.publicUrl}'`);
  if (options.clientId.trim() === '') throw new TypeError('SMART clientId is empty');
  if (options.issuers.length === 0) throw new TypeError('SMART needs at least one FHIR server (issuers)');
  const issuers = options.issuers.map(normalizeBaseUrl);
  for (const iss of issuers) {
    if (!safeForToken(iss)) throw new TypeError(`SMART issuer ${iss} must use https (http only on this machine): tokens are sent to it`);
  }
  return {
    publicUrl,
    redirectUri: `${publicUrl}/callback`,
    clientId: options.clientId,
    issuers,
    sessions: options.sessions,
    ehrScopes: options.scopes?.ehr ?? EHR_SCOPES,
    standaloneScopes: options.scopes?.standalone ?? STANDALONE_SCOPES,
    pkceMode: 'required',
    practitionerHome: options.practitionerHome ?? '/app',
    patientHome: options.patientHome ?? '/me',
    launcherUrl: options.launcherUrl,
    authTimeoutMs: options.authTimeoutMs ?? 15_000,
    logger: options.logger,
  };
}
