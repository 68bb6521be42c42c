/**
 * The patient page against a real embedded FHIR server seeded with the demo patients (clock at DEMO_NOW,
 * the service writing dateTimes at UTC+01:00): the forms, the Observations they store, and refusals that
 * store nothing.
 */
import type { Observation } from 'fhir/r4';
import { CSRF, servePages, type Page } from '../../test/support/pages-server';
import { PROFILE } from '../fhir/codes';
import { Validator } from '../validation';

const validator = new Validator();

const pages = servePages({ validator, defaultUser: (patient) => `Patient/${patient}` });
const { call } = pages;

const h1 = (html: string): string | undefined => /<h1>([^<]*)<\/h1>/.exec(html)?.[1]?.replace(/&#39;/g, "'");
const observations = (patient: string): Promise<Observation[]> => pages.fhir.search<Observation>('Observation', { subject: `Patient/${patient}` });
const errorsOf = (o: Observation, profile: string): string[] =>
  validator.validate(o, { profile }).issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.diagnostics ?? '');

/** The Observations stored by a request: those not there before. */
async function storedBy(patient: string, request: () => Promise<Page>): Promise<{ page: Page; stored: Observation[] }> {
  const before = new Set((await observations(patient)).map((o) => o.id));
  const page = await request();
  return { page, stored: (await observations(patient)).filter((o) => !before.has(o.id)) };
}

