/**
 * The clinician page's handlers: open the launch patient's active plan, show a plan, and approve, edit or
 * reject its proposed changes. Only a Practitioner may use them, only for the launch's patient (another
 * patient's plan is a 403 page), and every form is checked before anything is written; the clinician is
 * recorded as the verifier. Plain requests in, pages or redirects out (routes.ts adapts express).
 */
import type { CarePlan, Practitioner } from 'fhir/r4';
import { approveChanges, notAGradusPlan, proposalDigest, proposeChanges, readPlan, referenceKey, rejectChanges, type FhirClient, type Verifier } from '../client';
import { OperationOutcomeError } from '../fhir/outcome';
import { adherenceWeeks } from './adherence';
import { clinicianPage, type ClinicianPageModel } from './clinician-page';
import { localDateTime } from './dates';
import { FHIR_ID, type PageRequest, type WebDeps } from './page-request';
import { personName, planView } from './plan-view';
import { progressSeries } from './progress-series';
import { editableOrders, type ProposalModel } from './proposal-section';
import { errorPage, notAllowed, type PageResult } from './responses';
import { editErrors, parseEdit, parseReject, parseShown, type Shown } from './review-forms';

const DONE: Readonly<Record<string, string>> = { approved: 'Changes approved and written', rejected: 'Changes rejected' };
const CHANGED = 'The plan or its logs changed since the proposal was shown, so nothing was written. Here is the proposal on the current data: review it and answer again.';

/** Why this user may not use the clinician page, or undefined. */
function refusal(req: PageRequest): PageResult | undefined {
  if (req.smart.fhirUser?.startsWith('Practitioner/') !== true) return notAllowed('This page is for clinicians.', req.smart.csrfToken);
  return undefined;
}

/** The plan, when it is a plan of the launch's patient; else the page that refuses it. */
async function ownPlan(req: PageRequest, planId: string): Promise<CarePlan | PageResult> {
  if (!FHIR_ID.test(planId)) return errorPage(404, 'Not found', 'There is no plan at this address.', req.smart.csrfToken);
  const plan = await req.smart.fhir.read<CarePlan>('CarePlan', planId);
  if (referenceKey(plan.subject?.reference) !== `Patient/${req.smart.patientId}`) {
    return notAllowed('This plan belongs to another patient than the one you opened Gradus for.', req.smart.csrfToken);
  }
  return plan;
}

const isPage = (x: CarePlan | PageResult): x is PageResult => !('resourceType' in x);

/** The evaluation time: the clock in the service's offset. */
const nowOf = (deps: WebDeps): string => {
  const at = deps.clock();
  return localDateTime(at, deps.offsetMinutes(at));
};

/** A dry run at `now`, or why there is none (the page still shows the plan). */
async function propose(client: FhirClient, planId: string, now: string): Promise<ProposalModel> {
  try {
    const run = await proposeChanges(client, planId, { now });
    return { run, digest: proposalDigest(run.result) };
  } catch (err) {
    if (err instanceof OperationOutcomeError && (err.status === 422 || err.status === 400)) {
      return { error: err.outcome.issue.map((i) => i.diagnostics ?? i.code).join('; ') };
    }
    throw err;
  }
}

interface RenderOptions {
  status?: number;
  now?: string;
  proposal?: ProposalModel;
  message?: ClinicianPageModel['message'];
  reject?: ProposalModel['reject'];
  edit?: ProposalModel['edit'];
}

/** The whole page for a plan already known to be the launch patient's. */
async function render(req: PageRequest, planId: string, deps: WebDeps, o: RenderOptions = {}): Promise<PageResult> {
  const now = o.now ?? nowOf(deps);
  const [data, proposal] = await Promise.all([readPlan(req.smart.fhir, planId), o.proposal ?? propose(req.smart.fhir, planId, now)]);
  const names = new Map((proposal.run?.result.orders ?? []).map((d) => [d.orderId, d.exercise]));
  const view = planView(data.bundle, data.plan, names);
  const today = nowOf(deps).slice(0, 10);
  const model: ClinicianPageModel = {
    view,
    series: progressSeries(view, today),
    weeks: adherenceWeeks(view, today),
    today,
    proposal: { ...proposal, ...(o.reject ? { reject: o.reject } : {}), ...(o.edit ? { edit: o.edit } : {}) },
    csrfToken: req.smart.csrfToken,
    ...(o.message ? { message: o.message } : {}),
  };
  return { status: o.status ?? 200, html: clinicianPage(model) };
}

/** GET /app: the launch patient's active Gradus plan (the latest started, when there are several). */
export async function openApp(req: PageRequest): Promise<PageResult> {
  const refused = refusal(req);
  if (refused) return refused;
  const plans = await req.smart.fhir.search<CarePlan>('CarePlan', { subject: `Patient/${req.smart.patientId}`, status: 'active' });
  const gradus = plans.filter((p) => notAGradusPlan(p) === undefined && p.id !== undefined);
  gradus.sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''));
  const plan = gradus[0];
  if (plan?.id === undefined) return errorPage(404, 'No active exercise plan', 'This patient has no active Gradus exercise plan.', req.smart.csrfToken);
  return { redirect: `/app/plans/${encodeURIComponent(plan.id)}` };
}

/** GET /app/plans/:id */
export async function showPlan(req: PageRequest, deps: WebDeps): Promise<PageResult> {
  const refused = refusal(req);
  if (refused) return refused;
  const planId = req.params.id ?? '';
  const plan = await ownPlan(req, planId);
  if (isPage(plan)) return plan;
  const done = DONE[req.query.done ?? ''];
  return render(req, planId, deps, done !== undefined ? { message: { role: 'status', text: done } } : {});
}

