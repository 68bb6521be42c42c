/**
 * A clinician's review of the engine's proposal for one plan: propose (a dry run), approve as proposed or
 * with edited doses, or reject with a reason. Approval writes exactly what the clinician saw: the proposal's
 * `now` and a digest of its decisions travel with the form, the plan is read again and recomputed at that
 * `now`, and any difference (new logs, a changed plan) is a 409 to review again, never a silent recompute.
 * The clinician is recorded on every Provenance as the `verifier` agent; edited doses are checked against
 * the profiles before anything is written.
 * See: implementation-guide.md "Progression output"; https://hl7.org/fhir/R4/provenance.html
 */
import type { Bundle, BundleEntry, OperationOutcome, Provenance, ServiceRequest } from 'fhir/r4';
import { EXT, PROVENANCE_PARTICIPANT_TYPE, REJECTED_PROPOSAL_SYSTEM } from '../fhir/codes';
import { conflict, issue, OperationOutcomeError, outcome } from '../fhir/outcome';
import { describeDose, doseExtensions, doseNarrative, ENGINE_VERSION, exerciseDisplay, provenanceRecord, type Dose, type ProgressResult } from '../progression';
import type { Validator } from '../validation';
import type { FhirClient } from './fhir-client';
import { decide, isVersionConflict, progressPlan, type PlanRun } from './progress-plan';
import { proposalDigest, rejectionKey } from './proposal';

export { proposalDigest } from './proposal';
import { readPlan } from './read-plan';
import { writeTransaction } from './write-plan';

/** The approving clinician: `Practitioner/<id>` and a name to show. */
export interface Verifier {
  reference: string;
  display?: string;
}

/** Edited doses by the id of the current order whose proposed dose they replace. */
export type DoseEdits = Record<string, Dose>;

export interface ReviewOptions {
  /** The proposal's evaluation time, as shown to the clinician. */
  now: string;
  /** proposalDigest() of the proposal shown. */
  digest: string;
  verifier: Verifier;
}

/** The engine's proposal for a plan, computed on the server's current data; nothing is written. */
export function proposeChanges(client: FhirClient, planId: string, options: { now?: string } = {}): Promise<PlanRun> {
  return progressPlan(client, planId, { ...(options.now !== undefined ? { now: options.now } : {}), dryRun: true });
}

/** The proposal recomputed at the reviewed `now`; 409 when it is no longer the one the clinician saw. */
async function reviewedProposal(
  client: FhirClient,
  planId: string,
  options: ReviewOptions,
): Promise<{ result: ProgressResult; planVersion: string | undefined; patient: string | undefined }> {
  const data = await readPlan(client, planId);
  const result = decide(data, planId, { now: options.now, baseUrl: client.baseUrl });
  if (proposalDigest(result) !== options.digest) {
    throw conflict(`CarePlan/${planId} or its logs changed since the proposal was shown: review the new proposal`);
  }
  return { result, planVersion: data.plan.meta?.versionId, patient: data.plan.subject?.reference };
}

function verifierAgent(verifier: Verifier): Provenance['agent'][number] {
  return {
    type: { coding: [{ system: PROVENANCE_PARTICIPANT_TYPE, code: 'verifier', display: 'Verifier' }] },
    who: { reference: verifier.reference, ...(verifier.display !== undefined ? { display: verifier.display } : {}) },
  };
}

const DOSE_FIELDS = ['sets', 'reps', 'load', 'duration'] as const;
type DoseField = (typeof DOSE_FIELDS)[number];
const FIELD_LABEL: Record<DoseField, string> = { sets: 'Sets', reps: 'Reps', load: 'Load', duration: 'Duration' };

/** Which dose field a validator issue inside an order's exercise-dose extension is about, when it can tell. */
function fieldOf(expression: string, order: ServiceRequest): DoseField | undefined {
  const ext = /\.extension\[(\d+)\]\.extension\[(\d+)\]/.exec(expression);
  if (!ext) return undefined;
  const dose = order.extension?.[Number(ext[1])];
  if (dose?.url !== EXT.exerciseDose) return undefined;
  const url = dose.extension?.[Number(ext[2])]?.url;
  return DOSE_FIELDS.find((f) => f === url);
}