describe('the patient page', () => {
  it('shows today\'s check-in and a session log listing the current orders of the patient\'s active plan', async () => {
    const page = await call('/me', 'amara-okafor');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(h1(page.body)).toBe("Today's check-in");
    for (const label of ['Pain now (0-10)', 'Morning stiffness (0-10)', 'Fatigue (0-10)', 'Mood (0-10, 10 best)', 'Sleep (hours)', 'Confidence to move (0-10)']) {
      expect(page.body).toMatch(new RegExp(`<label for="check-in-[a-z]+">${label.replace(/[()]/g, '\\$&')}</label>`));
    }
    expect(page.body).toContain('<h2 id="session-heading">Log a session</h2>');
    expect(page.body).toContain('<label for="session-order">Exercise</label>');
    const options = [...page.body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(options).toEqual(['', 'amara-sit-to-stand-2', 'amara-wall-push-up', 'amara-walking', 'amara-hamstring-stretch']);
    for (const label of ['Sets', 'Reps in last set', 'Load (kg)', 'Duration (min)', 'Exertion (0-10)', 'Pain during (0-10)', 'Pain after (0-10)']) {
      expect(page.body).toMatch(new RegExp(`<label for="session-[a-zA-Z]+">${label.replace(/[()]/g, '\\$&')}</label>`));
    }
    expect([...page.body.matchAll(/name="csrf" value="([^"]*)"/g)].map((m) => m[1])).toEqual([CSRF, CSRF, CSRF]); // sign out, check-in, session
    expect(page.body).toContain('Save check-in</button>');
    expect(page.body).toContain('Save session</button>');
  });

  it('is refused to a clinician (the log is the patient\'s own)', async () => {
    const page = await call('/me', 'amara-okafor', undefined, 'Practitioner/demo-clinician');
    expect(page.status).toBe(403);
    expect(h1(page.body)).toBe('Not allowed');
  });
});

describe('saving a check-in', () => {
  it('stores a gradus-daily-check-in for this morning that validates, and says so', async () => {
    const { page, stored } = await storedBy('grace-mensah', () => call('/me/check-in', 'grace-mensah', { pain: '3', stiffness: '', fatigue: '4', mood: '7', sleep: '7,5', confidence: '6' }));
    expect(page.status).toBe(303);
    expect(page.location).toBe('/me?done=check-in');
    expect(stored).toHaveLength(1);
    const [obs] = stored as [Observation];
    expect(obs).toMatchObject({
      meta: { profile: [PROFILE.dailyCheckIn] },
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      code: { coding: [{ code: 'daily-check-in' }] },
      subject: { reference: 'Patient/grace-mensah' },
      effectiveDateTime: '2026-11-27T07:00:00+01:00',
    });
    expect(obs.component?.map((c) => c.valueInteger ?? c.valueQuantity?.value)).toEqual([3, 4, 7, 7.5, 6]);
    expect(errorsOf(obs, PROFILE.dailyCheckIn)).toEqual([]);
    const after = await call(page.location ?? '', 'grace-mensah');
    expect(after.body).toContain('<p class="message message--status" role="status">Check-in saved</p>');
  });

  it('refuses an empty check-in with 422 and stores nothing', async () => {
    const { page, stored } = await storedBy('grace-mensah', () => call('/me/check-in', 'grace-mensah', { pain: ' ', mood: '' }));
    expect(page.status).toBe(422);
    expect(page.body).toContain('<fieldset aria-describedby="check-in-problem">');
    expect(page.body).toContain('<p class="form-error" id="check-in-problem" role="alert">Fill in at least one of these before saving.</p>');
    expect(stored).toEqual([]);
  });

  it('refuses values out of range with 422, each error beside its field, the entered values kept and escaped', async () => {
    const { page, stored } = await storedBy('grace-mensah', () => call('/me/check-in', 'grace-mensah', { pain: '11', sleep: '"><script>x</script>', mood: '5' }));
    expect(page.status).toBe(422);
    expect(page.body).toContain(
      '<p class="field-error" id="check-in-pain-error"><span class="visually-hidden">Error: </span>Enter a whole number from 0 to 10.</p>' +
        '<input type="text" id="check-in-pain" name="pain" inputmode="numeric" autocomplete="off" value="11" aria-invalid="true" aria-describedby="check-in-pain-error">',
    );
    expect(page.body).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" aria-invalid="true" aria-describedby="check-in-sleep-hint check-in-sleep-error">');
    expect(page.body).not.toContain('<script>x');
    expect(page.body).toMatch(/id="check-in-mood" name="mood" inputmode="numeric" autocomplete="off" value="5">/);
    expect(stored).toEqual([]);
  });
});

describe('logging a session', () => {
  it('stores a gradus-exercise-session based on the chosen order, now, that validates', async () => {
    const form = { order: 'grace-walking', duration: '12.5', exertion: '4', painDuring: '2', painAfter: '1', sets: '', reps: '', load: '' };
    const { page, stored } = await storedBy('grace-mensah', () => call('/me/sessions', 'grace-mensah', form));
    expect(page.status).toBe(303);
    expect(page.location).toBe('/me?done=session');
    expect(stored).toHaveLength(1);
    const [obs] = stored as [Observation];
    expect(obs).toMatchObject({
      meta: { profile: [PROFILE.exerciseSession] },
      status: 'final',
      category: [{ coding: [{ code: 'activity' }] }],
      basedOn: [{ reference: 'ServiceRequest/grace-walking' }],
      subject: { reference: 'Patient/grace-mensah' },
      effectiveDateTime: '2026-11-27T09:00:00+01:00',
    });
    expect(obs.component?.map((c) => `${c.code.coding?.[0]?.code ?? ''}=${c.valueInteger ?? c.valueQuantity?.value ?? ''}`)).toEqual(['55411-3=12.5', '82289-0=4', 'pain-during=2', 'pain-after=1']);
    expect(errorsOf(obs, PROFILE.exerciseSession)).toEqual([]);
    const after = await call(page.location ?? '', 'grace-mensah');
    expect(after.body).toContain('role="status">Session saved</p>');
  });

  it.each([
    ['an order of another patient\'s plan', 'carmen-walking'],
    ['a replaced order of the patient\'s own plan', 'amara-sit-to-stand-1'],
    ['no order', ''],
  ])('refuses %s with 422 beside the "Exercise" field and stores nothing', async (_what, order) => {
    const { page, stored } = await storedBy('amara-okafor', () => call('/me/sessions', 'amara-okafor', { order, sets: '3', reps: '12', load: '8' }));
    expect(page.status).toBe(422);
    expect(page.body).toMatch(/<p class="field-error" id="session-order-error">.*(Choose one of the exercises of your current plan|Choose the exercise you did)\.<\/p>/);
    expect(page.body).toMatch(/<select id="session-order" name="order" required aria-invalid="true" aria-describedby="session-order-error">/);
    expect(page.body).toMatch(/id="session-reps" name="reps" inputmode="numeric" autocomplete="off" value="12">/);
    expect(stored).toEqual([]);
  });

  it('refuses values out of range with 422 and stores nothing', async () => {
    const { page, stored } = await storedBy('amara-okafor', () => call('/me/sessions', 'amara-okafor', { order: 'amara-walking', exertion: '12', painAfter: '-1', duration: 'long' }));
    expect(page.status).toBe(422);
    for (const field of ['exertion', 'painAfter', 'duration']) expect(page.body).toContain(`aria-describedby="${field === 'exertion' ? 'session-exertion-hint ' : ''}session-${field}-error"`);
    expect(page.body).toMatch(/<option value="amara-walking" selected>/);
    expect(stored).toEqual([]);
  });
});

describe('static files', () => {
  it.each([
    ['/static/gradus.css', /^text\/css/],
    ['/static/charts.js', /^application\/javascript|^text\/javascript/],
    ['/static/chart.umd.js', /^application\/javascript|^text\/javascript/],
  ])('serves %s', async (path, type) => {
    const res = await fetch(`${pages.base}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.text()).length).toBeGreaterThan(500);
  });

  it('serves nothing else from node_modules or the source folder', async () => {
    for (const path of ['/static/../package.json', '/static/chart.js', '/static/gradus.css.map', '/static/%2e%2e/routes.ts']) {
      expect((await fetch(`${pages.base}${path}`)).status).toBe(404);
    }
  });
});
