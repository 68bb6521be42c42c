/**
 * The contract of the sandbox's authorization server (issue 11 design): what `startSandboxAuth` takes and
 * what it hands back. In: the service's URL, the demo patients, a data folder and a logger. Out: an issuer
 * to mount on the express app, a SMART configuration document and a token check for the /fhir guard.
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html
 */
import type { Express } from 'express';
import type { Logger } from '../server/logger';

/** What a valid access token grants. */
export interface TokenContext {
  clientId: string;
  /** Granted scopes, split on spaces. */
  scopes: string[];
  /** Launch context patient id (no "Patient/"). */
  patient?: string;
  /** "Practitioner/demo-clinician" | "Patient/<id>". */
  fhirUser?: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A demo user of the sandbox EHR; patient users have `patient` (their own id). `id` is the fhirUser. */
export interface SandboxUser {
  id: string;
  fhirUser: string;
  name: string;
  patient?: string;
}

export interface SandboxAuth {
  /** `${publicUrl}/auth`. */
  issuer: string;
  /** Mounts /auth (provider and interaction pages) and the /sandbox pages; call before any body parser. */
  mount(app: Express): void;
  /** JSON for /fhir/.well-known/smart-configuration. */
  smartConfiguration(): Record<string, unknown>;
  /** The grant behind an access token; undefined when unknown, expired or revoked. */
  verify(accessToken: string): Promise<TokenContext | undefined>;
  users: SandboxUser[];
  /** The registered backend client and its private JWK file (mode 0600). */
  backendClient: { clientId: string; keyFile: string };
  close(): Promise<void>;
}

export interface SandboxAuthOptions {
  /** http://127.0.0.1:PORT (the service's own URL, no trailing slash). */
  publicUrl: string;
  /** `${publicUrl}/fhir`: the only allowed `aud`. */
  fhirBaseUrl: string;
  /** The public client ('gradus-app'), redirect `${publicUrl}/callback`, PKCE S256 required. */
  appClientId: string;
  /** Demo patients (story names ok). */
  patients: { id: string; name: string }[];
  /** Where the backend key file is written. */
  dataDir: string;
  accessTokenTtlSeconds: number;
  logger: Logger;
}
