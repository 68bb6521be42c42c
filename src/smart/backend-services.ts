/**
 * SMART Backend Services, the client side: in come a FHIR base URL, a registered client id, its private key
 * (RS384 or ES384) and the scopes wanted; out comes a token function for FhirClient that discovers the token
 * endpoint, signs a client assertion, asks for an access token with the client credentials grant and reuses
 * it until shortly before it expires. Neither the key nor a token is ever logged or put in an error message.
 * See: https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { createPrivateKey, createPublicKey, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JWK } from 'jose';
import { issue, OperationOutcomeError, outcome, type IssueCode } from '../fhir/outcome';
import { isJsonObject, strings } from '../fhir/json';
import { safeForToken } from '../client/fhir-client';
import { smartConfigurationUrl } from './options';

/** The signing algorithms SMART Backend Services allows. */
export type BackendAlg = 'RS384' | 'ES384';
export const BACKEND_ALGS: readonly BackendAlg[] = ['RS384', 'ES384'];

/** What the nightly `gradus progress --all` needs: read plans and patients, write orders, plans and Provenances. */
export const DEFAULT_BACKEND_SCOPE =
  'system/CarePlan.rus system/ServiceRequest.crus system/Observation.rs system/Provenance.crs system/Patient.rs system/Goal.rs';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The longest client assertion lifetime SMART allows is 5 min; a little less leaves room for clock skew. */
const ASSERTION_SECONDS = 240;

/**
 * Why a backend token could not be had: `key` (unusable key), `discovery` (no usable SMART configuration),
 * `unreachable` (no or a broken answer), `refused` (the token endpoint said no: its error and description).
 */
export type BackendAuthFailure = 'key' | 'discovery' | 'unreachable' | 'refused';

const FAILURE: Record<BackendAuthFailure, { code: IssueCode; status: number }> = {
  key: { code: 'invalid', status: 400 },
  discovery: { code: 'not-supported', status: 502 },
  unreachable: { code: 'transient', status: 502 },
  refused: { code: 'login', status: 401 },
};

/** A failed SMART Backend Services step, as an OperationOutcome with one clear line. */
export class BackendAuthError extends OperationOutcomeError {
  readonly failure: BackendAuthFailure;
  constructor(failure: BackendAuthFailure, message: string) {
    super(outcome([issue('error', FAILURE[failure].code, message)]), FAILURE[failure].status);
    this.name = 'BackendAuthError';
    this.failure = failure;
  }
}

/** A private key in PEM (PKCS#8, or PKCS#1/SEC1); alg defaults to RS384 for RSA and ES384 for EC P-384. */
export interface PemKey {
  pem: string;
  alg?: BackendAlg;
  /** Defaults to the RFC 7638 thumbprint of the public key. */
  kid?: string;
}

/** A checked signing key: a private RSA (>= 2048 bits) or EC P-384 key and the algorithm it signs with. */
export interface BackendKey {
  readonly key: KeyObject;
  readonly alg: BackendAlg;
  readonly kid: string;
}

export type PrivateKeyInput = JWK | PemKey | BackendKey;

const isBackendKey = (k: PrivateKeyInput): k is BackendKey => 'key' in k && typeof k.key === 'object';
const isPemKey = (k: PrivateKeyInput): k is PemKey => 'pem' in k && typeof k.pem === 'string';
const isAlg = (v: unknown): v is BackendAlg => typeof v === 'string' && (BACKEND_ALGS as readonly string[]).includes(v);

/** One printable line of at most 300 characters from text another party wrote. */
function clean(text: string): string {
  const line = text.replace(/\p{Cc}+/gu, ' ').replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The algorithm a private key signs with, checked against the one asked for. */
function algFor(key: KeyObject, wanted: string | undefined): BackendAlg {
  if (wanted !== undefined && !isAlg(wanted)) {
    throw new BackendAuthError('key', `alg ${clean(wanted)} is not supported: SMART Backend Services signs with RS384 or ES384`);
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new BackendAuthError('key', 'an RSA key needs at least 2048 bits');
    if (wanted === 'ES384') throw new BackendAuthError('key', 'ES384 needs an EC P-384 key; this is an RSA key');
    return 'RS384';
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'secp384r1') throw new BackendAuthError('key', `EC keys must be on P-384 for ES384 (this one is on ${curve ?? 'an unknown curve'})`);
    if (wanted === 'RS384') throw new BackendAuthError('key', 'RS384 needs an RSA key; this is an EC P-384 key');
    return 'ES384';
  }
  throw new BackendAuthError('key', `a ${key.asymmetricKeyType ?? 'symmetric'} key is not supported: use an RSA (RS384) or EC P-384 (ES384) key`);
}

async function thumbprint(key: KeyObject): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(createPublicKey(key)), 'sha256');
}

