/**
 * Every page, for every demo patient and with errors shown, keeps the rules the pages promise: one h1, a
 * skip link to <main>, every control labelled, ids unique, aria-describedby pointing at what exists, and
 * nothing a `default-src 'self'` policy would block (no inline script, no style attribute or element).
 */
import type { Bundle, CarePlan } from 'fhir/r4';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanRun } from '../client';
import { DEMO_DIR } from '../server';
import { progress } from '../progression';
import { adherenceWeeks } from './adherence';
import { clinicianPage } from './clinician-page';
import { patientPage } from './patient-page';
import { planView } from './plan-view';
import { progressSeries } from './progress-series';
import { editableOrders, type ProposalModel } from './proposal-section';
import { errorPage } from './responses';

/** The rule broken, or nothing: a small structural check of a rendered page. */
function problems(html: string): string[] {
  const found: string[] = [];
  const count = (re: RegExp): number => [...html.matchAll(re)].length;
  if (!html.startsWith('<!doctype html>\n<html lang="en">')) found.push('no doctype and lang');
  if (count(/<h1[ >]/g) !== 1) found.push(`${count(/<h1[ >]/g)} h1`);
  if (!/<a class="skip-link" href="#main">/.test(html) || !/<main id="main"/.test(html)) found.push('no skip link to main');
  if (/ style=|<style/.test(html)) found.push('inline style');
  for (const m of html.matchAll(/<script([^>]*)>/g)) if (!/ src="\/static\//.test(m[1] ?? '') && !/type="application\/json"/.test(m[1] ?? '')) found.push('inline script');
  const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1] ?? '');
  for (const id of new Set(ids)) if (ids.filter((x) => x === id).length > 1) found.push(`duplicate id ${id}`);
  for (const m of html.matchAll(/<(input|select|textarea)([^>]*)>/g)) {
    const attrs = m[2] ?? '';
    if (/type="hidden"/.test(attrs)) continue;
    const id = / id="([^"]+)"/.exec(attrs)?.[1];
    if (id === undefined || !html.includes(`<label for="${id}">`)) found.push(`unlabelled ${m[1] ?? ''} ${id ?? ''}`);
  }
  for (const m of html.matchAll(/aria-(?:describedby|labelledby)="([^"]+)"/g)) {
    for (const id of (m[1] ?? '').split(' ')) if (!ids.includes(id)) found.push(`aria reference to missing ${id}`);
  }
  return found;
}

const stories = readdirSync(DEMO_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

function clinicianModel(story: string, extra: Partial<ProposalModel> = {}): Parameters<typeof clinicianPage>[0] {
  const bundle = JSON.parse(readFileSync(join(DEMO_DIR, `${story}.json`), 'utf8')) as Bundle;
  const plan = bundle.entry?.find((e) => e.resource?.resourceType === 'CarePlan')?.resource as CarePlan;
  const now = bundle.timestamp ?? '';
  const result = progress(bundle, { now });
  const run: PlanRun = { planId: plan.id ?? '', patient: plan.subject?.reference, now, result, written: [], committed: false, dryRun: true, attempts: 1 };
  const view = planView(bundle, plan, new Map(result.orders.map((o) => [o.orderId, o.exercise])));
  const today = now.slice(0, 10);
  return { view, series: progressSeries(view, today), weeks: adherenceWeeks(view, today), today, proposal: { run, digest: 'ab'.repeat(32), ...extra }, csrfToken: 'token' };
}

describe('the clinician page keeps the page rules', () => {
  it.each(stories)('for the demo patient %s', (story) => {
    expect(problems(clinicianPage(clinicianModel(story)))).toEqual([]);
  });

  it.each(stories)('for %s with the reject form and an edit form showing errors', (story) => {
    const model = clinicianModel(story);
    const first = model.proposal.run ? editableOrders(model.proposal.run)[0] : undefined;
    const edit = first ? { orderId: first.orderId, values: { sets: 'x', reps: '', load: '-1', duration: '0' }, errors: { sets: 'Enter a whole number.', reps: 'Enter a whole number.', load: 'No.', duration: 'No.', dose: 'Refused.' } } : undefined;
    const html = clinicianPage({ ...model, proposal: { ...model.proposal, reject: { value: 'x', error: 'Too short.' }, ...(edit ? { edit } : {}) }, message: { role: 'alert', text: 'Changed.' } });
    expect(problems(html)).toEqual([]);
  });

  it('says why when there is no proposal, and offers no forms', () => {
    const model = clinicianModel('progressing');
    const html = clinicianPage({ ...model, proposal: { error: 'the data cannot be progressed' } });
    expect(problems(html)).toEqual([]);
    expect(html).toContain('Gradus cannot propose changes for this plan: the data cannot be progressed.');
    expect(html).not.toContain('Approve changes');
  });
});

describe('the patient page keeps the page rules', () => {
  const orders = clinicianModel('progressing').view.current;
  it.each<[string, Parameters<typeof patientPage>[0]]>([
    ['with a plan', { csrfToken: 't', orders }],
    ['without a plan', { csrfToken: 't' }],
    ['with a plan without current orders', { csrfToken: 't', orders: [] }],
    ['after saving', { csrfToken: 't', orders, message: { role: 'status', text: 'Check-in saved' } }],
    ['with an empty check-in', { csrfToken: 't', orders, checkIn: { values: {}, errors: { checkIn: 'Fill in at least one.' } } }],
    ['with field errors', { csrfToken: 't', orders, checkIn: { values: { pain: '11' }, errors: { pain: 'No.' } }, session: { values: { order: 'x', exertion: '12' }, errors: { order: 'No.', exertion: 'No.', painDuring: 'No.' } } }],
  ])('%s', (_what, model) => {
    expect(problems(patientPage(model))).toEqual([]);
  });
});

it('an error page keeps the page rules', () => {
  const page = errorPage(403, 'Not allowed', 'No <b>.');
  expect('html' in page && problems(page.html)).toEqual([]);
  expect('html' in page && page.html).toContain('<p>No &lt;b&gt;.</p>');
});

describe('the page check itself', () => {
  const ok = '<!doctype html>\n<html lang="en"><a class="skip-link" href="#main"></a><main id="main"><h1>T</h1>';
  it.each([
    ['two h1', `${ok}<h1>U</h1>`, '2 h1'],
    ['an unlabelled input', `${ok}<input type="text" id="a">`, 'unlabelled input a'],
    ['a style attribute', `${ok}<p style="color:red">`, 'inline style'],
    ['an inline script', `${ok}<script>alert(1)</script>`, 'inline script'],
    ['a duplicate id', `${ok}<p id="x"></p><p id="x"></p>`, 'duplicate id x'],
    ['a dangling aria-describedby', `${ok}<label for="a">A</label><input id="a" aria-describedby="gone">`, 'aria reference to missing gone'],
  ])('finds %s', (_what, html, problem) => {
    expect(problems(html)).toContain(problem);
  });
});
