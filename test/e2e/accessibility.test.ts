/**
 * Accessibility of every page in Debian's Chromium against `gradus serve --auth` (issue 11): axe-core's WCAG 2
 * A/AA rules on the launcher, the sign-in page, the clinician and patient pages and the error pages; the page
 * skeleton the design promises (lang, title, main, one h1, skip link); every control labelled; approving and
 * checking in with the keyboard alone; the clinician and patient pages at 360x740 (screenshots, no sideways
 * scrolling). Screenshots: test-output/screenshots/.
 */
import type { Page } from 'playwright-core';
import { expectAccessible, horizontalOverflow, PHONE, screenshot, watchProblems } from '../support/browser';
import { demoStory } from './fhir-check';
import {
  APPROVED,
  CHECK_IN_TITLE,
  ehrLaunchAsClinician,
  expectH1,
  expectStatus,
  focused,
  labelIs,
  LAUNCH_FAILED,
  NOT_ALLOWED,
  openLauncher,
  patientLaunch,
  SIGN_IN_NEEDED,
  SIGN_IN_TITLE,
  startPatientLaunch,
  submit,
  tabTo,
  waitForChartDrawn,
  type Focused,
} from './pages';
import { useBrowserAndService } from './setup';

jest.setTimeout(180_000);

const clinicianStory = demoStory('progressing'); // Amara Okafor: proposals to approve
const otherStory = demoStory('holding'); // Bernhard Vogel: another patient's plan
const patientStory = demoStory('quota-based');

const CHECK_IN_FIELDS = ['Pain now (0-10)', 'Morning stiffness (0-10)', 'Fatigue (0-10)', 'Mood (0-10, 10 best)', 'Sleep (hours)', 'Confidence to move (0-10)'];
const SESSION_FIELDS = ['Exercise', 'Sets', 'Reps in last set', 'Load (kg)', 'Duration (min)', 'Exertion (0-10)', 'Pain during (0-10)', 'Pain after (0-10)'];
const CHECK_IN_VALUES: Record<string, string> = {
  'Pain now (0-10)': '3',
  'Morning stiffness (0-10)': '2',
  'Fatigue (0-10)': '3',
  'Mood (0-10, 10 best)': '7',
  'Sleep (hours)': '7',
  'Confidence to move (0-10)': '6',
};

const e2e = useBrowserAndService();
const { freshPage } = e2e;

/** lang="en", a title, one main, one h1 (and axe). */
async function expectSkeleton(page: Page, what: string): Promise<void> {
  expect(`${what}: lang=${(await page.locator('html').getAttribute('lang')) ?? ''}`).toBe(`${what}: lang=en`);
  expect((await page.title()).trim()).not.toBe('');
  expect(`${what}: main x${await page.locator('main').count()}`).toBe(`${what}: main x1`);
  expect(`${what}: h1 x${await page.locator('h1').count()}`).toBe(`${what}: h1 x1`);
  await expectAccessible(page, what);
}