/** The clinician as the Provenance's verifier, named from their Practitioner resource when it can be read. */
async function verifierOf(req: PageRequest): Promise<Verifier> {
  const reference = req.smart.fhirUser ?? '';
  try {
    const practitioner = await req.smart.fhir.read<Practitioner>('Practitioner', reference.slice('Practitioner/'.length));
    const display = personName(practitioner.name);
    return display !== undefined ? { reference, display } : { reference };
  } catch {
    return { reference };
  }
}

const isStatus = (err: unknown, status: number): err is OperationOutcomeError => err instanceof OperationOutcomeError && err.status === status;

/**
 * How old a shown proposal may be when it is answered: a proposal is made at one moment, and the rules
 * decide differently later (a red flag's referral lapses after 14 days), so an answer must come from a page
 * shown recently, never from a crafted `now`.
 */
export const PROPOSAL_MAX_AGE_MS = 30 * 60_000;
const CLOCK_SKEW_MS = 60_000;

const STALE = 'That proposal was shown too long ago (or its time is not believable): this is the current proposal. Review it again.';

/** Checks shared by the three answers: a clinician, the launch patient's plan, a proposal this page showed, recently. */
async function answerContext(req: PageRequest, deps: WebDeps): Promise<{ planId: string; shown: Shown } | PageResult> {
  const refused = refusal(req);
  if (refused) return refused;
  const planId = req.params.id ?? '';
  const plan = await ownPlan(req, planId);
  if (isPage(plan)) return plan;
  const shown = parseShown(req.form);
  if (!shown) return errorPage(400, 'Form not accepted', 'The form did not say which proposal it answers. Reload the page and try again.', req.smart.csrfToken);
  const age = deps.clock().getTime() - Date.parse(shown.now);
  if (age > PROPOSAL_MAX_AGE_MS || age < -CLOCK_SKEW_MS) return render(req, planId, deps, { status: 409, message: { role: 'alert', text: STALE } });
  return { planId, shown };
}

/** The page again on the current data after a 409, saying why. */
const changedPage = (req: PageRequest, planId: string, deps: WebDeps): Promise<PageResult> =>
  render(req, planId, deps, { status: 409, message: { role: 'alert', text: CHANGED } });

/** POST /app/plans/:id/approve */
export async function approve(req: PageRequest, deps: WebDeps): Promise<PageResult> {
  const context = await answerContext(req, deps);
  if (!('shown' in context)) return context;
  const { planId, shown } = context;
  try {
    await approveChanges(req.smart.fhir, planId, { ...shown, verifier: await verifierOf(req), validator: deps.validator });
  } catch (err) {
    if (isStatus(err, 409)) return changedPage(req, planId, deps);
    throw err;
  }
  return { redirect: `/app/plans/${encodeURIComponent(planId)}?done=approved` };
}

/** The proposal the form answers, recomputed at its `now`; undefined when the data changed since (digest differs). */
async function shownProposal(req: PageRequest, planId: string, shown: Shown): Promise<ProposalModel | undefined> {
  const proposal = await propose(req.smart.fhir, planId, shown.now);
  return proposal.digest === shown.digest ? proposal : undefined;
}

/** POST /app/plans/:id/edit: one order's edited dose, approved with all the other changes. */
export async function edit(req: PageRequest, deps: WebDeps): Promise<PageResult> {
  const context = await answerContext(req, deps);
  if (!('shown' in context)) return context;
  const { planId, shown } = context;
  const proposal = await shownProposal(req, planId, shown);
  if (!proposal?.run) return changedPage(req, planId, deps);
  const orderId = req.form.order ?? '';
  const order = editableOrders(proposal.run).find((o) => o.orderId === orderId);
  if (!order) return errorPage(400, 'Form not accepted', 'That exercise has no proposed dose to edit. Reload the page and try again.', req.smart.csrfToken);
  const again = (errors: Record<string, string>): Promise<PageResult> =>
    render(req, planId, deps, { status: 422, now: shown.now, proposal, edit: { orderId, values: req.form, errors } });
  const parsed = parseEdit(req.form, order.to);
  if (!parsed.ok) return again({ ...parsed.errors });
  try {
    const edits = { [orderId]: parsed.values };
    await approveChanges(req.smart.fhir, planId, { ...shown, verifier: await verifierOf(req), validator: deps.validator, edits });
  } catch (err) {
    if (isStatus(err, 409)) return changedPage(req, planId, deps);
    if (isStatus(err, 422)) return again({ ...editErrors(err.outcome, orderId) });
    throw err;
  }
  return { redirect: `/app/plans/${encodeURIComponent(planId)}?done=approved` };
}

/** POST /app/plans/:id/reject */
export async function reject(req: PageRequest, deps: WebDeps): Promise<PageResult> {
  const context = await answerContext(req, deps);
  if (!('shown' in context)) return context;
  const { planId, shown } = context;
  const parsed = parseReject(req.form);
  if (!parsed.ok) {
    const proposal = await shownProposal(req, planId, shown);
    if (!proposal) return changedPage(req, planId, deps);
    return render(req, planId, deps, { status: 422, now: shown.now, proposal, reject: { value: req.form.reason ?? '', ...(parsed.errors.reason !== undefined ? { error: parsed.errors.reason } : {}) } });
  }
  try {
    await rejectChanges(req.smart.fhir, planId, { ...shown, verifier: await verifierOf(req), reason: parsed.values.reason, validator: deps.validator, recordedAt: deps.clock() });
  } catch (err) {
    if (isStatus(err, 409)) return changedPage(req, planId, deps);
    throw err;
  }
  return { redirect: `/app/plans/${encodeURIComponent(planId)}?done=rejected` };
}

