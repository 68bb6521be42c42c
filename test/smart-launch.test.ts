/**
 * The SMART launch as a browser makes it, against `gradus serve --auth` as a process (the sandbox EHR's real
 * oidc-provider): redirects followed by hand with a cookie jar. An EHR launch from the sandbox launcher ends on
 * /app with a renewed session cookie; the same callback URL visited again is refused.
 */
import { SESSION_COOKIE as COOKIE } from '../src/smart/session';
import { startAuthService, type AuthService } from './support/auth-service';
import { CookieBrowser, h1, pathOf } from './support/cookie-browser';

jest.setTimeout(90_000);

const PATIENT = 'amara-okafor';

let service: AuthService;

beforeAll(async () => {
  service = await startAuthService();
});
afterAll(async () => {
  await service?.stop();
});

it('EHR launch as clinician -> the authorization server -> /callback -> /app, with a new session id after sign-in', async () => {
  const browser = new CookieBrowser();
  const toCallback = await browser.follow(`${service.url}/sandbox/launch`, { role: 'clinician', patient: PATIENT }, (next) => pathOf(next) === '/callback');
  expect(toCallback.visited.map(pathOf)).toEqual(expect.arrayContaining(['/launch', '/auth/authorize']));
  const launchUrl = new URL(toCallback.visited.find((u) => pathOf(u) === '/launch') ?? '');
  expect(launchUrl.searchParams.get('iss')).toBe(service.fhirBaseUrl);
  expect(launchUrl.searchParams.get('launch')).toMatch(/\S/);
  const sessionBeforeSignIn = browser.jar.get(COOKIE);
  expect(sessionBeforeSignIn).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const callback = await browser.visit(toCallback.next ?? '');
  expect(`${callback.status} ${callback.location ?? h1(callback.text) ?? ''}`).toBe(`303 ${service.url}/app`);
  expect(browser.jar.get(COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(browser.jar.get(COOKIE)).not.toBe(sessionBeforeSignIn);

  // The id the browser had before signing in no longer opens anything (no session fixation).
  const stale = new CookieBrowser();
  stale.jar.set(COOKIE, sessionBeforeSignIn ?? '');
  const staleApp = await stale.visit(`${service.url}/app`);
  expect(`${staleApp.status} ${h1(staleApp.text) ?? ''}`).toBe('401 Sign in needed');
  const app = await browser.visit(`${service.url}/app`);
  expect(app.status).not.toBe(401);
});

it('refuses the same callback URL a second time (a replayed state), even in the browser that signed in with it', async () => {
  const browser = new CookieBrowser();
  const toCallback = await browser.follow(`${service.url}/sandbox/launch`, { role: 'clinician', patient: PATIENT }, (next) => pathOf(next) === '/callback');
  const callbackUrl = toCallback.next ?? '';
  const first = await browser.visit(callbackUrl);
  expect(first.status).toBe(303);
  const again = await browser.visit(callbackUrl);
  expect(again.status).toBe(400);
  expect(h1(again.text)).toBe('Launch failed');
  expect(again.text).toContain('This sign-in link was not started in this browser, or it was already used.');

  const elsewhere = await new CookieBrowser().visit(callbackUrl);
  expect(`${elsewhere.status} ${h1(elsewhere.text) ?? ''}`).toBe('400 Launch failed');
});
