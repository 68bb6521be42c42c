/**
 * What a person does on the service's pages, found by the accessible names the team's design fixes (issue 11):
 * the sandbox launcher, an EHR launch as the clinician, a standalone launch as a patient through the sign-in
 * page, forms (submit, field errors, the csrf field), headings, tables and keyboard focus. In: a Page and a demo
 * story; out: the page where the step landed, or an error saying what the page showed instead.
 * https://hl7.org/fhir/smart-app-launch/app-launch.html
 */
import type { Locator, Page } from 'playwright-core';
import type { DemoStory, ServiceUnderTest } from './fhir-check';

export const SIGN_IN_TITLE = 'Sign in to the Gradus sandbox';
export const LAUNCH_FAILED = 'Launch failed';
export const SIGN_IN_NEEDED = 'Sign in needed';
export const NOT_ALLOWED = 'Not allowed';
export const CHECK_IN_TITLE = "Today's check-in";
export const APPROVED = 'Changes approved and written';
export const CHART_LABEL = 'Daily pain, fatigue and exertion against dose';
export const planTitle = (who: DemoStory): string => `Exercise plan for ${who.name}`;

const squash = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The texts of the page's h1 elements (the design: exactly one). */
export async function h1s(page: Page): Promise<string[]> {
  return (await page.locator('h1').allTextContents()).map(squash);
}

/** Waits for h1 `text` and checks it is the only h1; fails naming what the page shows instead. */
export async function expectH1(page: Page, text: string, timeout = 30_000): Promise<void> {
  try {
    await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor({ timeout });
  } catch {
    const shown = await h1s(page).catch(() => []);
    throw new Error(`expected the h1 "${text}" at ${page.url()}; the page shows h1 ${JSON.stringify(shown)}`);
  }
  expect(await h1s(page)).toEqual([text]);
}

export async function openLauncher(page: Page, service: ServiceUnderTest): Promise<void> {
  const response = await page.goto(`${service.url}/sandbox`);
  expect(response?.status()).toBe(200);
}

/** The launcher's "Open as clinician" / "Open as patient" button for one demo patient (found by name, else story). */
export async function launchButton(page: Page, role: 'clinician' | 'patient', who: DemoStory): Promise<Locator> {
  const label = new RegExp(`^\\s*Open as ${role}`, 'i');
  const named = page.getByRole('button', { name: new RegExp(`Open as ${role}\\b.*${escapeRe(who.name)}`, 'i') });
  if ((await named.count()) === 1) return named;
  for (const text of [who.name, who.story]) {
    // The innermost element holding both the patient's name and the button: its row (tr, li, form, ...).
    const holders = page
      .locator('tr, li, article, section, fieldset, form, div, p, dd')
      .filter({ hasText: new RegExp(`(^|[^\\w-])${escapeRe(text)}($|[^\\w-])`) })
      .filter({ has: page.getByRole('button', { name: label }) });
    if ((await holders.count()) === 0) continue;
    const button = holders.last().getByRole('button', { name: label });
    if ((await button.count()) === 1) return button;
  }
  throw new Error(`the launcher at ${page.url()} has no "Open as ${role}" button for ${who.name} (${who.story})`);
}

/** Waits until the browser has left the launcher, /launch and the authorization server. */
async function leftAuthorization(page: Page, act: () => Promise<void>): Promise<void> {
  const gone = page.waitForURL((u) => !/^\/(sandbox|launch|auth)(\/|$)/.test(u.pathname), { timeout: 30_000 });
  await act();
  try {
    await gone;
  } catch {
    throw new Error(`the launch did not come back from the authorization server: still at ${page.url()} with h1 ${JSON.stringify(await h1s(page))}`);
  }
  await page.waitForLoadState('load');
}

const HELD_PAGE = '<!doctype html><html lang="en"><title>Held</title><main><h1>Held by the test</h1></main></html>';

/**
 * Intercepts the browser's request to /callback: `handle` returns the URL to send instead (the page still
 * shows the original) or 'hold' to answer it with a blank page so the code stays unused. The authorization
 * server reaches /callback by a redirect, which page.route does not see; the DevTools protocol's Fetch domain
 * does. Returns a function that stops intercepting. https://chromedevtools.github.io/devtools-protocol/tot/Fetch/
 */
