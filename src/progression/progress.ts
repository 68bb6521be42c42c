/**
 * The engine's one public function: a patient's Bundle at `now` -> decisions and the transaction Bundle
 * that applies them. Pure: no I/O, no clock, never mutates its input.
 * It wires the rooms in the order the data flows: read/ (Bundle -> evidence), rules/ (evidence -> decisions),
 * write/ (decisions -> FHIR), with dose/ used by all three.
 * See: docs/clinical-rules.md; implementation-guide.md "Progression output".
 */
import type { Bundle, Resource } from 'fhir/r4';
import { badRequest } from '../fhir/outcome';
import { restfulUrl } from '../fhir/reference';
import { parseDateTime } from './read';
import { copyDose } from './dose';
import { evaluate } from './rules';
import { readEvidence, type Evidence } from './read';
import { exerciseName } from './rules';
import { buildTransaction } from './write';
import type { DecisionCode, Domain, Dose, Evaluation, Phase, Policy } from './types';

/** The engine version, shown in every Provenance as `Gradus <version>` (kept equal to package.json by a test). */
export const ENGINE_VERSION = '0.1.0';

export interface ProgressOptions {
  /** The evaluation time: an ISO dateTime with seconds and a UTC offset (`2026-02-23T08:00:00+01:00`). */
  now: string;
  /** Overrides of the plan's progression-policy. */
  policy?: Partial<Policy>;
  /**
   * The FHIR server base the input came from (`https://fhir.example.org/r4`), for the fullUrl of each PUT entry;
   * default: the base of the input's own absolute fullUrls.
   */
  baseUrl?: string;
}

export interface PlanDecision {
  planId: string;
  phaseFrom: Phase;
  phaseTo: Phase;
  decision?: DecisionCode;
  rationale?: string;
}

export interface OrderDecision {
  orderId: string;
  /** The exercise's display name. */
  exercise: string;
  domain: Domain;
  decision: DecisionCode;
  rationale: string;
  from: Dose;
  to: Dose;
  /** References of the Observations the decision used. */
  evidence: string[];
}

export interface ProgressResult {
  plan: PlanDecision;
  orders: OrderDecision[];
  transaction: Bundle;
}

const DATE_TIME_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))$/;

/** Whether `value` is a FHIR dateTime down to the second with a UTC offset, on a real calendar date. */
export function isDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME_WITH_OFFSET.test(value) && parseDateTime(value) !== undefined;
}

/** The input came from a server (so every update must be guarded by If-Match): a search or history, or versioned resources. */
function cameFromServer(bundle: Bundle, evidence: Evidence): boolean {
  if (bundle.type === 'searchset' || bundle.type === 'history') return true;
  return [evidence.plan, ...evidence.currentOrders].some((r) => r.meta?.versionId !== undefined);
}

function orderDecisions(evidence: Evidence, evaluation: Evaluation): OrderDecision[] {
  const facts = new Map(evidence.orders.map((o) => [o.id, o]));
  return evaluation.orders.flatMap((o) => {
    const order = facts.get(o.orderId);
    if (!order) return [];
    return [
      {
        orderId: o.orderId,
        exercise: exerciseName(order),
        domain: order.domain,
        decision: o.decision,
        rationale: o.rationale,
        from: copyDose(order.dose),
        to: copyDose(o.newDose ?? order.dose),
        evidence: [...o.evidence],
      },
    ];
  });
}

/**
 * The absolute URL of an input resource: its entry's fullUrl when that is its RESTful URL, else the given
 * base (or the base of the input's other absolute fullUrls) plus `Type/id`; undefined when none is known.
 * See: https://hl7.org/fhir/R4/bundle.html#bundle-unique (fullUrl of an entry with a resource).
 */
function fullUrlResolver(entries: readonly { resource: Resource; fullUrl?: string }[], baseUrl?: string): (resource: Resource) => string | undefined {
  const bases = entries.flatMap((e) => restfulUrl(e.fullUrl)?.base ?? []);
  const base = baseUrl?.replace(/\/+$/, '') ?? bases[0];
  return (resource) => {
    const own = entries.find((e) => e.resource === resource)?.fullUrl;
    const url = restfulUrl(own);
    if (url?.base !== undefined && url.type === resource.resourceType && url.id === resource.id) return own;
    return base !== undefined && resource.id !== undefined ? `${base}/${resource.resourceType}/${resource.id}` : undefined;
  };
}

/**
 * Applies graded progression to a patient's Bundle (plan, orders, logs, patient) at `now`.
 * Throws OperationOutcomeError with every issue found on bad input.
 */
export function progress(bundle: Bundle, options: ProgressOptions): ProgressResult {
  if (!isDateTimeWithOffset(options.now)) {
    throw badRequest(
      `now '${String(options.now)}' is not an ISO dateTime with seconds and a UTC offset (e.g. 2026-02-23T08:00:00+01:00)`,
      'now',
    );
  }
  const { now } = options;
  const evidence = readEvidence(bundle, { now, ...(options.policy ? { policy: options.policy } : {}) });
  const evaluation = evaluate(evidence, evidence.policy);

  const { index } = evidence;
  const aliases = new Map<string, string[]>();
  for (const order of evidence.orders) if (order.fullUrl !== undefined) aliases.set(order.id, [order.fullUrl]);
  const transaction = buildTransaction({
    plan: evidence.plan,
    ordersById: evidence.ordersById,
    evaluation,
    now,
    engineVersion: ENGINE_VERSION,
    requireVersions: cameFromServer(bundle, evidence),
    resolve: (reference) => index.resolve(reference)?.resource,
    aliases,
    locate: (resource: Resource) => index.entries.find((e) => e.resource === resource)?.path,
    fullUrlOf: fullUrlResolver(index.entries, options.baseUrl),
  });

  return {
    plan: {
      planId: evidence.planId,
      phaseFrom: evaluation.plan.phaseFrom,
      phaseTo: evaluation.plan.phaseTo,
      ...(evaluation.plan.decision !== undefined ? { decision: evaluation.plan.decision } : {}),
      ...(evaluation.plan.rationale !== undefined ? { rationale: evaluation.plan.rationale } : {}),
    },
    orders: orderDecisions(evidence, evaluation),
    transaction,
  };
}
