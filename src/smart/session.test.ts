/**
 * Sessions: the store's lifetimes, cap and renewal; the cookie; CSRF; and what a signed-in route answers
 * without a session or once its access has ended (requireSmart), in a real express app over HTTP.
 */
import express, { type Express } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireSmart, smartContext, withSmartErrors } from './context';
import { checkCsrf, csrfMatches } from './csrf';
import type { LaunchState } from './fhirclient';
import type { SmartOptions } from './options';
import { SESSION_COOKIE, SessionStore, sessionFor, sessionIdOf, startSession, type Session } from './session';

const MIN = 60_000;
const HOUR = 60 * MIN;

function clockedStore(options: { maxSessions?: number } = {}): { store: SessionStore; clock: { now: number } } {
  const clock = { now: 1_800_000_000_000 };
  return { store: new SessionStore({ ...options, now: () => clock.now }), clock };
}

/** Marks a session signed in to a server (what /callback leaves behind). */
function signIn(session: Session, serverUrl: string, state: Partial<LaunchState> = {}): LaunchState {
  const launchState: LaunchState = {
    serverUrl,
    key: 'state-key',
    clientId: 'gradus-app',
    scope: 'launch openid fhirUser patient/Patient.r',
    tokenUri: 'http://127.0.0.1:9/token',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    tokenResponse: { access_token: 'access-1', token_type: 'Bearer', patient: 'pat-1', fhirUser: 'Practitioner/doc-1', scope: 'launch openid fhirUser patient/Patient.r' },
    ...state,
  };
  session.storage['state-key'] = launchState;
  session.servers[serverUrl] = 'state-key';
  session.current = serverUrl;
  return launchState;
}

describe('the session store', () => {
  it.each([
    ['a session that never signed in, idle 14 min', false, [14 * MIN], true],
    ['a session that never signed in, idle 16 min', false, [16 * MIN], false],
    ['a signed-in session, idle 7 h 59 min', true, [8 * HOUR - MIN], true],
    ['a signed-in session, idle 8 h 1 min', true, [8 * HOUR + MIN], false],
    ['a signed-in session used every 7 h, at 21 h', true, [7 * HOUR, 7 * HOUR, 7 * HOUR], true],
    ['a signed-in session used every 7 h, at 28 h (over the 24 h limit)', true, [7 * HOUR, 7 * HOUR, 7 * HOUR, 7 * HOUR], false],
  ])('%s: alive is %s', (_case, signedIn, steps, alive) => {
    const { store, clock } = clockedStore();
    const session = store.create();
    if (signedIn) signIn(session, 'https://fhir.example/r4');
    let found: Session | undefined = session;
    for (const step of steps) {
      clock.now += step;
      found = store.get(session.id);
    }
    expect(found !== undefined).toBe(alive);
    if (!alive) {
      expect(session.ended).toBe(true);
      expect(session.storage).toEqual({});
    }
  });

  it('sweeps expired sessions, and expired launches with their fhirclient state', () => {
    const { store, clock } = clockedStore();
    const idle = store.create();
    const active = store.create();
    signIn(active, 'https://fhir.example/r4');
    store.addLaunch(active, 'old-launch');
    active.storage['old-launch'] = { serverUrl: 'https://fhir.example/r4' };
    clock.now += 20 * MIN;
    expect(store.sweep()).toBe(1);
    expect(idle.ended).toBe(true);
    expect(active.pending.size).toBe(0);
    expect(active.storage['old-launch']).toBeUndefined();
    expect(active.storage['state-key']).toBeDefined();
    expect(store.size).toBe(1);
  });

  it('when full, evicts the least recently used session that never signed in, then the least recently used', () => {
    const { store, clock } = clockedStore({ maxSessions: 3 });
    const a = store.create();
    signIn(a, 'https://fhir.example/r4');
    clock.now += 1;
    const b = store.create();
    clock.now += 1;
    const c = store.create();
    signIn(c, 'https://fhir.example/r4');
    store.create();
    expect([a.ended, b.ended, c.ended]).toEqual([false, true, false]);
    clock.now += 1;
    store.get(a.id); // a is now more recent than c
    const e = store.create(); // the one that never signed in goes first
    signIn(e, 'https://fhir.example/r4');
    store.create(); // then, all signed in, c: the least recently used
    expect([a.ended, c.ended]).toEqual([false, true]);
    expect(store.size).toBe(3);
  });

  it('renews a session: a new id and CSRF token, the old id dead, the content and the start time kept', () => {
    const { store, clock } = clockedStore();
    const session = store.create();
    const { id, csrfToken, createdAt } = session;
    signIn(session, 'https://fhir.example/r4');
    clock.now += MIN;
    store.renew(session);
    expect(session.id).not.toBe(id);
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(csrfToken);
    expect(store.get(id)).toBeUndefined();
    expect(store.get(session.id)).toBe(session);
    expect(session.createdAt).toBe(createdAt);
    expect(session.servers).toEqual({ 'https://fhir.example/r4': 'state-key' });
  });

  it('ends a session: gone from the store, its tokens dropped', () => {
    const { store } = clockedStore();
    const session = store.create();
    signIn(session, 'https://fhir.example/r4');
    store.end(session);
    expect(store.get(session.id)).toBeUndefined();
    expect([session.ended, session.storage, session.servers, session.current]).toEqual([true, {}, {}, undefined]);
    expect(() => store.renew(session)).toThrow('an ended session cannot be renewed');
  });

  it('gives every session its own random id and CSRF token', () => {
    const { store } = clockedStore();
    const sessions = Array.from({ length: 50 }, () => store.create());
    expect(new Set(sessions.flatMap((s) => [s.id, s.csrfToken])).size).toBe(100);
  });

  it.each([
    ['a', undefined],
    [`${SESSION_COOKIE}=abc; other=1`, 'abc'],
    [`other=1;  ${SESSION_COOKIE}=xyz`, 'xyz'],
    [`x${SESSION_COOKIE}=no`, undefined],
  ])('reads the session id from the Cookie header %j', (cookie, id) => {
    expect(sessionIdOf({ headers: { cookie } } as never)).toBe(id);
  });

  it('does not look up ids that are not 43 base64url characters', () => {
    const { store } = clockedStore();
    expect(store.get('../../etc')).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });
});