export async function interceptCallback(page: Page, handle: (url: URL) => URL | 'hold' | Promise<URL | 'hold'>): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Fetch.requestPaused', (event) => {
    void (async (): Promise<void> => {
      const decision = await handle(new URL(event.request.url));
      if (decision === 'hold') {
        await cdp.send('Fetch.fulfillRequest', {
          requestId: event.requestId,
          responseCode: 200,
          responseHeaders: [{ name: 'content-type', value: 'text/html; charset=utf-8' }],
          body: Buffer.from(HELD_PAGE).toString('base64'),
        });
      } else await cdp.send('Fetch.continueRequest', { requestId: event.requestId, url: decision.toString() });
    })().catch(() => cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined));
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/callback?*', requestStage: 'Request' }] });
  return async () => {
    await cdp.send('Fetch.disable');
    await cdp.detach();
  };
}

/** Clicks "Open as clinician" for the patient on the launcher and returns once the launch has come back. */
export async function startEhrLaunch(page: Page, service: ServiceUnderTest, who: DemoStory): Promise<void> {
  await openLauncher(page, service);
  const button = await launchButton(page, 'clinician', who);
  await leftAuthorization(page, () => button.click());
}

/** EHR launch as the demo clinician: launcher -> /launch -> EHR single sign-on -> /callback -> the plan page, its chart drawn. */
export async function ehrLaunchAsClinician(page: Page, service: ServiceUnderTest, who: DemoStory): Promise<void> {
  await startEhrLaunch(page, service, who);
  await expectH1(page, planTitle(who));
  await waitForChartDrawn(page);
}

/** Without a session a page is refused: 401 "Sign in needed" (linking to the launcher) or a redirect to a launch. */
export async function expectNoAccess(page: Page, service: ServiceUnderTest, path: string): Promise<void> {
  const response = await page.goto(`${service.url}${path}`);
  const landed = new URL(page.url()).pathname;
  if (/^\/(sandbox|launch|auth)(\/|$)/.test(landed)) return;
  expect(`${path}: ${response?.status() ?? 0}`).toBe(`${path}: 401`);
  await expectH1(page, SIGN_IN_NEEDED);
  expect(await page.locator('a[href*="/sandbox"]').count()).toBeGreaterThan(0);
}

/** Clicks "Open as patient" on the launcher: the standalone launch reaches the sandbox's sign-in page. */
export async function startPatientLaunch(page: Page, service: ServiceUnderTest, who: DemoStory): Promise<void> {
  await openLauncher(page, service);
  await (await launchButton(page, 'patient', who)).click();
  await expectH1(page, SIGN_IN_TITLE);
}

/** The demo user the sign-in page has chosen now (selected option, or checked radio's label). */
export async function chosenDemoUser(page: Page): Promise<string> {
  const select = page.getByRole('combobox');
  if ((await select.count()) > 0) return squash(await select.first().locator('option:checked').textContent());
  const radio = page.locator('input[type="radio"]:checked');
  if ((await radio.count()) > 0) return squash(await radio.first().evaluate((e: { labels: ArrayLike<{ textContent: string | null }> | null }) => e.labels?.[0]?.textContent ?? ''));
  return '';
}

/** Chooses the patient's demo user on the sign-in page (a select or radio buttons). */
export async function chooseDemoUser(page: Page, who: DemoStory): Promise<void> {
  const select = page.getByRole('combobox');
  if ((await select.count()) > 0) {
    const options = select.first().locator('option');
    const texts = (await options.allTextContents()).map(squash);
    const index = texts.findIndex((t) => t.includes(who.name));
    if (index < 0) throw new Error(`the sign-in page offers no demo user named ${who.name}: ${JSON.stringify(texts)}`);
    const value = await options.nth(index).getAttribute('value');
    await select.first().selectOption(value !== null ? { value } : { label: texts[index] ?? '' });
    return;
  }
  const radio = page.getByRole('radio', { name: new RegExp(escapeRe(who.name)) });
  if ((await radio.count()) === 0) throw new Error(`the sign-in page offers no way to choose ${who.name}`);
  await radio.first().check();
}

