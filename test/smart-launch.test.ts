/**
 * The SMART launch as a browser makes it, against `gradus serve --auth` as a process (the sandbox EHR's real
 * oidc-provider): redirects followed by hand with a cookie jar. An EHR launch from the sandbox launcher ends on
 * /app with a renewed session cookie; the same callback URL visited again is refused.
 */
import { startAuthService, type AuthService } from './support/auth-service';

jest.setTimeout(90_000);

const PATIENT = 'amara-okafor';
const COOKIE = 'gradus_session';

/** A cookie jar and manual redirects: what a browser does, step by step. */
class CookieBrowser {
  readonly jar = new Map<string, string>();
  constructor(private readonly origin: string) {}

  /** One request (no redirect followed): its status, Location and body. */
  async visit(url: string, form?: Record<string, string>): Promise<{ status: number; location: string | undefined; text: string }> {
    const headers: Record<string, string> = { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'text/html' };
    if (form) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin });
    const response = await fetch(url, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (/;\s*max-age=0/i.test(cookie)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = response.headers.get('location');
    return { status: response.status, location: location === null ? undefined : new URL(location, url).href, text: await response.text() };
  }

  /** Follows redirects until `stop(url)` or a page that is not a redirect; the URLs visited, in order. */
  async follow(url: string, form?: Record<string, string>, stop: (next: string) => boolean = () => false): Promise<{ visited: string[]; next: string | undefined; status: number; text: string }> {
    const visited: string[] = [];
    let answer = await this.visit(url, form);
    visited.push(url);
    while (answer.status >= 300 && answer.status < 400 && answer.location !== undefined && !stop(answer.location) && visited.length < 20) {
      visited.push(answer.location);
      answer = await this.visit(answer.location);
    }
    return { visited, next: answer.location, status: answer.status, text: answer.text };
  }
}

let service: AuthService;

beforeAll(async () => {
  service = await startAuthService();
});
afterAll(async () => {
  await service?.stop();
});

const pathOf = (url: string): string => new URL(url).pathname;
const h1 = (text: string): string | undefined => /<h1>([^<]*)<\/h1>/.exec(text)?.[1];

it('EHR launch as clinician -> the authorization server -> /callback -> /app, with a new session id after sign-in', async () => {
  const browser = new CookieBrowser(service.url);
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
  const stale = new CookieBrowser(service.url);
  stale.jar.set(COOKIE, sessionBeforeSignIn ?? '');
  const staleApp = await stale.visit(`${service.url}/app`);
  expect(`${staleApp.status} ${h1(staleApp.text) ?? ''}`).toBe('401 Sign in needed');
  const app = await browser.visit(`${service.url}/app`);
  expect(app.status).not.toBe(401);
});

it('refuses the same callback URL a second time (a replayed state), even in the browser that signed in with it', async () => {
  const browser = new CookieBrowser(service.url);
  const toCallback = await browser.follow(`${service.url}/sandbox/launch`, { role: 'clinician', patient: PATIENT }, (next) => pathOf(next) === '/callback');
  const callbackUrl = toCallback.next ?? '';
  const first = await browser.visit(callbackUrl);
  expect(first.status).toBe(303);
  const again = await browser.visit(callbackUrl);
  expect(again.status).toBe(400);
  expect(h1(again.text)).toBe('Launch failed');
  expect(again.text).toContain('This sign-in link was not started in this browser, or it was already used.');

  const elsewhere = await new CookieBrowser(service.url).visit(callbackUrl);
  expect(`${elsewhere.status} ${h1(elsewhere.text) ?? ''}`).toBe('400 Launch failed');
});