/** A dose part as one number in one unit (duration in seconds), for comparing doses. */
function partValue(dose: Dose, field: DoseField): number | undefined {
  if (field === 'duration') return dose.duration ? dose.duration.value * (dose.duration.unit === 'min' ? 60 : 1) : undefined;
  return dose[field];
}

/**
 * Clinical safety of an edit: no part of an edited dose may exceed both the current and the proposed dose,
 * so an edit never progresses further than the rules propose (during a flare, a regress or a deload it can
 * at most keep the current dose). Answers the refusals, one per part.
 */
function editBeyondRules(orderId: string, from: Dose, to: Dose, edited: Dose): OperationOutcome['issue'] {
  return DOSE_FIELDS.flatMap((field) => {
    const value = partValue(edited, field);
    if (value === undefined) return [];
    const limits = [partValue(from, field), partValue(to, field)].filter((v): v is number => v !== undefined);
    const ceiling = limits.length > 0 ? Math.max(...limits) : undefined;
    if (ceiling === undefined || value <= ceiling + 1e-9) return [];
    return [
      issue(
        'error',
        'business-rule',
        `${FIELD_LABEL[field]} ${field === 'duration' ? describeDose({ duration: edited.duration }) : field === 'load' ? `${String(edited.load)} kg` : String(edited[field])} is above both the current dose (${describeDose(from)}) and the proposed dose (${describeDose(to)}): an edit may not progress further than the rules propose`,
        `edits.${orderId}.${field}`,
      ),
    ];
  });
}

/**
 * The proposal with the clinician's edits and signature: each edited order's successor carries the edited
 * dose (and a narrative of it), its decision and Provenance say who changed the dose from what to what, and
 * every Provenance names the clinician as verifier. Pure; 422 when an edit names an order without a new dose.
 */
export function applyReview(result: ProgressResult, verifier: Verifier, edits: DoseEdits = {}): ProgressResult {
  const transaction: Bundle = structuredClone(result.transaction);
  const entries = transaction.entry ?? [];
  const successorOf = (orderId: string): BundleEntry | undefined =>
    entries.find((e) => e.resource?.resourceType === 'ServiceRequest' && (e.resource as ServiceRequest).replaces?.some((r) => r.reference === `ServiceRequest/${orderId}`));
  const who = verifier.display ?? verifier.reference;
  const orders = result.orders.map((o) => ({ ...o }));
  const problems = Object.keys(edits).filter((id) => !successorOf(id) || !orders.some((o) => o.orderId === id));
  const refusals = problems.map((id) => issue('error', 'business-rule', `order ${id} has no proposed new dose to edit`, `edits.${id}`));
  for (const [orderId, dose] of Object.entries(edits)) {
    const decision = orders.find((o) => o.orderId === orderId);
    if (decision && !problems.includes(orderId)) refusals.push(...editBeyondRules(orderId, decision.from, decision.to, dose));
  }
  if (refusals.length > 0) throw new OperationOutcomeError(outcome(refusals), 422);
  for (const [orderId, dose] of Object.entries(edits)) {
    const entry = successorOf(orderId) as BundleEntry;
    const order = entry.resource as ServiceRequest;
    const decision = orders.find((o) => o.orderId === orderId);
    if (!decision) continue;
    const proposed = decision.to;
    const edited: Dose = { ...dose, ...(proposed.step !== undefined && dose.step === undefined ? { step: proposed.step } : {}) };
    order.extension = doseExtensions(order, edited);
    const coding = order.code?.coding?.[0];
    const name = order.code?.coding?.find((c) => c.display)?.display ?? exerciseDisplay(coding?.system, coding?.code) ?? order.code?.text ?? decision.exercise;
    order.text = doseNarrative(name, edited);
    const note = ` Dose edited by ${who} from the proposed ${describeDose(proposed)} to ${describeDose(edited)}.`;
    decision.rationale += note;
    decision.to = edited;
    for (const e of entries) {
      const p = e.resource as Provenance | undefined;
      if (p?.resourceType !== 'Provenance' || !p.target.some((t) => t.reference === entry.fullUrl)) continue;
      const rationale = p.extension?.find((x) => x.url === EXT.progressionRationale);
      if (rationale?.valueMarkdown !== undefined) rationale.valueMarkdown += note;
    }
  }
  for (const e of entries) {
    const p = e.resource as Provenance | undefined;
    if (p?.resourceType === 'Provenance') p.agent = [...p.agent, verifierAgent(verifier)];
  }
  return { plan: result.plan, orders, transaction };
}