/** Checks a private key (JWK, PEM or already checked) and settles its algorithm and kid. */
export async function importBackendKey(input: PrivateKeyInput, alg?: BackendAlg): Promise<BackendKey> {
  if (isBackendKey(input)) return input;
  if (isPemKey(input)) {
    let key: KeyObject;
    try {
      key = createPrivateKey(input.pem);
    } catch {
      throw new BackendAuthError('key', 'not a readable unencrypted private key in PEM');
    }
    const settled = algFor(key, input.alg ?? alg);
    return { key, alg: settled, kid: input.kid ?? (await thumbprint(key)) };
  }
  const jwk = input;
  if (typeof jwk.d !== 'string') throw new BackendAuthError('key', 'the JWK is not a private key (no "d")');
  if (alg !== undefined && jwk.alg !== undefined && jwk.alg !== alg) {
    throw new BackendAuthError('key', `the JWK says alg ${clean(jwk.alg)}, not ${alg}`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw new BackendAuthError('key', `not a usable private JWK (kty ${clean(String(jwk.kty ?? 'missing'))})`);
  }
  const settled = algFor(key, jwk.alg ?? alg);
  return { key, alg: settled, kid: typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : await thumbprint(key) };
}

/**
 * Reads a private key file: a JWK JSON object (its alg, else RS384/ES384 by kty) or a PEM private key
 * (alg given, else RS384 for RSA and ES384 for EC P-384). Errors name the file, never its content.
 */
export async function readPrivateKey(file: string, alg?: BackendAlg): Promise<BackendKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new BackendAuthError('key', `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        throw new BackendAuthError('key', 'malformed JSON');
      }
      if (!isJsonObject(value)) throw new BackendAuthError('key', 'expected a JWK (a JSON object)');
      if (Array.isArray(value.keys)) throw new BackendAuthError('key', 'a JWK Set: give the one private JWK of the client');
      if (typeof value.kty !== 'string') throw new BackendAuthError('key', 'not a JWK (no "kty")');
      return await importBackendKey(value as unknown as JWK, alg);
    }
    if (/^-----BEGIN (ENCRYPTED PRIVATE KEY|PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(trimmed)) {
      throw new BackendAuthError('key', 'expected an unencrypted private key, found a public key, certificate or encrypted key');
    }
    if (trimmed.startsWith('-----BEGIN ')) return await importBackendKey({ pem: trimmed, ...(alg ? { alg } : {}) });
    throw new BackendAuthError('key', 'expected a private JWK (JSON) or a PEM private key');
  } catch (err) {
    if (err instanceof BackendAuthError && err.failure === 'key') throw new BackendAuthError('key', `${file}: ${err.message}`);
    throw err;
  }
}

/** Signs the client assertion: iss = sub = client id, aud = token endpoint, a random jti, exp 4 min ahead. */
export async function clientAssertion(options: { clientId: string; tokenEndpoint: string; key: BackendKey; nowMs?: number }): Promise<string> {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: options.key.alg, kid: options.key.kid, typ: 'JWT' })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_SECONDS)
    .sign(options.key.key);
}

type Fetch = typeof fetch;

async function getJson(fetchFn: Fetch, url: string, init: RequestInit, what: string): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (err) {
    const cause = (err as { cause?: { message?: unknown } } | undefined)?.cause?.message;
    const name = (err as { name?: unknown } | undefined)?.name;
    const reason = name === 'TimeoutError' ? 'no answer in time' : typeof cause === 'string' ? cause : String(err);
    throw new BackendAuthError('unreachable', `${what} ${url} could not be reached (${clean(reason)})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

/**
 * The token endpoint from `<fhirBase>/.well-known/smart-configuration`, once it is checked to offer the
 * client credentials grant with private_key_jwt signed with the key's algorithm.
 */
export async function discoverTokenEndpoint(fhirBaseUrl: string, alg: BackendAlg, fetchFn: Fetch = fetch, timeoutMs = 30_000): Promise<string> {
  const url = smartConfigurationUrl(fhirBaseUrl);
  const { status, body } = await getJson(fetchFn, url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) }, 'the SMART configuration');
  if (status < 200 || status >= 300) throw new BackendAuthError('discovery', `no SMART configuration at ${url} (HTTP ${status})`);
  if (!isJsonObject(body)) throw new BackendAuthError('discovery', `the SMART configuration at ${url} is not a JSON object`);
  const missing: string[] = [];
  if (!strings(body.grant_types_supported).includes('client_credentials')) missing.push('grant type client_credentials');
  if (!strings(body.token_endpoint_auth_methods_supported).includes('private_key_jwt')) missing.push('client authentication private_key_jwt');
  const algs = strings(body.token_endpoint_auth_signing_alg_values_supported);
  if (!algs.includes(alg)) missing.push(`${alg} assertions (it accepts ${algs.filter(isAlg).join(', ') || 'neither RS384 nor ES384'})`);
  if (missing.length > 0) throw new BackendAuthError('discovery', `the SMART configuration at ${url} does not offer backend services: no ${missing.join(', no ')}`);
  const endpoint = body.token_endpoint;
  let parsed: URL;
  try {
    parsed = new URL(typeof endpoint === 'string' ? endpoint : '');
  } catch {
    throw new BackendAuthError('discovery', `the SMART configuration at ${url} has no token_endpoint URL`);
  }
  if (!safeForToken(parsed.href)) throw new BackendAuthError('discovery', `the token endpoint ${parsed.origin} is not https (http only on this machine)`);
  return parsed.href;
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds the token lives, as the token endpoint said (300 when it did not). */
  expiresIn: number;
  scope?: string;
}

