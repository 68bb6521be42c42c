/**
 * The clinician's review in Debian's Chromium against `gradus serve --auth` (issue 11, Tests): an EHR launch
 * from the sandbox launcher opens the plan page with its chart and the engine's proposals; approving writes the
 * plan back with the clinician as the Provenance's verifier; an edited dose is what the new order carries, and
 * an invalid one is refused beside its field with nothing written. Screenshots: test-output/screenshots/.
 */
import { screenshot, watchProblems } from '../support/browser';
import { demoStory, doseOf, listedOrder, planState, provenancesOf, verifiedByClinician } from './fhir-check';
import { violations } from '../support/plan-state';
import {
  APPROVED,
  CHART_LABEL,
  chartDataTable,
  csrfOf,
  ehrLaunchAsClinician,
  expectFieldError,
  expectStatus,
  formWith,
  forceText,
  heading2,
  readTable,
  skipBrowserValidation,
  submit,
  tableAfter,
  waitForChartDrawn,
} from './pages';
import { useBrowserAndService } from './setup';

jest.setTimeout(180_000);

const progressing = demoStory('progressing'); // Amara Okafor: sit-to-stand meets 2-for-2
const strict = demoStory('strict-policy'); // Tomasz Kowalski: glute-bridge 5 -> 5.5 kg proposed

const e2e = useBrowserAndService();
const { freshPage } = e2e;

test('EHR launch as clinician -> plan, chart and proposals -> Approve -> new plan version and a Provenance naming the clinician', async () => {
  const before = await planState(e2e.service, progressing.planId);
  const page = await freshPage();
  const problems = watchProblems(page);

  await ehrLaunchAsClinician(page, e2e.service, progressing);
  for (const h2 of ['Plan', 'Progress over time', 'Adherence per week', 'Proposed changes']) {
    expect(`${h2}: ${await heading2(page, h2).count()}`).toBe(`${h2}: 1`);
  }

  // Progress over time: a chart.js canvas that has drawn, and its data as a table in <details>.
  await expect(page.locator(`canvas[aria-label="${CHART_LABEL}"]`).count()).resolves.toBe(1);
  await waitForChartDrawn(page);
  const chartData = await readTable(await chartDataTable(page));
  expect(chartData.headers.join(' | ')).toMatch(/pain/i);
  expect(chartData.rows.length).toBeGreaterThan(0);

  const adherence = await readTable(tableAfter(page, 'Adherence per week'));
  expect(adherence.rows.length).toBeGreaterThan(0);

  // Proposed changes: exercise, decision, dose now, proposed dose, rationale; sit-to-stand among them.
  const proposed = await readTable(tableAfter(page, 'Proposed changes'));
  const headers = proposed.headers.join(' | ');
  for (const column of [/exercise/i, /decision/i, /dose now/i, /proposed dose/i, /rationale/i]) expect(headers).toMatch(column);
  const rationaleAt = proposed.headers.findIndex((h) => /rationale/i.test(h));
  expect(proposed.rows.length).toBeGreaterThan(0);
  for (const row of proposed.rows) expect(row[rationaleAt] ?? '').toMatch(/\w/);
  expect(proposed.rows.some((row) => /sit.?to.?stand/i.test(row.join(' ')))).toBe(true);
  await screenshot(page, 'clinician-plan-progressing');

  const approve = page.getByRole('button', { name: 'Approve changes', exact: true });
  await csrfOf(formWith(page, 'Approve changes'));
  await submit(page, () => approve.click());
  await expectStatus(page, APPROVED);
  await screenshot(page, 'clinician-plan-progressing-approved');

  const after = await planState(e2e.service, progressing.planId);
  expect(after.planVersions).toBeGreaterThan(before.planVersions);
  expect(violations(after)).toEqual([]);
  const wasSitToStand = listedOrder(before, 'sit-to-stand');
  const nowSitToStand = listedOrder(after, 'sit-to-stand');
  expect(nowSitToStand?.id).toBeDefined();
  expect(nowSitToStand?.id).not.toBe(wasSitToStand?.id);
  expect(doseOf(nowSitToStand!)).not.toEqual(doseOf(wasSitToStand!));

  // The approval's Provenances (on the new orders, per the IG) name the clinician as verifier.
  const onNewOrder = await provenancesOf(e2e.service, `ServiceRequest/${nowSitToStand?.id ?? '?'}`);
  expect(onNewOrder.length).toBeGreaterThan(0);
  expect(onNewOrder.every(verifiedByClinician)).toBe(true);
  const written = after.provenances.filter((p) => !before.provenances.some((q) => q.id === p.id));
  expect(written.length).toBeGreaterThan(0);
  expect(written.filter((p) => !verifiedByClinician(p)).map((p) => p.id)).toEqual([]);

  expect(problems.errors).toEqual([]);
  await page.context().close();
});

