/**
 * The patient's log in Debian's Chromium against `gradus serve --auth` (issue 11, Tests): a standalone patient
 * launch through the sandbox's sign-in page, today's check-in and a session saved as Observations that pass our
 * profiles, then the clinician's chart (its data table) shows them; invalid input is refused beside its field
 * with nothing written. Screenshots: test-output/screenshots/.
 */
import type { Observation } from 'fhir/r4';
import type { Locator, Page } from 'playwright-core';
import { screenshot, watchProblems } from '../support/browser';
import { hasErrors } from '../../src/fhir/outcome';
import { validate } from '../../src/validation';
import { demoStory, observationsOf } from './fhir-check';
import {
  CHECK_IN_TITLE,
  chartDataTable,
  chooseDemoUser,
  chosenDemoUser,
  csrfOf,
  decide,
  ehrLaunchAsClinician,
  expectFieldError,
  expectH1,
  expectStatus,
  forceText,
  formWith,
  patientLaunch,
  readTable,
  setField,
  skipBrowserValidation,
  startPatientLaunch,
  submit,
} from './pages';
import { useBrowserAndService } from './setup';

jest.setTimeout(180_000);

// Jonas Berg: two check-ins (pain 2, fatigue 3, days 5 and 1) and walking sessions, none today; one order (walking).
const jonas = demoStory('no-baseline-pain');
// Grace Mensah, for the refused input.
const grace = demoStory('baseline');

/** Distinct from anything in Jonas's record, so the chart's row for today is unmistakable. */
const CHECK_IN = {
  'Pain now (0-10)': '7',
  'Morning stiffness (0-10)': '5',
  'Fatigue (0-10)': '6',
  'Mood (0-10, 10 best)': '4',
  'Sleep (hours)': '6.5',
  'Confidence to move (0-10)': '5',
};
const SESSION = { 'Duration (min)': '22', 'Exertion (0-10)': '8', 'Pain during (0-10)': '3', 'Pain after (0-10)': '4' };

const e2e = useBrowserAndService();
const { freshPage } = e2e;

async function fill(form: Locator, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await setField(form.getByLabel(label, { exact: true }), value);
}

/** Chooses the exercise whose option mentions `pattern`, else the first real option. */
async function chooseExercise(form: Locator, pattern: RegExp): Promise<string> {
  const select = form.getByLabel('Exercise', { exact: true });
  const options = select.locator('option');
  const texts = (await options.allTextContents()).map((t) => t.trim());
  const values = await Promise.all(texts.map((_, i) => options.nth(i).getAttribute('value')));
  const index = Math.max(0, texts.findIndex((t, i) => pattern.test(t) && values[i] !== ''));
  await select.selectOption({ index });
  return texts[index] ?? '';
}

/** The value in a column (found by its header) of each row. */
function column(table: { headers: string[]; rows: string[][] }, header: RegExp): (row: string[]) => string {
  const at = table.headers.findIndex((h) => header.test(h));
  if (at < 0) throw new Error(`the chart's data table has no column matching ${String(header)}: ${JSON.stringify(table.headers)}`);
  return (row) => row[at] ?? '';
}

const asNumber = (cell: string): number => Number((/-?\d+(\.\d+)?/.exec(cell) ?? ['NaN'])[0]);