/** The first Tab reaches a skip link whose target exists on the page. */
async function expectSkipLink(page: Page, what: string): Promise<void> {
  await page.keyboard.press('Tab');
  const first = await focused(page);
  expect(`${what}: ${first?.tag ?? 'nothing'} "${first?.text ?? ''}"`).toMatch(new RegExp(`^${what}: a ".*skip`, 'i'));
  const href = await page.evaluate<string>('document.activeElement.getAttribute("href") || ""');
  expect(href).toMatch(/^#./);
  expect(await page.locator(`[id="${href.slice(1)}"]`).count()).toBe(1);
}

/** Controls without a label, aria-label or aria-labelledby (hidden inputs and buttons excepted). */
function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((e) => !['hidden', 'submit', 'button', 'reset', 'image'].includes((e.getAttribute('type') || '').toLowerCase()))
    .filter((e) => (e.labels || []).length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
    .map((e) => e.outerHTML.slice(0, 120))`);
}

test('the sandbox launcher and sign-in page pass axe', async () => {
  const page = await freshPage();
  await openLauncher(page, e2e.service);
  await screenshot(page, 'sandbox-launcher');
  await expectSkeleton(page, 'the launcher');
  await startPatientLaunch(page, e2e.service, patientStory);
  await expectH1(page, SIGN_IN_TITLE);
  await expectSkeleton(page, 'the sign-in page');
  expect(await unlabelled(page)).toEqual([]);
});

test('the clinician page passes axe, labels every control, and approves with Tab and Enter alone', async () => {
  const page = await freshPage();
  const problems = watchProblems(page);
  await ehrLaunchAsClinician(page, e2e.service, clinicianStory);
  await waitForChartDrawn(page);
  await expectSkeleton(page, 'the clinician page');
  await expectSkipLink(page, 'the clinician page');
  expect(await unlabelled(page)).toEqual([]);
  expect(await page.getByLabel('Reason for rejecting', { exact: true }).count()).toBe(1);
  for (const name of ['Sets', 'Reps', 'Load (kg)']) expect(`${name}: ${(await page.getByLabel(name, { exact: true }).count()) > 0}`).toBe(`${name}: true`);

  await tabTo(page, (f) => f.tag === 'button' && f.text === 'Approve changes', 'the "Approve changes" button');
  await submit(page, () => page.keyboard.press('Enter'));
  await expectStatus(page, APPROVED);
  await expectAccessible(page, 'the clinician page after approving');
  expect(problems.cspViolations()).toEqual([]);
  expect(problems.errors).toEqual([]);
});

/** Types a value into the focused control, whatever kind it is. */
async function typeInto(page: Page, f: Focused, value: string): Promise<void> {
  if (f.tag === 'input' && f.type === 'range') {
    await page.keyboard.press('Home');
    for (let i = 0; i < Number(value); i++) await page.keyboard.press('ArrowRight');
  } else if (f.tag === 'select') await page.keyboard.type(value);
  else {
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value);
  }
}

test('the patient page passes axe, labels every named field, and saves a check-in with the keyboard alone', async () => {
  const page = await freshPage();
  await patientLaunch(page, e2e.service, patientStory);
  await expectSkeleton(page, 'the patient page');
  await expectSkipLink(page, 'the patient page');
  expect(await unlabelled(page)).toEqual([]);
  for (const name of [...CHECK_IN_FIELDS, ...SESSION_FIELDS]) expect(`${name}: ${await page.getByLabel(name, { exact: true }).count()}`).toBe(`${name}: 1`);

  const filled: string[] = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) continue;
    if ((f.tag === 'button' || f.type === 'submit') && f.text === 'Save check-in') break;
    const name = CHECK_IN_FIELDS.find((n) => labelIs(f.label, n));
    if (name !== undefined && !filled.includes(name)) {
      await typeInto(page, f, CHECK_IN_VALUES[name] ?? '');
      filled.push(name);
    }
  }
  expect([...filled].sort()).toEqual([...CHECK_IN_FIELDS].sort());
  const current = await focused(page);
  expect(current?.text).toBe('Save check-in');
  await submit(page, () => page.keyboard.press('Enter'));
  await expectStatus(page, 'Check-in saved');
  await expectH1(page, CHECK_IN_TITLE);
  await expectAccessible(page, 'the patient page after a check-in');
});

test('error pages pass axe: "Launch failed", "Sign in needed", "Not allowed"', async () => {
  const failed = await freshPage();
  await failed.goto(`${e2e.service.url}/callback?code=forged-code&state=forged-state`);
  await expectH1(failed, LAUNCH_FAILED);
  await expectSkeleton(failed, 'the "Launch failed" page');
  await expectSkipLink(failed, 'the "Launch failed" page');

  const needed = await freshPage();
  const response = await needed.goto(`${e2e.service.url}/app`);
  if (response?.status() === 401) {
    await expectH1(needed, SIGN_IN_NEEDED);
    await expectSkeleton(needed, 'the "Sign in needed" page');
    await expectSkipLink(needed, 'the "Sign in needed" page');
  }

  const refused = await freshPage();
  await ehrLaunchAsClinician(refused, e2e.service, clinicianStory);
  await refused.goto(`${e2e.service.url}/app/plans/${otherStory.planId}`);
  await expectH1(refused, NOT_ALLOWED);
  await expectSkeleton(refused, 'the "Not allowed" page');
  await expectSkipLink(refused, 'the "Not allowed" page');
  await screenshot(refused, 'error-not-allowed');
});

test('at 360x740 the clinician and the patient page fit the screen (screenshots) and pass axe', async () => {
  const clinician = await freshPage(PHONE);
  await ehrLaunchAsClinician(clinician, e2e.service, otherStory);
  await waitForChartDrawn(clinician);
  await screenshot(clinician, 'clinician-plan-360x740');
  expect(`clinician page overflows by ${await horizontalOverflow(clinician)} px`).toBe('clinician page overflows by 0 px');
  await expectAccessible(clinician, 'the clinician page at 360 px');

  const patient = await freshPage(PHONE);
  await patientLaunch(patient, e2e.service, patientStory);
  await screenshot(patient, 'patient-check-in-360x740');
  expect(`patient page overflows by ${await horizontalOverflow(patient)} px`).toBe('patient page overflows by 0 px');
  await expectAccessible(patient, 'the patient page at 360 px');
});
