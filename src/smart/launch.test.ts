/**
 * The launch routes in a real express app on an ephemeral port, called over HTTP with fetch. The FHIR side here
 * only publishes its SMART configuration (discovery): its token endpoint is a closed port, so no code is ever
 * exchanged in-process. The full launch against the real authorization server runs in test/smart-launch.test.ts.
 */
import express from 'express';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { closedLocalUrl, listenLocal } from '../../test/support/listen';
import type { Level, LogFields } from '../server/logger';
import { SMART_KEY, type LaunchState } from './fhirclient';
import { smartRoutes } from './launch';
import { EHR_SCOPES, STANDALONE_SCOPES, type SmartOptions } from './options';
import { randomToken, SESSION_COOKIE, SessionStore, type Session } from './session';

let server: Server;
let base: string;
let closedUrl: string;
let store: SessionStore;
let options: SmartOptions;
const logs: { level: Level; message: string; fields: LogFields }[] = [];
const revoked: Record<string, string>[] = [];

beforeAll(async () => {
  closedUrl = await closedLocalUrl();

  const app = express();
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');
  ({ server, url: base } = await listenLocal(app));
  const config = (pkce: boolean): Record<string, unknown> => ({
    issuer: `${base}/auth`,
    authorization_endpoint: `${base}/auth/authorize`,
    token_endpoint: `${closedUrl}/auth/token`,
    revocation_endpoint: `${base}/auth/revoke`,
    ...(pkce ? { code_challenge_methods_supported: ['S256'] } : {}),
  });
  app.get('/fhir/.well-known/smart-configuration', (_req, res) => void res.json(config(true)));
  app.get('/nopkce/.well-known/smart-configuration', (_req, res) => void res.json(config(false)));
  app.get('/norevoke/.well-known/smart-configuration', (_req, res) => void res.json({ ...config(true), revocation_endpoint: `${closedUrl}/auth/revoke` }));
  app.post('/auth/revoke', express.urlencoded({ extended: false }), (req, res) => {
    revoked.push(req.body as Record<string, string>);
    res.status(200).end();
  });
  store = new SessionStore();
  options = {
    publicUrl: base,
    clientId: 'gradus-app',
    issuers: [`${base}/fhir`, `${base}/nopkce`, `${base}/norevoke`, `${closedUrl}/fhir`],
    sessions: store,
    launcherUrl: '/sandbox',
    authTimeoutMs: 3000,
    logger: { log: (level, message, fields = {}) => void logs.push({ level, message, fields }) },
  };
  app.use(smartRoutes(options));
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

interface Answer {
  status: number;
  location: string | null;
  cookies: string[];
  text: string;
}

async function visit(path: string, init: { cookie?: string; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  const response = await fetch(`${base}${path}`, {
    method: init.form ? 'POST' : 'GET',
    headers: init.form ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), cookies: response.headers.getSetCookie(), text: await response.text() };
}

const sessionCookieOf = (answer: Answer): string | undefined => answer.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0];
const h1 = (answer: Answer): string | undefined => /<h1>([^<]*)<\/h1>/.exec(answer.text)?.[1];

/** A launch against the FHIR server at /fhir: the browser's cookie and the authorization request's parameters. */
async function launch(query: string, cookie?: string): Promise<{ answer: Answer; cookie: string; params: URLSearchParams }> {
  const answer = await visit(`/launch?${query}`, cookie !== undefined ? { cookie } : {});
  expect(`${answer.status} ${h1(answer) ?? ''}`).toBe('302 ');
  const location = new URL(answer.location ?? '');
  return { answer, cookie: cookie ?? sessionCookieOf(answer) ?? '', params: location.searchParams };
}

const fhirIss = (): string => encodeURIComponent(`${base}/fhir`);

describe('GET /launch', () => {
  it('sends an EHR launch to the authorization server with the EHR scopes, the launch id, PKCE S256 and a fresh state', async () => {
    const { answer, params, cookie } = await launch(`iss=${fhirIss()}&launch=xyz-123`);
    expect(answer.location?.startsWith(`${base}/auth/authorize?`)).toBe(true);
    expect(Object.fromEntries(params)).toEqual({
      response_type: 'code',
      client_id: 'gradus-app',
      scope: EHR_SCOPES,
      redirect_uri: `${base}/callback`,
      aud: `${base}/fhir`,
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
      launch: 'xyz-123',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
      code_challenge_method: 'S256',
    });
    const session = store.get(cookie.split('=')[1]);
    const state = session?.storage[params.get('state') ?? ''] as LaunchState;
    expect(createHash('sha256').update(state.codeVerifier ?? '').digest('base64url')).toBe(params.get('code_challenge'));
    expect(state.tokenResponse).toEqual({});
    expect(answer.text).not.toContain(state.codeVerifier);
  });

  it('sends a standalone launch (iss only) with the patient scopes and no launch id', async () => {
    const { params } = await launch(`iss=${fhirIss()}`);
    expect(params.get('scope')).toBe(STANDALONE_SCOPES);
    expect(params.has('launch')).toBe(false);
    expect(params.get('code_challenge_method')).toBe('S256');
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, and not Secure over plain http', async () => {
    const { answer } = await launch(`iss=${fhirIss()}`);
    const cookie = answer.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax$`));
  });

  it('marks the cookie Secure when the request came over TLS (a trusted proxy says https)', async () => {
    const answer = await visit(`/launch?iss=${fhirIss()}`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(answer.cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('keeps the browser’s session for a second launch, and both launches stay open', async () => {
    const first = await launch(`iss=${fhirIss()}`);
    const second = await launch(`iss=${fhirIss()}&launch=abc`, first.cookie);
    expect(sessionCookieOf(second.answer)).toBeUndefined();
    const session = store.get(first.cookie.split('=')[1]);
    expect([...(session?.pending.keys() ?? [])]).toEqual([first.params.get('state'), second.params.get('state')]);
    expect(Object.keys(session?.storage ?? {}).sort()).toEqual([SMART_KEY, first.params.get('state'), second.params.get('state')].sort());
  });

  it('keeps at most five unfinished launches per session, dropping the oldest', async () => {
    const first = await launch(`iss=${fhirIss()}`);
    const states = [first.params.get('state')];
    for (let i = 0; i < 5; i++) states.push((await launch(`iss=${fhirIss()}`, first.cookie)).params.get('state'));
    const session = store.get(first.cookie.split('=')[1]);
    expect([...(session?.pending.keys() ?? [])].sort()).toEqual(states.slice(1).sort());
    expect(session?.storage[states[0] ?? '']).toBeUndefined();
  });

  it.each([
    ['no iss', '', 400, 'The launch link names no FHIR server (iss).'],
    ['an iss Gradus is not set up for', `iss=${encodeURIComponent('https://evil.example/fhir')}`, 400, 'Gradus is not set up for the FHIR server at https://evil.example/fhir.'],
    ['iss given twice', `iss=${encodeURIComponent('https://a.example/fhir')}&iss=${encodeURIComponent('https://b.example/fhir')}`, 400, 'The launch link names no FHIR server (iss).'],
    ['an empty launch id', 'iss=ISS&launch=', 400, 'The launch link has an unreadable launch id.'],
    ['a server without PKCE S256', 'iss=NOPKCE', 502, 'does not offer PKCE with S256, which Gradus requires.'],
    ['a server whose SMART configuration cannot be read', 'iss=DOWN', 502, 'Could not read the SMART configuration of the FHIR server at'],
  ])('refuses a launch with %s: a "Launch failed" page', async (_case, rawQuery, status, reason) => {
    const query = rawQuery.replace('ISS', fhirIss()).replace('NOPKCE', encodeURIComponent(`${base}/nopkce`)).replace('DOWN', encodeURIComponent(`${closedUrl}/fhir`));
    const answer = await visit(`/launch?${query}`);
    expect(answer.status).toBe(status);
    expect(h1(answer)).toBe('Launch failed');
    expect(answer.text).toContain(reason);
    expect(answer.text).toContain('<a href="/sandbox">');
  });

  it('escapes an unknown iss on the page', async () => {
    const answer = await visit(`/launch?iss=${encodeURIComponent('https://x.example/<script>alert(1)</script>')}`);
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(answer.text).not.toContain('<script>');
  });

  it('accepts the configured FHIR base URL with a trailing slash', async () => {
    const { params } = await launch(`iss=${encodeURIComponent(`${base}/fhir/`)}`);
    expect(params.get('aud')).toBe(`${base}/fhir`);
  });
});

describe('GET /callback', () => {
  const NOT_STARTED = 'This sign-in link was not started in this browser, or it was already used.';

  it.each([
    ['no session cookie', false, 'state=STATE&code=c'],
    ['a state this session never started (forged)', true, 'state=forged-state-value&code=c'],
    ['no state', true, 'code=c'],
    ['a state given twice', true, 'state=STATE&state=STATE&code=c'],
  ])('refuses a callback with %s', async (_case, withCookie, query) => {
    const { cookie, params } = await launch(`iss=${fhirIss()}`);
    const answer = await visit(`/callback?${query.replaceAll('STATE', params.get('state') ?? '')}`, withCookie ? { cookie } : {});
    expect(answer.status).toBe(400);
    expect(h1(answer)).toBe('Launch failed');
    expect(answer.text).toContain(NOT_STARTED);
    expect(answer.cookies).toEqual([]);
  });

  it('refuses a state another browser’s session started', async () => {
    const mine = await launch(`iss=${fhirIss()}`);
    const theirs = await launch(`iss=${fhirIss()}`);
    const answer = await visit(`/callback?state=${theirs.params.get('state')}&code=c`, { cookie: mine.cookie });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(NOT_STARTED);
    expect(store.get(theirs.cookie.split('=')[1])?.pending.has(theirs.params.get('state') ?? '')).toBe(true);
  });

  it('uses a state once: the second visit of the same callback URL is refused', async () => {
    const { cookie, params } = await launch(`iss=${fhirIss()}`);
    const url = `/callback?state=${params.get('state')}&code=some-code`;
    const first = await visit(url, { cookie });
    expect(first.status).toBe(502); // the token endpoint is a closed port here
    expect(first.text).toContain('The sign-in could not be completed with the authorization server.');
    const again = await visit(url, { cookie });
    expect(again.status).toBe(400);
    expect(again.text).toContain(NOT_STARTED);
    const session = store.get(cookie.split('=')[1]);
    expect(session?.storage[params.get('state') ?? '']).toBeUndefined();
    expect(session?.servers).toEqual({});
  });

  it('shows the authorization server’s error and its description, escaped', async () => {
    const { cookie, params } = await launch(`iss=${fhirIss()}`);
    const description = 'The <b>user</b> denied "access"';
    const answer = await visit(`/callback?state=${params.get('state')}&error=access_denied&error_description=${encodeURIComponent(description)}`, { cookie });
    expect(answer.status).toBe(400);
    expect(h1(answer)).toBe('Launch failed');
    expect(answer.text).toContain('The sign-in was declined. It answered: access_denied: The &lt;b&gt;user&lt;/b&gt; denied &quot;access&quot;');
    expect(answer.text).not.toContain('<b>');
  });

  it('does not show an error description under a state it did not start', async () => {
    const { cookie } = await launch(`iss=${fhirIss()}`);
    const answer = await visit(`/callback?state=nope&error=access_denied&error_description=${encodeURIComponent('Call 555-0100 now')}`, { cookie });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(NOT_STARTED);
    expect(answer.text).not.toContain('555-0100');
  });

  it('fails a callback without a code', async () => {
    const { cookie, params } = await launch(`iss=${fhirIss()}`);
    const answer = await visit(`/callback?state=${params.get('state')}`, { cookie });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('The authorization server sent no sign-in code.');
  });

  it('refuses a launch that came back after the launch time limit', async () => {
    const clock = { now: Date.now() };
    const slowStore = new SessionStore({ now: () => clock.now });
    const app = express();
    app.use(smartRoutes({ ...options, sessions: slowStore }));
    const { server: s, url } = await listenLocal(app);
    try {
      const started = await fetch(`${url}/launch?iss=${fhirIss()}`, { redirect: 'manual' });
      const cookie = started.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const state = new URL(started.headers.get('location') ?? '').searchParams.get('state');
      clock.now += 14 * 60_000; // the session stays alive (seen), the launch does not
      expect(slowStore.get(cookie.split('=')[1])).toBeDefined();
      clock.now += 2 * 60_000;
      const back = await fetch(`${url}/callback?state=${state}&code=c`, { headers: { cookie }, redirect: 'manual' });
      expect(back.status).toBe(400);
      expect(await back.text()).toContain(NOT_STARTED);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});

describe('POST /logout', () => {
  it.each([
    ['no csrf field', {}],
    ['a wrong csrf token', { csrf: 'not-the-token' }],
  ])('refuses a logout with %s: 403 "Not allowed", the session stays', async (_case, form: Record<string, string>) => {
    const { cookie } = await launch(`iss=${fhirIss()}`);
    const answer = await visit('/logout', { cookie, form });
    expect(answer.status).toBe(403);
    expect(h1(answer)).toBe('Not allowed');
    expect(store.get(cookie.split('=')[1])).toBeDefined();
  });

  it('ends the session with the session’s csrf token: "Signed out", the cookie cleared', async () => {
    const { cookie } = await launch(`iss=${fhirIss()}`);
    const session = store.get(cookie.split('=')[1]);
    const answer = await visit('/logout', { cookie, form: { csrf: session?.csrfToken ?? '' } });
    expect(answer.status).toBe(200);
    expect(h1(answer)).toBe('Signed out');
    expect(answer.cookies).toEqual([`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`]);
    expect(store.get(cookie.split('=')[1])).toBeUndefined();
    expect(session?.ended).toBe(true);
  });

  /** A signed-in session holding tokens for these FHIR servers (as completeLaunch leaves it). */
  function signedIn(...serverUrls: string[]): { cookie: string; session: Session } {
    const session = store.create();
    for (const serverUrl of serverUrls) {
      const key = randomToken();
      session.servers[serverUrl] = key;
      session.storage[key] = { serverUrl, tokenResponse: { access_token: `access-${key}`, refresh_token: `refresh-${key}` } };
    }
    return { cookie: `${SESSION_COOKIE}=${session.id}`, session };
  }

  it('revokes the session’s tokens at the revocation endpoint (refresh token, then access token, as gradus-app)', async () => {
    const { cookie, session } = signedIn(`${base}/fhir`);
    const key = session.servers[`${base}/fhir`] ?? '';
    revoked.length = 0;
    const answer = await visit('/logout', { cookie, form: { csrf: session.csrfToken } });
    expect(`${answer.status} ${h1(answer) ?? ''}`).toBe('200 Signed out');
    expect(revoked).toEqual([
      { token: `refresh-${key}`, token_type_hint: 'refresh_token', client_id: 'gradus-app' },
      { token: `access-${key}`, token_type_hint: 'access_token', client_id: 'gradus-app' },
    ]);
    expect(session.ended).toBe(true);
  });

  it.each([
    ['cannot be reached', 'norevoke', 'revocation-unreachable'],
    ['cannot be discovered (the FHIR server is down)', 'closed', 'discovery-failed'],
  ])('still signs out when the revocation endpoint %s: the session ends, the failure is logged without the token', async (_case, server, event) => {
    const { cookie, session } = signedIn(server === 'closed' ? `${closedUrl}/fhir` : `${base}/${server}`);
    logs.length = 0;
    const answer = await visit('/logout', { cookie, form: { csrf: session.csrfToken } });
    expect(`${answer.status} ${h1(answer) ?? ''}`).toBe('200 Signed out');
    expect(answer.cookies[0]).toContain('Max-Age=0');
    expect(session.ended).toBe(true);
    expect(store.get(cookie.split('=')[1])).toBeUndefined();
    expect(logs.map((l) => [l.message, l.fields.outcome])).toEqual([
      ['smart logout', 'ok'],
      ['smart token revocation failed', event],
    ]);
    expect(JSON.stringify(logs)).not.toMatch(/access-|refresh-/);
  });

  it('answers "Signed out" and clears the cookie when there is no session', async () => {
    const answer = await visit('/logout', { form: { csrf: 'x' } });
    expect(answer.status).toBe(200);
    expect(h1(answer)).toBe('Signed out');
    expect(answer.cookies[0]).toContain('Max-Age=0');
  });
});

describe('the pages', () => {
  it('are small accessible HTML documents without inline script or style', async () => {
    const answer = await visit('/launch');
    expect(answer.text).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(answer.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(answer.text).toContain('<title>Launch failed - Gradus</title>');
    expect(answer.text).toContain('<a class="skip-link" href="#main">');
    expect(answer.text.match(/<main id="main">/g)).toHaveLength(1);
    expect(answer.text.match(/<h1>/g)).toHaveLength(1);
    expect(answer.text).not.toMatch(/<script|<style|style=/);
  });
});
