/**
 * The patient page's handlers: show the forms, save today's check-in, log a session. The patient is the
 * launch's patient context; a session can only be logged against a current order of the patient's own
 * active plan. Each form is checked, the Observation built and validated against its profile before it is
 * POSTed with the patient's token; nothing is written otherwise. Plain requests in, pages or redirects out.
 */
import type { CarePlan, Observation, ServiceRequest } from 'fhir/r4';
import { notAGradusPlan, referenceKey, type FhirClient } from '../client';
import { isErrorIssue } from '../fhir/outcome';
import { PROFILE } from '../fhir/codes';
import { localDateTime, morningOf } from './dates';
import type { FormValues } from './fields';
import type { PageRequest, WebDeps } from './page-request';
import { CHECK_IN_EMPTY, checkInObservation, parseCheckIn, parseSession, sessionObservation } from './patient-log';
import { patientPage, type PatientPageModel } from './patient-page';
import { orderView, type OrderView } from './plan-view';
import { notAllowed, type PageResult } from './responses';

const DONE: Readonly<Record<string, string>> = { 'check-in': 'Check-in saved', session: 'Session saved' };

/** Only the patient themself (or a launch without fhirUser) uses this page. */
function refusal(req: PageRequest): PageResult | undefined {
  const user = req.smart.fhirUser;
  if (user === undefined || user === `Patient/${req.smart.patientId}`) return undefined;
  return notAllowed('This page is for the patient whose record it is.', req.smart.csrfToken);
}

/** The current orders of the patient's active Gradus plan (the latest started); undefined without one. */
async function currentOrders(client: FhirClient, patientId: string): Promise<OrderView[] | undefined> {
  const plans = (await client.search<CarePlan>('CarePlan', { subject: `Patient/${patientId}`, status: 'active' })).filter(
    (p) => notAGradusPlan(p) === undefined && p.id !== undefined,
  );
  plans.sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''));
  const plan = plans[0];
  if (plan?.id === undefined) return undefined;
  const listed = (plan.activity ?? []).map((a) => referenceKey(a.reference?.reference));
  const orders = await client.search<ServiceRequest>('ServiceRequest', { 'based-on': `CarePlan/${plan.id}` });
  const own = orders.filter(
    (o) => o.status === 'active' && listed.includes(`ServiceRequest/${o.id ?? ''}`) && referenceKey(o.subject?.reference) === `Patient/${patientId}`,
  );
  own.sort((a, b) => listed.indexOf(`ServiceRequest/${a.id ?? ''}`) - listed.indexOf(`ServiceRequest/${b.id ?? ''}`));
  return own.map((o) => orderView(o));
}

function show(req: PageRequest, orders: OrderView[] | undefined, status: number, extra: Partial<PatientPageModel> = {}): PageResult {
  return { status, html: patientPage({ csrfToken: req.smart.csrfToken, ...(orders ? { orders } : {}), ...extra }) };
}

/** Problems the profile found in a built Observation (none expected: the form checks come first). */
function profileErrors(deps: WebDeps, observation: Observation, profile: string): string[] {
  return deps.validator
    .validate(observation, { profile })
    .issue.filter(isErrorIssue)
    .map((i) => i.diagnostics ?? i.code);
}

const now = (deps: WebDeps): { at: Date; offset: number } => {
  const at = deps.clock();
  return { at, offset: deps.offsetMinutes(at) };
};

async function create(client: FhirClient, observation: Observation): Promise<void> {
  await client.request('POST', 'Observation', observation, { prefer: 'return=minimal' });
}

/** GET /me */
export async function showPatient(req: PageRequest): Promise<PageResult> {
  const refused = refusal(req);
  if (refused) return refused;
  const done = DONE[req.query.done ?? ''];
  return show(req, await currentOrders(req.smart.fhir, req.smart.patientId), 200, done !== undefined ? { message: { role: 'status', text: done } } : {});
}

const invalid = (problems: string[]): Record<string, string> => ({ session: `Gradus could not record this: ${problems.join('; ')}` });

/** POST /me/check-in */
export async function saveCheckIn(req: PageRequest, deps: WebDeps): Promise<PageResult> {
  const refused = refusal(req);
  if (refused) return refused;
  const form: FormValues = req.form;
  const parsed = parseCheckIn(form);
  const again = async (errors: Record<string, string>): Promise<PageResult> =>
    show(req, await currentOrders(req.smart.fhir, req.smart.patientId), 422, { checkIn: { values: form, errors } });
  if (!parsed.ok) return again({ ...parsed.errors });
  const { at, offset } = now(deps);
  const observation = checkInObservation(parsed.values, { patientId: req.smart.patientId, effective: morningOf(at, offset) });
  const problems = profileErrors(deps, observation, PROFILE.dailyCheckIn);
  if (problems.length > 0) return again({ [CHECK_IN_EMPTY]: `Gradus could not record this: ${problems.join('; ')}` });
  await create(req.smart.fhir, observation);
  return { redirect: '/me?done=check-in' };
}

/** POST /me/sessions */
export async function saveSession(req: PageRequest, deps: WebDeps): Promise<PageResult> {
  const refused = refusal(req);
  if (refused) return refused;
  const form: FormValues = req.form;
  const orders = await currentOrders(req.smart.fhir, req.smart.patientId);
  const parsed = parseSession(form, new Set((orders ?? []).map((o) => o.id)));
  if (!parsed.ok) return show(req, orders, 422, { session: { values: form, errors: parsed.errors } });
  const { at, offset } = now(deps);
  const { orderId, ...values } = parsed.values;
  const observation = sessionObservation(values, { patientId: req.smart.patientId, orderId, effective: localDateTime(at, offset) });
  const problems = profileErrors(deps, observation, PROFILE.exerciseSession);
  if (problems.length > 0) return show(req, orders, 422, { session: { values: form, errors: invalid(problems) } });
  await create(req.smart.fhir, observation);
  return { redirect: '/me?done=session' };
}
