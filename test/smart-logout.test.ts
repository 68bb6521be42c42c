/**
 * Signing out revokes the session's tokens at the authorization server: against `gradus serve --auth` as a process
 * (the sandbox EHR's real oidc-provider), a browser made by hand (a cookie jar, redirects followed one at a time)
 * launches as the clinician, signs out with the page's own logout form, and the sandbox's read-only admin view
 * (/sandbox/grants) counts the clinician's grants with a live token before and after. The case of an unreachable
 * revocation endpoint is a unit test (src/smart/launch.test.ts).
 */
import { SESSION_COOKIE as COOKIE } from '../src/smart/session';
import { startAuthService, type AuthService } from './support/auth-service';
import { CookieBrowser, h1, pathOf } from './support/cookie-browser';

jest.setTimeout(90_000);

const PATIENT = 'amara-okafor';
const CLINICIAN = 'Practitioner/demo-clinician';

let service: AuthService;

beforeAll(async () => {
  service = await startAuthService();
});
afterAll(async () => {
  await service?.stop();
});

async function activeGrants(user: string): Promise<unknown> {
  const response = await fetch(`${service.url}/sandbox/grants?user=${encodeURIComponent(user)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return response.json();
}

/** The hidden `csrf` field of the page's logout form. */
function logoutCsrf(page: string): string {
  const form = /<form[^>]*action="\/logout"[^>]*>([\s\S]*?)<\/form>/.exec(page)?.[1] ?? '';
  return /<input type="hidden" name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
}

it('the sandbox admin view answers a count only, and refuses a user that is not a demo user', async () => {
  expect(await activeGrants(CLINICIAN)).toEqual({ user: CLINICIAN, activeGrants: 0 });
  const unknown = await fetch(`${service.url}/sandbox/grants?user=Practitioner/nobody`);
  expect(unknown.status).toBe(400);
});

it('signing out revokes the session’s tokens: the clinician’s active grants go from 1 to 0, the page says "Signed out"', async () => {
  const browser = new CookieBrowser();
  const launched = await browser.follow(`${service.url}/sandbox/launch`, { role: 'clinician', patient: PATIENT });
  expect(launched.visited.map(pathOf)).toEqual(expect.arrayContaining(['/launch', '/auth/authorize', '/callback']));
  expect(pathOf(launched.visited[launched.visited.length - 1] ?? '')).toMatch(/^\/app/);
  expect(launched.status).toBe(200);
  expect(await activeGrants(CLINICIAN)).toEqual({ user: CLINICIAN, activeGrants: 1 });

  const csrf = logoutCsrf(launched.text);
  expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const signedOut = await browser.visit(`${service.url}/logout`, { csrf });
  expect(`${signedOut.status} ${h1(signedOut.text) ?? ''}`).toBe('200 Signed out');
  expect(browser.jar.has(COOKIE)).toBe(false);
  expect(await activeGrants(CLINICIAN)).toEqual({ user: CLINICIAN, activeGrants: 0 });

  // The tokens, not only the session, are gone; the service logged no failed revocation.
  expect(service.output()).not.toContain('smart token revocation failed');
});