describe('CSRF tokens', () => {
  it.each([
    ['the same token', true, 'tok-123', 'tok-123'],
    ['another token', false, 'tok-124', 'tok-123'],
    ['a prefix', false, 'tok-12', 'tok-123'],
    ['an empty field', false, '', 'tok-123'],
    ['no field', false, undefined, 'tok-123'],
    ['a repeated field (array)', false, ['tok-123'], 'tok-123'],
  ])('%s: match is %s', (_case, matches, submitted, expected) => {
    expect(csrfMatches(submitted, expected)).toBe(matches);
  });
});

describe('a signed-in route (requireSmart) and a form (checkCsrf)', () => {
  const FHIR = '/fhir-answering-401';
  let server: Server;
  let base: string;
  let store: SessionStore;
  let options: SmartOptions;
  let fhirCalls: (string | null)[];

  beforeAll(async () => {
    const app: Express = express();
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store = new SessionStore();
    options = { publicUrl: base, clientId: 'gradus-app', issuers: [`${base}${FHIR}`], sessions: store, launcherUrl: '/sandbox', authTimeoutMs: 2000 };
    app.set('trust proxy', 'loopback');
    // A FHIR server with authorization on answers 401 to a token it no longer accepts (here: to every token).
    app.get(`${FHIR}/Patient/:id`, (req, res) => {
      fhirCalls.push(req.get('authorization') ?? null);
      res.status(401).type('application/fhir+json').send(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }));
    });
    app.get('/page', requireSmart(options), (_req, res) => {
      const { fhir, ...rest } = smartContext(res);
      res.json({ ...rest, fhirBase: fhir.baseUrl });
    });
    app.get(
      '/page-reading-fhir',
      requireSmart(options),
      withSmartErrors(options, async (_req, res) => {
        await smartContext(res).fhir.read('Patient', 'pat-1');
        res.send('unreachable');
      }),
    );
    app.post('/form', express.urlencoded({ extended: false }), requireSmart(options), checkCsrf, (_req, res) => void res.send('saved'));
    app.post('/form-without-session-check', express.urlencoded({ extended: false }), checkCsrf, (_req, res) => void res.send('saved'));
    app.get('/start', (req, res) => {
      const session = startSession(req, res, store);
      res.json({ same: sessionFor(req, store) === session });
    });
  });

  beforeEach(() => {
    fhirCalls = [];
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const cookieOf = (session: Session): string => `${SESSION_COOKIE}=${session.id}`;
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${base}${path}`, { headers, redirect: 'manual' });
  const post = (path: string, form: Record<string, string>, cookie?: string): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie !== undefined ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    });
  const h1 = async (response: Response): Promise<string | undefined> => /<h1>([^<]*)<\/h1>/.exec(await response.text())?.[1];

  it('starts one session per browser and sets its cookie once', async () => {
    const first = await get('/start');
    const cookie = first.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(await first.json()).toEqual({ same: true });
    const second = await get('/start', { cookie });
    expect(second.headers.getSetCookie()).toEqual([]);
  });

  it('sets the cookie Secure behind TLS (req.secure)', async () => {
    const answer = await get('/start', { 'x-forwarded-proto': 'https' });
    expect(answer.headers.getSetCookie()[0]).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it.each([
    ['no cookie', undefined],
    ['an unknown session id', `${SESSION_COOKIE}=${'A'.repeat(43)}`],
    ['a malformed cookie', `${SESSION_COOKIE}=<script>`],
  ])('answers 401 "Sign in needed" with a link to the launcher for %s', async (_case, cookie) => {
    const answer = await get('/page', cookie !== undefined ? { cookie } : {});
    expect(answer.status).toBe(401);
    const text = await answer.text();
    expect(text).toContain('<h1>Sign in needed</h1>');
    expect(text).toContain('<a href="/sandbox">');
  });

  it('answers 401 "Sign in needed" for a session whose launch has not finished', async () => {
    const session = store.create();
    store.addLaunch(session, 'pending-state');
    const answer = await get('/page', { cookie: cookieOf(session) });
    expect(answer.status).toBe(401);
    expect(await h1(answer)).toBe('Sign in needed');
  });

  it('answers a JSON client with a 401 OperationOutcome', async () => {
    const answer = await get('/page', { accept: 'application/json' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/fhir+json');
    expect(await answer.json()).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'You are not signed in to Gradus, or your session has expired.' }],
    });
  });

  it('gives a signed-in page its SMART context (never a token)', async () => {
    const session = store.create();
    signIn(session, `${base}${FHIR}`);
    const answer = await get('/page', { cookie: cookieOf(session) });
    expect(answer.status).toBe(200);
    const context = (await answer.json()) as Record<string, unknown>;
    expect(context).toEqual({
      serverUrl: `${base}${FHIR}`,
      patientId: 'pat-1',
      fhirUser: 'Practitioner/doc-1',
      scopes: ['launch', 'openid', 'fhirUser', 'patient/Patient.r'],
      csrfToken: session.csrfToken,
      fhirBase: `${base}${FHIR}`,
    });
    expect(JSON.stringify(context)).not.toContain('access-1');
  });

  it('refuses a session signed in to a FHIR server that is not configured', async () => {
    const session = store.create();
    signIn(session, 'https://other.example/fhir');
    const answer = await get('/page', { cookie: cookieOf(session) });
    expect(answer.status).toBe(401);
  });

  it('ends the session when the token expired and there is no refresh token: 401 "access ended", cookie cleared', async () => {
    const session = store.create();
    signIn(session, `${base}${FHIR}`, { expiresAt: Math.floor(Date.now() / 1000) - 5 });
    const answer = await get('/page', { cookie: cookieOf(session) });
    expect(answer.status).toBe(401);
    const text = await answer.text();
    expect(text).toContain('<h1>Sign in needed</h1>');
    expect(text).toContain('Your access ended; launch again.');
    expect(answer.headers.getSetCookie()).toEqual([`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`]);
    expect(session.ended).toBe(true);
    expect(store.get(session.id)).toBeUndefined();
  });

  it('keeps the session, and its refresh token, when the authorization server cannot be reached to refresh: 503', async () => {
    const session = store.create();
    const state = signIn(session, `${base}${FHIR}`, { expiresAt: Math.floor(Date.now() / 1000) + 5 });
    state.tokenResponse = { ...state.tokenResponse, refresh_token: 'refresh-1', scope: 'openid fhirUser offline_access patient/Patient.r' };
    const answer = await get('/page', { cookie: cookieOf(session) });
    expect(answer.status).toBe(503);
    expect(await h1(answer)).toBe('Try again shortly');
    expect(session.ended).toBe(false);
    expect(state.tokenResponse?.refresh_token).toBe('refresh-1');
    expect(state.tokenResponse?.access_token).toBe('access-1');
  });

  it('after a 401 from the FHIR server tries one refresh; when that is impossible the session ends with 401 "access ended"', async () => {
    const session = store.create();
    signIn(session, `${base}${FHIR}`);
    const answer = await get('/page-reading-fhir', { cookie: cookieOf(session) });
    expect(fhirCalls).toEqual(['Bearer access-1']);
    expect(answer.status).toBe(401);
    expect(await answer.text()).toContain('Your access ended; launch again.');
    expect(answer.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expect(session.ended).toBe(true);
  });

  it.each([
    ['the session’s token', 200, (s: Session) => ({ csrf: s.csrfToken })],
    ['no token', 403, () => ({})],
    ['a wrong token', 403, () => ({ csrf: 'wrong' })],
    ['another session’s token', 403, () => ({ csrf: store.create().csrfToken })],
  ])('a form posted with %s answers %s', async (_case, status, form) => {
    const session = store.create();
    signIn(session, `${base}${FHIR}`);
    const answer = await post('/form', form(session), cookieOf(session));
    expect(answer.status).toBe(status);
    if (status === 403) expect(await h1(answer)).toBe('Not allowed');
  });

  it('refuses a form when no session was attached to the request', async () => {
    const session = store.create();
    const answer = await post('/form-without-session-check', { csrf: session.csrfToken }, cookieOf(session));
    expect(answer.status).toBe(403);
  });
});