/** 422 with the profile errors of the reviewed transaction, pointed at the edited dose fields where they lie. */
function checkReviewed(reviewed: ProgressResult, edits: DoseEdits, validator: Validator): void {
  const found: OperationOutcome = validator.validate(reviewed.transaction);
  const errors = found.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length === 0) return;
  const entries = reviewed.transaction.entry ?? [];
  const pointed = errors.map((i) => {
    const expression = i.expression?.[0] ?? '';
    const index = Number(/^Bundle\.entry\[(\d+)\]/.exec(expression)?.[1] ?? -1);
    const order = entries[index]?.resource as ServiceRequest | undefined;
    const orderId = order?.replaces?.map((r) => r.reference?.replace(/^ServiceRequest\//, '')).find((id) => id !== undefined && id in edits);
    if (!order || orderId === undefined) return i;
    const field = fieldOf(expression, order);
    return { ...i, expression: [field ? `edits.${orderId}.${field}` : `edits.${orderId}`] };
  });
  throw new OperationOutcomeError(outcome(pointed), 422);
}

/**
 * Approves the proposal the clinician saw (optionally with edited doses) and writes it in one transaction.
 * 409 when the data changed since (or the plan changes during the write); 422 when an edit fails the profiles.
 */
export async function approveChanges(
  client: FhirClient,
  planId: string,
  options: ReviewOptions & { edits?: DoseEdits; validator: Validator },
): Promise<PlanRun> {
  const { result, patient } = await reviewedProposal(client, planId, options);
  const edits = options.edits ?? {};
  const reviewed = applyReview(result, options.verifier, edits);
  checkReviewed(reviewed, edits, options.validator);
  try {
    const { written, committed } = await writeTransaction(client, reviewed.transaction);
    return { planId, patient, now: options.now, result: reviewed, written, committed, dryRun: false, attempts: 1 };
  } catch (err) {
    if (isVersionConflict(err)) throw conflict(`CarePlan/${planId} changed while the approval was being written: nothing was written; review the new proposal`);
    throw err;
  }
}

/**
 * Records a rejection: a Provenance on the plan's current version (reason `hold`, the engine as author, the
 * clinician as verifier) whose rationale lists what was proposed and the clinician's reason, tagged with the
 * proposal's rejection key so that no automatic run writes it. The plan and its orders stay as they are.
 */
export async function rejectChanges(
  client: FhirClient,
  planId: string,
  options: ReviewOptions & { reason: string; validator: Validator; recordedAt?: Date },
): Promise<Provenance> {
  const { result, planVersion } = await reviewedProposal(client, planId, options);
  const proposed = result.orders
    .filter((o) => o.decision !== 'hold')
    .map((o) => `${o.exercise}: ${o.decision} ${describeDose(o.from)} -> ${describeDose(o.to)}`);
  if (result.plan.phaseTo !== result.plan.phaseFrom) proposed.unshift(`phase ${result.plan.phaseFrom} -> ${result.plan.phaseTo}`);
  const rationale =
    `${options.verifier.display ?? options.verifier.reference} rejected the proposed changes (${proposed.length > 0 ? proposed.join('; ') : 'no change'}). ` +
    `Reason: ${options.reason.trim()} The plan stays as it is.`;
  const provenance = provenanceRecord({
    targets: [{ reference: planVersion ? `CarePlan/${planId}/_history/${planVersion}` : `CarePlan/${planId}` }],
    decision: 'hold',
    rationale,
    evidence: [],
    now: (options.recordedAt ?? new Date()).toISOString(),
    engineVersion: ENGINE_VERSION,
    tag: { system: REJECTED_PROPOSAL_SYSTEM, code: rejectionKey(planId, planVersion, result) },
  });
  provenance.agent.push(verifierAgent(options.verifier));
  const errors = options.validator.validate(provenance).issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length > 0) throw new OperationOutcomeError(outcome(errors), 422);
  return (await client.request('POST', 'Provenance', provenance)).body as Provenance;
}