/** Presses "Allow" or "Deny" on the sign-in page and waits until the browser is back at the app. */
export async function decide(page: Page, decision: 'Allow' | 'Deny'): Promise<void> {
  const button = page.getByRole('button', { name: decision, exact: true });
  await leftAuthorization(page, () => button.click());
}

/** Standalone launch as the patient: launcher -> sign-in page (this patient) -> Allow -> "Today's check-in". */
export async function patientLaunch(page: Page, service: ServiceUnderTest, who: DemoStory): Promise<void> {
  await startPatientLaunch(page, service, who);
  await chooseDemoUser(page, who);
  await decide(page, 'Allow');
  await expectH1(page, CHECK_IN_TITLE);
}

export const heading2 = (page: Page, name: string): Locator => page.getByRole('heading', { level: 2, name, exact: true });

/** The first table after an h2, however the markup nests it. */
export const tableAfter = (page: Page, h2: string): Locator => heading2(page, h2).locator('xpath=following::table[1]');

export interface TableText {
  headers: string[];
  rows: string[][];
}

interface CellLike {
  tagName: string;
  textContent: string | null;
}
interface TableLike {
  rows: ArrayLike<{ cells: ArrayLike<CellLike> }>;
}

/** A table's header texts (its first all-<th> row) and the texts of its other rows. */
export function readTable(table: Locator): Promise<TableText> {
  return table.evaluate((t: TableLike) => {
    const text = (c: CellLike): string => (c.textContent ?? '').replace(/\s+/g, ' ').trim();
    const rows = Array.from(t.rows).map((r) => Array.from(r.cells));
    const headerAt = rows.findIndex((cells) => cells.length > 0 && cells.every((c) => c.tagName === 'TH'));
    return {
      headers: headerAt >= 0 ? (rows[headerAt] ?? []).map(text) : [],
      rows: rows.filter((_, i) => i !== headerAt).map((cells) => cells.map(text)),
    };
  });
}

/** The chart's data table in the <details> of "Progress over time", opened as a person would. */
export async function chartDataTable(page: Page): Promise<Locator> {
  const details = heading2(page, 'Progress over time').locator('xpath=following::details[1]');
  await details.waitFor();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').first().click();
  const table = details.locator('table').first();
  await table.waitFor();
  return table;
}

/** Resolves once the chart canvas has drawn something (a non-transparent pixel). */
export async function waitForChartDrawn(page: Page): Promise<void> {
  await page.waitForFunction(
    `(() => {
      const c = document.querySelector('canvas[aria-label=${JSON.stringify(CHART_LABEL)}]');
      if (!c || !c.width || !c.height) return false;
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    })()`,
    undefined,
    { timeout: 30_000 },
  );
}

/** The form holding a button of that name. */
export const formWith = (page: Page, button: string): Locator => page.locator('form').filter({ has: page.getByRole('button', { name: button, exact: true }) });

/** The form's hidden `csrf` field value (the design: in every form). */
export async function csrfOf(form: Locator): Promise<string> {
  const field = form.locator('input[name="csrf"]');
  expect(await field.count()).toBe(1);
  expect(await field.getAttribute('type')).toBe('hidden');
  return (await field.getAttribute('value')) ?? '';
}

/** Changes the form's csrf field: removes it (undefined) or sets another value. */
export async function tamperCsrf(form: Locator, value: string | undefined): Promise<void> {
  await form.evaluate(
    (f: { querySelector(s: string): { value: string; remove(): void } | null }, v: string | null) => {
      const field = f.querySelector('input[name="csrf"]');
      if (!field) return;
      if (v === null) field.remove();
      else field.value = v;
    },
    value ?? null,
  );
}

/** Lets the form submit what the browser's own constraint validation would stop, so the server's checks are tested. */
export async function skipBrowserValidation(form: Locator): Promise<void> {
  await form.evaluate((f: { noValidate: boolean }) => {
    f.noValidate = true;
  });
}

