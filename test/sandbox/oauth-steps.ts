/**
 * The steps of an OAuth 2 authorization code flow with PKCE done by hand over real HTTP, as a browser and an
 * app would: a cookie jar and redirects followed one at a time (../support/cookie-browser), the sign-in form,
 * the token endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CookieBrowser } from '../support/cookie-browser';
import type { SandboxProcess } from './sandbox-process';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeRequest {
  scope: string;
  /** Default: the sandbox's FHIR base URL; null leaves it out. */
  aud?: string | null;
  launch?: string;
  /** Default: S256 of a fresh verifier; null leaves the challenge out. */
  codeChallenge?: string | null;
  codeChallengeMethod?: string;
  state?: string;
}

export function authorizeUrl(sb: SandboxProcess, request: AuthorizeRequest, challenge: string): string {
  const params = new URLSearchParams({ response_type: 'code', client_id: 'gradus-app', redirect_uri: `${sb.url}/callback`, scope: request.scope, state: request.state ?? randomBytes(8).toString('hex') });
  const aud = request.aud === undefined ? sb.fhirBaseUrl : request.aud;
  if (aud !== null) params.set('aud', aud);
  if (request.launch !== undefined) params.set('launch', request.launch);
  const codeChallenge = request.codeChallenge === undefined ? challenge : request.codeChallenge;
  if (codeChallenge !== null) {
    params.set('code_challenge', codeChallenge);
    params.set('code_challenge_method', request.codeChallengeMethod ?? 'S256');
  }
  return `${sb.url}/auth/authorize?${params.toString()}`;
}

/** Where a redirect chain stopped: the app's callback (its query), or a page (its URL and response). */
export type Stop = { callback: URLSearchParams; hops: string[] } | { page: Response; url: string; hops: string[] };

/** Follows redirects until the app's /callback (not fetched) or a response that is not a redirect. */
export async function follow(browser: CookieBrowser, first: Response, firstUrl: string): Promise<Stop> {
  let res = first;
  let url = firstUrl;
  const hops: string[] = [];
  for (let i = 0; i < 10; i++) {
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || location === null) return { page: res, url, hops };
    url = new URL(location, url).href;
    hops.push(new URL(url).pathname);
    if (new URL(url).pathname === '/callback') return { callback: new URL(url).searchParams, hops };
    res = await browser.fetch(url);
  }
  throw new Error('more than 10 redirects');
}

export interface SignInResult {
  verifier: string;
  stop: Stop;
}

/** Starts an authorization request; posts `form` to the sign-in page when one is shown. */
export async function authorize(sb: SandboxProcess, browser: CookieBrowser, request: AuthorizeRequest, form?: Record<string, string>): Promise<SignInResult> {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(sb, request, challenge);
  let stop = await follow(browser, await browser.fetch(url), url);
  if ('page' in stop && form !== undefined && new URL(stop.url).pathname.startsWith('/auth/interaction/')) {
    const hops = stop.hops;
    stop = await follow(browser, await browser.postForm(stop.url, form), stop.url);
    stop.hops.unshift(...hops);
  }
  return { verifier, stop };
}

export function callbackOf(stop: Stop): URLSearchParams {
  if (!('callback' in stop)) throw new Error(`stopped at ${stop.url} (${stop.page.status}) instead of the app's callback`);
  return stop.callback;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function tokenRequest(sb: SandboxProcess, fields: Record<string, string>): Promise<TokenAnswer> {
  const res = await fetch(`${sb.url}/auth/token`, { method: 'POST', body: new URLSearchParams(fields), headers: { accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Exchanges the code of a finished sign-in. */
export function exchangeCode(sb: SandboxProcess, code: string, verifier: string | undefined): Promise<TokenAnswer> {
  return tokenRequest(sb, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${sb.url}/callback`,
    client_id: 'gradus-app',
    ...(verifier === undefined ? {} : { code_verifier: verifier }),
  });
}

/** A whole sign-in to tokens; fails the test when any step does not succeed. */
export async function signInForTokens(sb: SandboxProcess, request: AuthorizeRequest, form?: Record<string, string>): Promise<Record<string, unknown>> {
  const { verifier, stop } = await authorize(sb, new CookieBrowser(), request, form);
  const code = callbackOf(stop).get('code');
  if (code === null) throw new Error(`no code: ${callbackOf(stop).toString()}`);
  const answer = await exchangeCode(sb, code, verifier);
  if (answer.status !== 200) throw new Error(`token request failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** What the sandbox's verify() says of a token (through run-sandbox.mjs's test-only route). */
export async function verified(sb: SandboxProcess, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sb.url}/test-only/verify`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
