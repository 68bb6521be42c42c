/**
 * Launches that must fail with the clear page "Launch failed" (issue 11, Security and bad input), in Debian's
 * Chromium against `gradus serve --auth`: a forged `state`, a replayed callback, a wrong PKCE verifier (another
 * browser's code), a denied sign-in and an iss that is not this FHIR server; each leaves no session behind.
 * /callback is reached by the authorization server's redirect, so it is intercepted with the DevTools protocol.
 */
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { demoStory } from './fhir-check';
import {
  decide,
  ehrLaunchAsClinician,
  expectH1,
  expectNoAccess,
  interceptCallback,
  LAUNCH_FAILED,
  planTitle,
  startEhrLaunch,
  startPatientLaunch,
} from './pages';
import { useBrowserAndService } from './setup';

jest.setTimeout(180_000);

const patientA = demoStory('deload-week'); // Elif Yilmaz

const e2e = useBrowserAndService();
const { freshPage } = e2e;

const isCallback = (url: URL): boolean => url.pathname === '/callback';

/** Statuses of the documents served at /callback. */
function callbackStatuses(page: Page): number[] {
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && isCallback(new URL(r.url()))) statuses.push(r.status());
  });
  return statuses;
}

/** After a failed launch the context has no session: its pages are refused. */
async function expectNoSessionAfter(page: Page): Promise<void> {
  await expectNoAccess(page, e2e.service, '/app');
}

test('control: intercepting /callback without changing it leaves the launch intact', async () => {
  const page = await freshPage();
  let seen = '';
  await interceptCallback(page, (url) => {
    seen = url.toString();
    return url;
  });
  await ehrLaunchAsClinician(page, e2e.service, patientA);
  expect(seen).toMatch(/[?&]state=/);
});

test('a forged state on /callback', async () => {
  const page = await freshPage();
  const statuses = callbackStatuses(page);
  await interceptCallback(page, (url) => {
    url.searchParams.set('state', 'forged-state-0123456789abcdef');
    return url;
  });
  await startEhrLaunch(page, e2e.service, patientA);
  await expectH1(page, LAUNCH_FAILED);
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
  await screenshot(page, 'error-launch-failed-forged-state');
  await expectNoSessionAfter(page);
});

test('a replayed callback URL, in the same browser and in another', async () => {
  const page = await freshPage();
  let callback: string | undefined;
  page.on('request', (r) => {
    if (r.isNavigationRequest() && isCallback(new URL(r.url())) && callback === undefined) callback = r.url();
  });
  await ehrLaunchAsClinician(page, e2e.service, patientA);
  expect(callback).toMatch(/[?&]code=.*[?&]state=|[?&]state=.*[?&]code=/);

  await page.goto(callback!);
  await expectH1(page, LAUNCH_FAILED);
  await screenshot(page, 'error-launch-failed-replayed-callback');

  const other = await freshPage();
  await other.goto(callback!);
  await expectH1(other, LAUNCH_FAILED);
  await expectNoSessionAfter(other);
});

test("a wrong PKCE verifier: browser A's code delivered to browser B's callback with B's own state", async () => {
  const pageA = await freshPage();
  let callbackA: string | undefined;
  const release = await interceptCallback(pageA, (url) => {
    callbackA = url.toString();
    return 'hold';
  });
  await startEhrLaunch(pageA, e2e.service, patientA);
  const codeA = new URL(callbackA ?? 'http://x/').searchParams.get('code');
  expect(codeA).toMatch(/\S/);

  const pageB = await freshPage();
  const statuses = callbackStatuses(pageB);
  let stateB: string | null = null;
  let codeB: string | null = null;
  await interceptCallback(pageB, (url) => {
    stateB = url.searchParams.get('state');
    codeB = url.searchParams.get('code');
    url.searchParams.set('code', codeA ?? '');
    return url;
  });
  await startEhrLaunch(pageB, e2e.service, patientA);
  expect(stateB).toMatch(/\S/);
  expect(codeB).not.toBe(codeA);
  await expectH1(pageB, LAUNCH_FAILED);
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s >= 400 && s < 500)).toBe(true);
  await screenshot(pageB, 'error-launch-failed-wrong-pkce-verifier');
  await expectNoSessionAfter(pageB);

  // Control: the same code, delivered to the browser that holds its verifier, completes the launch.
  await release();
  await pageA.goto(callbackA ?? '');
  await expectH1(pageA, planTitle(patientA));
});

test('Deny on the sandbox sign-in page', async () => {
  const page = await freshPage();
  await startPatientLaunch(page, e2e.service, patientA);
  await decide(page, 'Deny');
  await expectH1(page, LAUNCH_FAILED);
  await screenshot(page, 'error-launch-failed-denied');
  await expectNoAccess(page, e2e.service, '/me');
});

test('an iss that is not this FHIR server (never followed)', async () => {
  const page = await freshPage();
  const outside: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== new URL(e2e.service.url).origin) outside.push(r.url());
  });
  const response = await page.goto(`${e2e.service.url}/launch?iss=${encodeURIComponent('https://fhir.example.org/r4')}&launch=abc`);
  expect(response?.status()).toBe(400);
  await expectH1(page, LAUNCH_FAILED);
  expect(outside).toEqual([]);
  await screenshot(page, 'error-launch-failed-unknown-iss');
});