/** Types into a field whatever it is (text or number input, select, range). */
export async function setField(field: Locator, value: string): Promise<void> {
  const kind = await field.evaluate((e: { tagName: string; type?: string }) => `${e.tagName.toLowerCase()}:${e.type ?? ''}`);
  if (kind.startsWith('select')) await field.selectOption(value);
  else if (kind === 'input:range') {
    await field.evaluate((e: { value: string; dispatchEvent(ev: Event): boolean }, v: string) => {
      e.value = v;
      e.dispatchEvent(new Event('input', { bubbles: true }));
      e.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  } else await field.fill(value);
}

/** Puts text a number input refuses (e.g. "abc") into it, as a hand-made request could. */
export async function forceText(field: Locator, value: string): Promise<void> {
  await field.evaluate((e: { type: string; value: string }, v: string) => {
    if (e.type === 'number') e.type = 'text';
    e.value = v;
  }, value);
}

/**
 * Does `act` (a click, Enter) and waits for the navigation it causes; returns the status of the first document
 * response (the POST's own, before any redirect) and of the page finally shown.
 */
export async function submit(page: Page, act: () => Promise<void>): Promise<{ first: number; final: number }> {
  const statuses: number[] = [];
  const listener = (r: import('playwright-core').Response): void => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) statuses.push(r.status());
  };
  page.on('response', listener);
  try {
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
    await act();
    await navigated;
    await page.waitForLoadState('load');
  } finally {
    page.off('response', listener);
  }
  return { first: statuses[0] ?? 0, final: statuses[statuses.length - 1] ?? 0 };
}

/** Waits for a role=status message containing `text`; fails with the status messages shown instead. */
export async function expectStatus(page: Page, text: string): Promise<void> {
  try {
    await page.getByRole('status').filter({ hasText: text }).first().waitFor({ timeout: 30_000 });
  } catch {
    const shown = (await page.getByRole('status').allTextContents()).map(squash);
    const alerts = (await page.getByRole('alert').allTextContents()).map(squash);
    const fieldErrors = (await page.locator('[id$="-error"]').allTextContents()).map(squash);
    throw new Error(
      `expected a role=status message "${text}" at ${page.url()}; status messages: ${JSON.stringify(shown)}, alerts: ${JSON.stringify(alerts)}, ` +
        `field errors: ${JSON.stringify(fieldErrors)}, h1 ${JSON.stringify(await h1s(page))}`,
    );
  }
}

/**
 * The field is marked invalid and described by a non-empty message (the design: aria-invalid and
 * aria-describedby, the error next to its field). Returns the message.
 */
export async function expectFieldError(field: Locator): Promise<string> {
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter((s) => s !== '');
  expect(ids.length).toBeGreaterThan(0);
  const texts: string[] = [];
  for (const id of ids) texts.push(squash(await field.page().locator(`[id="${id}"]`).first().textContent()));
  const message = texts.join(' ').trim();
  expect(message).not.toBe('');
  return message;
}

export interface Focused {
  tag: string;
  type: string;
  label: string;
  text: string;
}

/** What has keyboard focus: tag, input type, its label (or aria-label) and its text. */
export async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate<Focused | null>(`(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const sq = (s) => (s || '').replace(/\\s+/g, ' ').trim();
    const label = e.labels && e.labels.length > 0 ? e.labels[0].textContent : e.getAttribute('aria-label');
    return { tag: e.tagName.toLowerCase(), type: e.getAttribute('type') || '', label: sq(label), text: sq(e.textContent) || sq(e.value) };
  })()`);
}

const describeFocus = (f: Focused | null): string => (f ? `${f.tag}${f.type ? `[${f.type}]` : ''} "${f.label || f.text}"`.slice(0, 60) : '(nothing)');

/** Presses Tab until `want` holds for the focused element; fails listing where focus went. */
export async function tabTo(page: Page, want: (f: Focused) => boolean, what: string, max = 200): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && want(f)) return;
    seen.push(describeFocus(f));
  }
  throw new Error(`Tab never reached ${what} in ${max} presses; focus went: ${seen.slice(0, 80).join(' | ')}`);
}

/** A label matches a field name: equal, or the name followed by more text (a hint inside the label). */
export const labelIs = (label: string, name: string): boolean => label === name || label.startsWith(`${name} `);