test('Edit dose: an invalid value is refused beside its field and writes nothing; a valid edit is the dose of the new order', async () => {
  const before = await planState(e2e.service, strict.planId);
  const oldOrder = listedOrder(before, 'glute-bridge');
  expect(oldOrder?.id).toBeDefined();
  const page = await freshPage();
  const problems = watchProblems(page);
  await ehrLaunchAsClinician(page, e2e.service, strict);

  // The edit form of the weighted order (the only one with a load): Sets, Reps, Load (kg).
  const editForm = () => formWith(page, 'Save edited dose').filter({ has: page.getByLabel('Load (kg)', { exact: true }) }).first();
  const open = async (): Promise<void> => {
    const sets = editForm().getByLabel('Sets', { exact: true });
    if (!(await sets.isVisible())) await editForm().locator('xpath=ancestor::details[1]/summary').click();
    await sets.waitFor({ state: 'visible' });
  };
  await open();
  await csrfOf(editForm());
  await screenshot(page, 'clinician-plan-strict-policy-edit-form');

  const invalid: [string, (field: import('playwright-core').Locator) => Promise<void>][] = [
    ['0', (field) => field.fill('0')],
    ['abc', (field) => forceText(field, 'abc')],
    // In the form's range, but beyond both the current and the proposed dose: the clinical limit refuses it.
    ['20', (field) => field.fill('20')],
  ];
  for (const [value, enter] of invalid) {
    await open();
    await skipBrowserValidation(editForm());
    await enter(editForm().getByLabel('Sets', { exact: true }));
    const { first } = await submit(page, () => editForm().getByRole('button', { name: 'Save edited dose', exact: true }).click());
    expect(`Sets=${value}: ${first}`).toMatch(new RegExp(`^Sets=${value}: 4(00|22)$`));
    await open();
    const message = await expectFieldError(editForm().getByLabel('Sets', { exact: true }));
    expect(message).toMatch(/\w/);
    await screenshot(page, `clinician-edit-dose-invalid-sets-${value}`);
    const unchanged = await planState(e2e.service, strict.planId);
    expect(unchanged.planVersions).toBe(before.planVersions);
    expect(unchanged.orders.length).toBe(before.orders.length);
  }

  // A valid edit, different from what the form proposes, on a freshly loaded page (the last answer re-rendered the typed 20).
  await page.goto(new URL(`/app/plans/${strict.planId}`, page.url()).href);
  await open();
  const form = editForm();
  // The values the page rendered (the value attribute: a reload may restore what was typed before).
  const proposedNow = {
    sets: (await form.getByLabel('Sets', { exact: true }).getAttribute('value')) ?? '',
    reps: (await form.getByLabel('Reps', { exact: true }).getAttribute('value')) ?? '',
    load: (await form.getByLabel('Load (kg)', { exact: true }).getAttribute('value')) ?? '',
  };
  // A smaller step than proposed (an edit may not go beyond both the current and the proposed dose).
  const edited = { sets: Number(proposedNow.sets), reps: Number(proposedNow.reps) - 1, load: Number(proposedNow.load) };
  await form.getByLabel('Sets', { exact: true }).fill(String(edited.sets));
  await form.getByLabel('Reps', { exact: true }).fill(String(edited.reps));
  await form.getByLabel('Load (kg)', { exact: true }).fill(String(edited.load));
  await submit(page, () => form.getByRole('button', { name: 'Save edited dose', exact: true }).click());
  await expectStatus(page, APPROVED);
  await screenshot(page, 'clinician-edit-dose-saved');

  const after = await planState(e2e.service, strict.planId);
  expect(after.planVersions).toBeGreaterThan(before.planVersions);
  expect(violations(after)).toEqual([]);
  const newOrder = listedOrder(after, 'glute-bridge');
  expect(newOrder?.id).toBeDefined();
  expect(newOrder?.id).not.toBe(oldOrder?.id);
  expect(newOrder?.replaces?.map((r) => r.reference)).toContainEqual(expect.stringMatching(new RegExp(`ServiceRequest/${oldOrder?.id ?? '?'}$`)));
  expect(doseOf(newOrder!)).toMatchObject({ sets: edited.sets, reps: edited.reps, load: edited.load });
  const onEdited = await provenancesOf(e2e.service, `ServiceRequest/${newOrder?.id ?? '?'}`);
  expect(onEdited.length).toBeGreaterThan(0);
  expect(onEdited.every(verifiedByClinician)).toBe(true);

  expect(problems.errors).toEqual([]);
  await page.context().close();
});