/** One client credentials request with a fresh assertion; refusals carry the endpoint's error and error_description. */
export async function requestBackendToken(options: {
  tokenEndpoint: string;
  clientId: string;
  key: BackendKey;
  scope: string;
  fetch?: Fetch;
  nowMs?: number;
  timeoutMs?: number;
}): Promise<IssuedToken> {
  const { tokenEndpoint } = options;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: options.scope,
    client_assertion_type: JWT_BEARER,
    client_assertion: await clientAssertion({ ...options, ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}) }),
  });
  const { status, body } = await getJson(
    options.fetch ?? fetch,
    tokenEndpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'cache-control': 'no-cache' },
      body: form.toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    },
    'the token endpoint',
  );
  const json = isJsonObject(body) ? body : {};
  if (status >= 400 && status < 500) {
    const error = typeof json.error === 'string' ? clean(json.error) : `HTTP ${status}`;
    const description = typeof json.error_description === 'string' && json.error_description.trim() !== '' ? ` (${clean(json.error_description)})` : '';
    throw new BackendAuthError('refused', `the token endpoint ${tokenEndpoint} refused client ${clean(options.clientId)}: ${error}${description}`);
  }
  if (status < 200 || status >= 300) throw new BackendAuthError('unreachable', `the token endpoint ${tokenEndpoint} failed (HTTP ${status})`);
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn, scope } = json;
  if (typeof accessToken !== 'string' || accessToken === '' || typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw new BackendAuthError('unreachable', `the token endpoint ${tokenEndpoint} answered without a bearer access_token`);
  }
  const lifetime = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 300;
  return { accessToken, expiresIn: lifetime, ...(typeof scope === 'string' ? { scope } : {}) };
}

export interface BackendTokenOptions {
  /** The FHIR server's base URL; its `.well-known/smart-configuration` names the token endpoint. */
  fhirBaseUrl: string;
  clientId: string;
  privateKey: PrivateKeyInput;
  /** Default DEFAULT_BACKEND_SCOPE. */
  scope?: string;
  /** Injected for tests; default the global fetch. */
  fetch?: Fetch;
  /** The clock that decides when a token is renewed (injected for tests); assertions are always dated by the real clock. */
  now?: () => number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

/** Seconds before expiry when a token is renewed: a tenth of its life, at most a minute. */
export const renewalMarginSeconds = (expiresIn: number): number => Math.min(60, expiresIn / 10);

/**
 * A FhirClient token function: the first call discovers the token endpoint and gets a token; later calls
 * reuse it until shortly before it expires, then get a new one. Concurrent calls share one request; a
 * failed request is not cached (the next call tries again).
 */
export function backendTokenSource(options: BackendTokenOptions): () => Promise<string> {
  const now = options.now ?? Date.now;
  const scope = options.scope ?? DEFAULT_BACKEND_SCOPE;
  let setup: Promise<{ key: BackendKey; tokenEndpoint: string }> | undefined;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const prepare = async (): Promise<{ key: BackendKey; tokenEndpoint: string }> => {
    const key = await importBackendKey(options.privateKey);
    const tokenEndpoint = await discoverTokenEndpoint(options.fhirBaseUrl, key.alg, options.fetch, options.timeoutMs);
    return { key, tokenEndpoint };
  };

  const renew = async (): Promise<string> => {
    setup ??= prepare().catch((err: unknown) => {
      setup = undefined;
      throw err;
    });
    const { key, tokenEndpoint } = await setup;
    const asked = now();
    const issued = await requestBackendToken({
      tokenEndpoint,
      clientId: options.clientId,
      key,
      scope,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    cached = { token: issued.accessToken, renewAt: asked + (issued.expiresIn - renewalMarginSeconds(issued.expiresIn)) * 1000 };
    return issued.accessToken;
  };

  return () => {
    if (cached !== undefined && now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= renew().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