test("standalone patient launch -> sign-in (Allow) -> today's check-in and a session saved -> the clinician's chart shows them", async () => {
  const before = await observationsOf(e2e.service, jonas.patientId);
  const page = await freshPage();
  const problems = watchProblems(page);

  await startPatientLaunch(page, e2e.service, jonas);
  // The launcher's choice is preselected (a non-secret hint); choosing it again changes nothing.
  expect(await chosenDemoUser(page)).toContain(jonas.name);
  await screenshot(page, 'sandbox-sign-in');
  await chooseDemoUser(page, jonas);
  await decide(page, 'Allow');
  await expectH1(page, CHECK_IN_TITLE);
  await screenshot(page, 'patient-check-in');

  const checkIn = formWith(page, 'Save check-in');
  await csrfOf(checkIn);
  await fill(checkIn, CHECK_IN);
  await submit(page, () => checkIn.getByRole('button', { name: 'Save check-in', exact: true }).click());
  await expectStatus(page, 'Check-in saved');
  await screenshot(page, 'patient-check-in-saved');

  await page.getByRole('heading', { level: 2, name: 'Log a session', exact: true }).waitFor();
  const session = formWith(page, 'Save session');
  await csrfOf(session);
  expect(await chooseExercise(session, /walk/i)).toMatch(/walk/i);
  await fill(session, SESSION);
  await submit(page, () => session.getByRole('button', { name: 'Save session', exact: true }).click());
  await expectStatus(page, 'Session saved');
  await screenshot(page, 'patient-session-saved');
  expect(problems.errors).toEqual([]);

  // On the server: new Observations about Jonas, each valid against the profiles it claims.
  const after = await observationsOf(e2e.service, jonas.patientId);
  const known = new Set(before.map((o) => o.id));
  const added: Observation[] = after.filter((o) => !known.has(o.id));
  expect(added.length).toBeGreaterThanOrEqual(2);
  for (const o of added) {
    expect(o.meta?.profile?.length ?? 0).toBeGreaterThan(0);
    const outcome = validate(o);
    expect(hasErrors(outcome) ? JSON.stringify(outcome.issue.filter((i) => i.severity === 'error')) : 'valid').toBe('valid');
  }

  // The clinician, in another browser context, sees today's values in the chart's data table.
  const clinician = await freshPage();
  await ehrLaunchAsClinician(clinician, e2e.service, jonas);
  const table = await readTable(await chartDataTable(clinician));
  await screenshot(clinician, 'clinician-chart-after-patient-log');
  const pain = column(table, /pain/i);
  const fatigue = column(table, /fatigue/i);
  const exertion = column(table, /exertion|rpe/i);
  const today = table.rows.filter((row) => asNumber(pain(row)) === 7 && asNumber(fatigue(row)) === 6);
  expect(`rows with pain 7 and fatigue 6: ${today.length}`).toBe('rows with pain 7 and fatigue 6: 1');
  expect(table.rows.some((row) => asNumber(exertion(row)) === 8)).toBe(true);

  await clinician.context().close();
  await page.context().close();
});

/** Opens Grace's patient page in a fresh context. */
async function gracePage(): Promise<Page> {
  const page = await freshPage();
  await patientLaunch(page, e2e.service, grace);
  return page;
}

test.each([
  ['Pain now (0-10)', '11'],
  ['Pain now (0-10)', 'abc'],
  ['Sleep (hours)', '-1'],
])('an invalid check-in (%s = %s) is refused beside its field and nothing is written', async (label, value) => {
  const before = await observationsOf(e2e.service, grace.patientId);
  const page = await gracePage();
  const form = formWith(page, 'Save check-in');
  await fill(form, CHECK_IN);
  await skipBrowserValidation(form);
  const field = form.getByLabel(label, { exact: true });
  if (/^-?\d/.test(value)) await field.fill(value);
  else await forceText(field, value);
  const { first } = await submit(page, () => form.getByRole('button', { name: 'Save check-in', exact: true }).click());
  expect(first).toBeGreaterThanOrEqual(400);
  expect(first).toBeLessThan(500);
  expect(await expectFieldError(formWith(page, 'Save check-in').getByLabel(label, { exact: true }))).toMatch(/\w/);
  await screenshot(page, `patient-check-in-invalid-${label.replace(/\W+/g, '-')}-${value}`);
  expect((await observationsOf(e2e.service, grace.patientId)).length).toBe(before.length);
  await page.context().close();
});

test('an invalid session (Exertion = 12) is refused beside its field and nothing is written', async () => {
  const before = await observationsOf(e2e.service, grace.patientId);
  const page = await gracePage();
  const form = formWith(page, 'Save session');
  await chooseExercise(form, /walk/i);
  await fill(form, { ...SESSION, 'Exertion (0-10)': '12' });
  await skipBrowserValidation(form);
  const { first } = await submit(page, () => form.getByRole('button', { name: 'Save session', exact: true }).click());
  expect(first).toBeGreaterThanOrEqual(400);
  expect(first).toBeLessThan(500);
  expect(await expectFieldError(formWith(page, 'Save session').getByLabel('Exertion (0-10)', { exact: true }))).toMatch(/\w/);
  await screenshot(page, 'patient-session-invalid-exertion');
  expect((await observationsOf(e2e.service, grace.patientId)).length).toBe(before.length);
  await page.context().close();
});
