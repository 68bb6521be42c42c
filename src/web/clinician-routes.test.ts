/**
 * The clinician page against a real embedded FHIR server seeded with the demo patients (at their own
 * timestamps, the clock at DEMO_NOW): what it shows for a plan, and approve, edit and reject as they
 * reach the server, with every refusal leaving the server as it was.
 */
import type { CarePlan, Provenance, ServiceRequest } from 'fhir/r4';
import { CSRF, servePages, type Page } from '../../test/support/pages-server';
import { DEMO_NOW } from '../../test/support/demo-patients';
import { type FhirClient, proposalDigest, proposeChanges } from '../client';
import { EXT } from '../fhir/codes';
import { DEMO_CLINICIAN } from '../server';
import { Validator } from '../validation';

const CLINICIAN = 'Practitioner/demo-clinician';

const pages = servePages({ validator: new Validator(), defaultUser: () => CLINICIAN });
const { call } = pages;
let fhir: FhirClient;

beforeAll(async () => {
  fhir = pages.fhir;
  // The verifier's name comes from their Practitioner resource (seeded by `serve --auth`; here when missing).
  await fhir.read('Practitioner', 'demo-clinician').catch(() => pages.service.store?.seed([DEMO_CLINICIAN]));
});

const hidden = (html: string, name: string): string => /name="([^"]+)" value="([^"]*)"/g.exec(html.slice(html.indexOf(`name="${name}"`)))?.[2] ?? '';
const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The "Edit dose" form of one exercise. */
const editForm = (html: string, exercise: string): string => {
  const start = html.lastIndexOf('<form', html.indexOf(`Edit dose: ${exercise}</h3>`));
  return start < 0 ? '' : html.slice(start, html.indexOf('</form>', start));
};
const h1 = (html: string): string | undefined => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

/** What a refused request must not have changed: the plan's version, its orders and the Provenances. */
async function serverState(planId: string): Promise<string> {
  const plan = await fhir.read<CarePlan>('CarePlan', planId);
  const orders = await fhir.search<ServiceRequest>('ServiceRequest', { 'based-on': `CarePlan/${planId}` });
  const provenances = await fhir.search<Provenance>('Provenance', {});
  return JSON.stringify({ plan: plan.meta?.versionId, orders: orders.map((o) => `${o.id ?? ''}@${o.meta?.versionId ?? ''}`).sort(), provenances: provenances.length });
}

/** The proposal the page shows: its hidden now and digest. */
async function shown(planId: string, patient: string): Promise<{ now: string; digest: string; body: string }> {
  const page = await call(`/app/plans/${planId}`, patient);
  expect(page.status).toBe(200);
  return { now: hidden(page.body, 'now'), digest: hidden(page.body, 'digest'), body: page.body };
}

describe('the clinician page of a plan', () => {
  let page: Page;
  beforeAll(async () => {
    page = await call('/app/plans/amara-plan', 'amara-okafor');
  });

  it('opens the launch patient\'s active plan from /app', async () => {
    const res = await call('/app', 'amara-okafor');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/app/plans/amara-plan');
  });

  it('shows the plan: phase, and each current order with its domain, dose and schedule', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(h1(page.body)).toBe('Exercise plan for Amara Okafor');
    expect([...page.body.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(['Plan', 'Progress over time', 'Adherence per week', 'Proposed changes']);
    const plan = text(page.body.slice(page.body.indexOf('id="plan-heading"'), page.body.indexOf('id="progress-heading"')));
    expect(plan).toContain('Phase Build (since 11 Nov 2026)');
    expect(plan).toContain('Sit-to-stand Strength 3 x 10 at 8 kg, step 2 3 per week 18 Nov 2026 Active');
    expect(plan).toContain('Walking Endurance 20 min (RPE 4-6), step 1 3 per week 11 Nov 2026 Active');
    expect(plan).toContain('Hamstring stretch Mobility 3 x 30 s hold, step 1');
    expect(plan).not.toContain('7.5 kg');
  });

  it('gives the chart its data: daily pain, fatigue and exertion, and each exercise\'s dose as a stepped share of its first dose', () => {
    expect(page.body).toContain('<canvas id="progress-chart" role="img" aria-label="Daily pain, fatigue and exertion against dose"');
    const json = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(page.body)?.[1] ?? '';
    const data = JSON.parse(json) as { labels: string[]; scores: { label: string; data: (number | null)[] }[]; doses: { label: string; data: (number | null)[] }[] };
    expect(data.labels).toHaveLength(17);
    expect(data.labels[0]).toBe('11 Nov');
    expect(data.labels.at(-1)).toBe('27 Nov');
    const [pain, fatigue, exertion] = data.scores;
    expect(pain?.data.every((v) => v === 2)).toBe(true);
    expect(fatigue?.data.every((v) => v === 3)).toBe(true);
    // RPE 5 on the walking days 13, 11, 8, 6, 3, 1 and sit-to-stand days 5, 2 before now; nothing on other days.
    expect(exertion?.data.map((v, i) => (v === null ? null : `${data.labels[i] ?? ''}=${v}`)).filter((v) => v !== null)).toEqual([
      '14 Nov=5', '16 Nov=5', '19 Nov=5', '21 Nov=5', '22 Nov=5', '24 Nov=5', '25 Nov=5', '26 Nov=5',
    ]);
    const doses = Object.fromEntries(data.doses.map((d) => [d.label, d.data]));
    expect(Object.keys(doses)).toEqual(['Sit-to-stand dose (%)', 'Wall push-up dose (%)', 'Walking dose (%)', 'Hamstring stretch dose (%)']);
    expect(doses['Sit-to-stand dose (%)']?.slice(5, 8)).toEqual([100, 100, 107]); // 7.5 kg until 17 Nov, 8 kg from 18 Nov
    expect(doses['Wall push-up dose (%)']?.slice(11, 13)).toEqual([null, 100]); // prescribed from 23 Nov
  });

  it('repeats the chart\'s numbers in a table inside <details>', () => {
    const details = page.body.slice(page.body.indexOf('<details>'), page.body.indexOf('</details>'));
    expect(details).toContain('<summary>Chart data as a table</summary>');
    expect(text(details)).toContain('18 Nov 2026 8 2 3 – 3 x 10 at 8 kg (107%) – 20 min (RPE 4-6) (100%) 3 x 30 s hold (100%)');
  });

  it('counts sessions done and prescribed per program week from the plan\'s start', () => {
    const section = text(page.body.slice(page.body.indexOf('id="adherence-heading"'), page.body.indexOf('id="proposals-heading"')));
    // Week 1: sit-to-stand 13 and 15 Nov, walking 14 and 16 Nov, of 3 exercises x 3 a week.
    expect(section).toContain('Week 1 11 Nov 2026 – 17 Nov 2026 4 9 44%');
    expect(section).toContain('Week 2 18 Nov 2026 – 24 Nov 2026');
    expect(section).toContain('Week 3 (so far) 25 Nov 2026 – 1 Dec 2026');
  });

  it('shows the engine\'s proposals with their rationale and the three answers, carrying the proposal shown', () => {
    const section = page.body.slice(page.body.indexOf('id="proposals-heading"'));
    expect(text(section)).toMatch(/Sit-to-stand Progress 3 x 10 at 8 kg, step 2 .+ Progressed/);
    expect(hidden(section, 'now')).toBe('2026-11-27T09:00:00+01:00');
    expect(hidden(section, 'digest')).toMatch(/^[0-9a-f]{64}$/);
    expect(hidden(section, 'csrf')).toBe(CSRF);
    expect(section).toContain('<button type="submit" class="button button--primary">Approve changes</button>');
    expect(section).toContain('<label for="reject-reason">Reason for rejecting</label>');
    expect(section).toContain('Reject changes</button>');
    const form = editForm(section, 'Sit-to-stand');
    expect(form).toMatch(/<label for="edit-\d-sets">Sets<\/label>[\s\S]*<label for="edit-\d-reps">Reps<\/label>[\s\S]*<label for="edit-\d-load">Load \(kg\)<\/label>/);
    expect(form).not.toContain('Duration');
    expect(editForm(section, 'Walking')).toMatch(/<label for="edit-\d-duration">Duration \(min\)<\/label>[\s\S]*value="22"/);
    expect(section).not.toContain('Edit dose: Wall push-up'); // held: no new dose to edit
    expect(section).toContain('Save edited dose</button>');
  });
});

describe('another patient, another user', () => {
  it.each([
    ['a plan of another patient than the launch\'s', '/app/plans/carmen-plan', 'amara-okafor', CLINICIAN, 403, 'Not allowed'],
    ['a patient on the clinician page', '/app/plans/amara-plan', 'amara-okafor', 'Patient/amara-okafor', 403, 'Not allowed'],
    ['a plan that does not exist', '/app/plans/no-such-plan', 'amara-okafor', CLINICIAN, 404, 'Not found'],
    ['an id FHIR does not allow', '/app/plans/bad_id!', 'amara-okafor', CLINICIAN, 404, 'Not found'],
  ])('%s is refused', async (_what, path, patient, user, status, heading) => {
    const res = await call(path, patient, undefined, user);
    expect(res.status).toBe(status);
    expect(h1(res.body)).toBe(heading);
    expect(res.body).not.toContain('Carmen');
  });

  it('answers 401 "Sign in needed" without a SMART session', async () => {
    const res = await call('/app', undefined);
    expect(res.status).toBe(401);
    expect(h1(res.body)).toBe('Sign in needed');
  });

  it.each(['approve', 'reject', 'edit'])('refuses to %s another patient\'s plan, writing nothing', async (action) => {
    const { now, digest } = await shown('carmen-plan', 'carmen-ruiz');
    const before = await serverState('carmen-plan');
    const res = await call(`/app/plans/carmen-plan/${action}`, 'amara-okafor', { now, digest, reason: 'not for me', order: 'carmen-step-up', sets: '3', reps: '10', load: '5' });
    expect(res.status).toBe(403);
    expect(h1(res.body)).toBe('Not allowed');
    expect(await serverState('carmen-plan')).toBe(before);
  });
});

describe('invalid answers are refused before anything is written', () => {
  it('a reason for rejecting that is too short: 422, the error beside the field, the text kept', async () => {
    const { now, digest } = await shown('amara-plan', 'amara-okafor');
    const before = await serverState('amara-plan');
    const res = await call('/app/plans/amara-plan/reject', 'amara-okafor', { now, digest, reason: ' <b ' });
    expect(res.status).toBe(422);
    expect(res.body).toMatch(/<p class="field-error" id="reject-reason-error"><span class="visually-hidden">Error: <\/span>Enter a reason of at least 3 characters.<\/p>/);
    expect(res.body).toMatch(/<textarea id="reject-reason" name="reason"[^>]* aria-invalid="true" aria-describedby="reject-reason-hint reject-reason-error"> &lt;b <\/textarea>/);
    expect(hidden(res.body, 'digest')).toBe(digest);
    expect(await serverState('amara-plan')).toBe(before);
  });

  it('an edited dose out of range or not a number: 422, each error beside its field, the entered values kept', async () => {
    const { now, digest } = await shown('amara-plan', 'amara-okafor');
    const before = await serverState('amara-plan');
    const res = await call('/app/plans/amara-plan/edit', 'amara-okafor', { now, digest, order: 'amara-sit-to-stand-2', sets: '0', reps: 'ten', load: '8.125' });
    expect(res.status).toBe(422);
    const form = editForm(res.body, 'Sit-to-stand');
    const id = /id="(edit-\d)-heading"/.exec(form)?.[1] ?? '?';
    expect(form).toContain(`<p class="form-error" id="${id}-problem" role="alert">Check the values marked below.</p>`);
    expect(form).toContain(
      `<p class="field-error" id="${id}-sets-error"><span class="visually-hidden">Error: </span>Enter a whole number from 1 to 20.</p>` +
        `<input type="text" id="${id}-sets" name="sets" inputmode="numeric" autocomplete="off" value="0" required aria-invalid="true" aria-describedby="${id}-sets-error">`,
    );
    expect(form).toMatch(/-reps-error">.*without a decimal point.<\/p><input [^>]*value="ten"[^>]*aria-invalid="true"/);
    expect(form).toMatch(/-load-error">.*at most 2 decimal places.<\/p><input [^>]*value="8.125"[^>]*aria-invalid="true"/);
    expect(editForm(res.body, 'Walking')).not.toContain('aria-invalid'); // the other forms show the proposal
    expect(await serverState('amara-plan')).toBe(before);
  });

  it.each([
    ['no digest', { now: DEMO_NOW }],
    ['a malformed now', { now: '27 Nov', digest: 'ab'.repeat(32) }],
  ])('a form without the proposal it answers (%s): 400', async (_what, form) => {
    const before = await serverState('amara-plan');
    const res = await call('/app/plans/amara-plan/approve', 'amara-okafor', form);
    expect(res.status).toBe(400);
    expect(h1(res.body)).toBe('Form not accepted');
    expect(await serverState('amara-plan')).toBe(before);
  });

  it('an edit of an order without a proposed new dose: 400', async () => {
    const { now, digest } = await shown('amara-plan', 'amara-okafor');
    const before = await serverState('amara-plan');
    const res = await call('/app/plans/amara-plan/edit', 'amara-okafor', { now, digest, order: 'amara-wall-push-up', sets: '2', reps: '12' });
    expect(res.status).toBe(400);
    expect(await serverState('amara-plan')).toBe(before);
  });

  it.each(['approve', 'reject', 'edit'])('%s of a proposal that is no longer the current one: 409 with the fresh proposal', async (action) => {
    const { now } = await shown('amara-plan', 'amara-okafor');
    const before = await serverState('amara-plan');
    const stale = 'a'.repeat(64);
    const res = await call(`/app/plans/amara-plan/${action}`, 'amara-okafor', { now, digest: stale, reason: 'Not today, travelling', order: 'amara-sit-to-stand-2', sets: '3', reps: '10', load: '8' });
    expect(res.status).toBe(409);
    expect(res.body).toContain('<p class="message message--alert" role="alert">The plan or its logs changed since the proposal was shown');
    expect(hidden(res.body, 'digest')).toMatch(/^[0-9a-f]{64}$/);
    expect(hidden(res.body, 'digest')).not.toBe(stale);
    expect(await serverState('amara-plan')).toBe(before);
  });
});

describe('answers to an old or crafted proposal time', () => {
  it.each([
    ['made 31 minutes before the clock', -31 * 60_000],
    ['dated 2 minutes after the clock', 2 * 60_000],
    ['crafted 23 days ahead (a red flag would have lapsed)', 23 * 86_400_000],
  ])('approve of a proposal %s: 409 with the current proposal, nothing written', async (_name, shiftMs) => {
    const later = new Date(Date.parse(DEMO_NOW) + shiftMs).toISOString().replace('Z', '+00:00').replace(/\.\d{3}/, '');
    const proposal = await proposeChanges(fhir, 'amara-plan', { now: later }).catch(() => undefined);
    const before = await serverState('amara-plan');
    const res = await call('/app/plans/amara-plan/approve', 'amara-okafor', { now: later, digest: proposal ? proposalDigest(proposal.result) : 'a'.repeat(64) });
    expect(res.status).toBe(409);
    expect(res.body).toContain('That proposal was shown too long ago');
    expect(await serverState('amara-plan')).toBe(before);
  });
});

describe('answers that are written', () => {
  it('approve writes the proposal with the clinician as verifier and says so', async () => {
    const { now, digest } = await shown('tomasz-plan', 'tomasz-kowalski');
    const version = (await fhir.read<CarePlan>('CarePlan', 'tomasz-plan')).meta?.versionId;
    const res = await call('/app/plans/tomasz-plan/approve', 'tomasz-kowalski', { now, digest });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/app/plans/tomasz-plan?done=approved');
    const after = await call(res.location ?? '', 'tomasz-kowalski');
    expect(after.body).toContain('<p class="message message--status" role="status">Changes approved and written</p>');
    const plan = await fhir.read<CarePlan>('CarePlan', 'tomasz-plan');
    expect(plan.meta?.versionId).not.toBe(version);
    const glute = await fhir.search<ServiceRequest>('ServiceRequest', { 'based-on': 'CarePlan/tomasz-plan', status: 'active' });
    expect(glute.some((o) => o.replaces?.[0]?.reference === 'ServiceRequest/tomasz-glute-bridge')).toBe(true);
    const provenances = await fhir.search<Provenance>('Provenance', {});
    const verifiers = provenances
      .filter((p) => p.target.some((t) => t.reference?.includes('tomasz') === true))
      .map((p) => p.agent.find((a) => a.type?.coding?.[0]?.code === 'verifier')?.who);
    expect(verifiers.length).toBeGreaterThan(0);
    expect(verifiers.every((w) => w?.reference === CLINICIAN && w.display === 'Dr Alex Morgan')).toBe(true);
  });

  it('an edited dose approves the proposal with that dose written on the new order', async () => {
    const { now, digest, body } = await shown('sofia-plan', 'sofia-costa');
    const form = body.slice(body.indexOf('Edit dose: Sit-to-stand'));
    expect(form).toContain('value="12"'); // proposed: reps 10 -> 12 at 4 kg
    const res = await call('/app/plans/sofia-plan/edit', 'sofia-costa', { now, digest, order: 'sofia-sit-to-stand', sets: '3', reps: '11', load: '4' });
    expect(res.status).toBe(303);
    const orders = await fhir.search<ServiceRequest>('ServiceRequest', { 'based-on': 'CarePlan/sofia-plan', status: 'active' });
    const successor = orders.find((o) => o.replaces?.[0]?.reference === 'ServiceRequest/sofia-sit-to-stand');
    const dose = successor?.extension?.find((e) => e.url === EXT.exerciseDose)?.extension ?? [];
    expect(Object.fromEntries(dose.map((p) => [p.url, p.valueInteger ?? p.valueQuantity?.value]))).toMatchObject({ sets: 3, reps: 11, load: 4 });
  });

  it('reject records the reason and leaves the plan as it is', async () => {
    const { now, digest } = await shown('bernhard-plan', 'bernhard-vogel');
    const version = (await fhir.read<CarePlan>('CarePlan', 'bernhard-plan')).meta?.versionId;
    const res = await call('/app/plans/bernhard-plan/reject', 'bernhard-vogel', { now, digest, reason: 'Travelling this week; review next Monday.' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/app/plans/bernhard-plan?done=rejected');
    const after = await call(res.location ?? '', 'bernhard-vogel');
    expect(after.body).toContain('role="status">Changes rejected</p>');
    expect((await fhir.read<CarePlan>('CarePlan', 'bernhard-plan')).meta?.versionId).toBe(version);
    const provenances = await fhir.search<Provenance>('Provenance', {});
    const rejection = provenances.find((p) => p.target.some((t) => t.reference?.startsWith('CarePlan/bernhard-plan') === true));
    expect(rejection?.extension?.[0]?.valueMarkdown).toContain('Reason: Travelling this week; review next Monday.');
  });
});
