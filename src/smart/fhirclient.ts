/**
 * The one door to `fhirclient` (SMART's own client, its Node entry). In go a session's storage and the launch
 * parameters Gradus has already checked; out come the authorization URL, the token exchange and refreshes.
 * fhirclient never sees the browser's request: it reads `iss`, `launch`, `clientId`, `patientId`,
 * `fhirServiceUrl`, `state`, `code` and `error` from the URL it is given, so it is given a URL without a query
 * and every value as an option. Its own type declarations pull the DOM library into the whole program, so the
 * few shapes Gradus uses are declared here instead.
 * See: https://docs.smarthealthit.org/client-js/node.html
 */
import { createRequire } from 'node:module';
import { isJsonObject } from '../fhir/json';
import { smartConfigurationUrl } from './options';

/** The storage key under which fhirclient remembers the state key of the launch in progress. */
export const SMART_KEY = 'SMART_KEY';

/** The token endpoint's answer as fhirclient keeps it (SMART adds the launch context). */
export interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  token_type?: string;
  scope?: string;
  expires_in?: number;
  patient?: string;
  fhirUser?: string;
  [key: string]: unknown;
}

/** fhirclient's state of one launch (stored in the session under its state key). */
export interface LaunchState {
  serverUrl: string;
  key?: string;
  clientId?: string;
  scope?: string;
  redirectUri?: string;
  authorizeUri?: string;
  tokenUri?: string;
  codeChallenge?: string;
  codeVerifier?: string;
  /** Epoch seconds when the access token expires. */
  expiresAt?: number;
  tokenResponse?: TokenResponse;
}

/** fhirclient's key/value storage; Gradus backs it with the session's `storage` object. */
export interface FhirclientStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  unset(key: string): Promise<boolean>;
}

export interface AuthorizeParams {
  iss: string;
  launch?: string;
  clientId: string;
  scope: string;
  redirectUri: string;
  pkceMode: 'required';
  stateKey: string;
  noRedirect: true;
  wellKnownRequestOptions?: { signal?: AbortSignal };
}

/** The part of fhirclient's Client that Gradus uses (token state and refresh). */
export interface SmartClient {
  state: LaunchState;
  refreshIfNeeded(requestOptions?: { signal?: AbortSignal }): Promise<LaunchState>;
  refresh(requestOptions?: { signal?: AbortSignal }): Promise<LaunchState>;
}

interface SmartApi {
  /** The adapter's options, read by Client.refresh (shared object, so set after creation). */
  options: Record<string, unknown>;
  authorize(params: AuthorizeParams): Promise<string | void>;
  ready(options: { stateKey: string; code: string }): Promise<SmartClient>;
  client(state: LaunchState): SmartClient;
}

/** What NodeAdapter reads from a request: the URL, the Host header, whether TLS carried it. */
interface RequestLike {
  url: string;
  headers: Record<string, string>;
  socket: { encrypted: boolean };
}

type SmartEntry = (request: RequestLike, response: unknown, storage: FhirclientStorage) => SmartApi;
interface FhirclientLib {
  getAndCache(url: string, requestOptions: { signal?: AbortSignal }, force: boolean): Promise<unknown>;
}

const load = createRequire(__filename);
const smart = load('fhirclient') as SmartEntry;
const lib = load('fhirclient/lib/lib') as FhirclientLib;

/** fhirclient's HttpError (a refused token or refresh request): the status and the server's `error: description`. */
export interface FhirclientHttpError {
  name: 'HttpError';
  status: number;
  message: string;
}

export function isFhirclientHttpError(err: unknown): err is FhirclientHttpError {
  const e = err as { name?: unknown; status?: unknown } | undefined;
  return e?.name === 'HttpError' && typeof e.status === 'number';
}

/** The OAuth `error: error_description` line fhirclient appends to an HttpError's message, when there is one. */
export function oauthErrorOf(err: FhirclientHttpError): string | undefined {
  const last = err.message.split('\n').pop()?.trim() ?? '';
  return /^[a-z_]+(?::|$)/.test(last) && !last.startsWith('URL:') ? last : undefined;
}

/** A storage view of a plain object (the session's), as fhirclient expects; writes are dropped once `open()` is false. */
export function objectStorage(target: Record<string, unknown>, open: () => boolean = () => true): FhirclientStorage {
  return {
    get: (key) => Promise.resolve(target[key]),
    set: (key, value) => {
      if (open()) target[key] = value;
      return Promise.resolve(value);
    },
    unset: (key) => {
      const had = Object.prototype.hasOwnProperty.call(target, key);
      if (open()) delete target[key];
      return Promise.resolve(had);
    },
  };
}

/** fhirclient never answers the browser: Gradus asks for the URL (noRedirect) and redirects itself. */
const unusedResponse = {};

/** fhirclient's SMART API over a storage, for an app served at `publicUrl` (a request without a query). */
export function smartApi(publicUrl: string, storage: FhirclientStorage): SmartApi {
  const url = new URL(publicUrl);
  const request: RequestLike = { url: url.pathname, headers: { host: url.host }, socket: { encrypted: url.protocol === 'https:' } };
  const api = smart(request, unusedResponse, storage);
  // A public client identifies itself in the refresh request (without it oidc-provider answers invalid_request).
  // See: https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#step-5-later-app-uses-a-refresh-token-to-obtain-a-new-access-token
  api.options.refreshTokenWithClientId = true;
  return api;
}

/** The SMART configuration a FHIR server publishes; only the fields Gradus checks. */
export interface SmartConfiguration {
  authorization_endpoint?: unknown;
  token_endpoint?: unknown;
  code_challenge_methods_supported?: unknown;
  [key: string]: unknown;
}

/**
 * Reads `${iss}/.well-known/smart-configuration` through fhirclient's discovery cache, forcing a fresh read:
 * that cache keeps a failed read for the life of the process, so one launch while the authorization server was
 * down would otherwise fail every later launch. authorize() then finds this answer in the cache.
 * See: https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html#using-well-known
 */
export async function discover(iss: string, timeoutMs: number): Promise<SmartConfiguration> {
  const body = await lib.getAndCache(smartConfigurationUrl(iss), { signal: AbortSignal.timeout(timeoutMs) }, true);
  if (!isJsonObject(body)) throw new Error('the SMART configuration is not a JSON object');
  return body;
}
