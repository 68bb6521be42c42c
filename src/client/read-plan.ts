/**
 * Reads everything progression needs for one plan from a FHIR server into a collection Bundle: the plan,
 * its patient, every order based on it (current ones and their replaces chains) and the patient's
 * Observations. Plain searches only (no `_include`, which some servers ignore), every page followed.
 * See: https://hl7.org/fhir/R4/search.html
 */
import type { Bundle, CarePlan, Observation, Patient, Resource, ServiceRequest } from 'fhir/r4';
import { CS, GRADUS_CODE, PROFILE } from '../fhir/codes';
import { issue, notFound, OperationOutcomeError, outcome, unprocessable } from '../fhir/outcome';
import { referenceKey } from '../fhir/reference';
import { FhirHttpError, type FhirClient } from './fhir-client';


/** Why a CarePlan is not one Gradus can progress; undefined when it is. */
export function notAGradusPlan(plan: CarePlan): string | undefined {
  const profiled = (plan.meta?.profile ?? []).includes(PROFILE.exercisePlan);
  const categorised = (plan.category ?? []).some((c) =>
    (c.coding ?? []).some((coding) => coding.system === CS.gradus && coding.code === GRADUS_CODE.exerciseProgram),
  );
  if (!profiled && !categorised) {
    return `CarePlan/${plan.id ?? '?'} is not a Gradus exercise plan: it neither claims ${PROFILE.exercisePlan} nor has category ${CS.gradus}|${GRADUS_CODE.exerciseProgram}`;
  }
  if (plan.status !== 'active' && plan.status !== 'on-hold') {
    return `CarePlan/${plan.id ?? '?'} has status '${plan.status ?? 'none'}': only an active or on-hold plan is progressed`;
  }
  return undefined;
}

/**
 * Reads a resource, turning the server's 404/410 into a 404 naming what was looked for (the plan asked
 * for) or a 422 (a resource the plan refers to: the plan is broken, not unknown).
 */
async function readOrMissing<T extends Resource>(client: FhirClient, type: T['resourceType'], id: string, role: string, asked = false): Promise<T> {
  try {
    return await client.read<T>(type, id);
  } catch (err) {
    if (err instanceof FhirHttpError && (err.serverStatus === 404 || err.serverStatus === 410)) {
      const message = `${role} ${type}/${id} was not found on the FHIR server`;
      throw asked ? notFound(message) : unprocessable(message);
    }
    throw err;
  }
}

/** Every plan and order must carry meta.versionId, or their updates could not be guarded with If-Match. */
function requireVersions(resources: Resource[]): void {
  const missing = resources.filter((r) => r.meta?.versionId === undefined).map((r) => `${r.resourceType}/${r.id ?? '?'}`);
  if (missing.length > 0) {
    throw new OperationOutcomeError(
      outcome([issue('error', 'processing', `the FHIR server sent ${missing.join(', ')} without meta.versionId: Gradus cannot guard its update with If-Match, so it writes nothing`)]),
      502,
    );
  }
}

/** The orders the plan lists or the fetched orders replace that the based-on search did not return. */
function missingOrders(plan: CarePlan, orders: Map<string, ServiceRequest>): string[] {
  const wanted = [
    ...(plan.activity ?? []).map((a) => a.reference?.reference),
    ...[...orders.values()].flatMap((o) => (o.replaces ?? []).map((r) => r.reference)),
  ];
  return [...new Set(wanted.map(referenceKey).filter((k): k is string => k?.startsWith('ServiceRequest/') === true && !orders.has(k)))];
}

/** The plan's orders: those based on it, plus any it lists or their chains reach that are based elsewhere. */
async function readOrders(client: FhirClient, plan: CarePlan): Promise<ServiceRequest[]> {
  const orders = new Map<string, ServiceRequest>();
  for (const order of await client.search<ServiceRequest>('ServiceRequest', { 'based-on': `CarePlan/${plan.id ?? ''}` })) {
    orders.set(`ServiceRequest/${order.id ?? ''}`, order);
  }
  for (let round = 0; round < 100; round++) {
    const missing = missingOrders(plan, orders);
    if (missing.length === 0) break;
    for (const key of missing) {
      const id = key.slice('ServiceRequest/'.length);
      orders.set(key, await readOrMissing<ServiceRequest>(client, 'ServiceRequest', id, `order of CarePlan/${plan.id ?? ''}:`));
    }
  }
  return [...orders.values()];
}

export interface PlanData {
  /** A collection Bundle the engine reads: fullUrls are the server's URLs, resources carry meta.versionId. */
  bundle: Bundle;
  plan: CarePlan;
}

/** Reads one plan and everything progression needs; 404 when the plan is missing, 422 when it is not a Gradus plan or refers to what is not there. */
export async function readPlan(client: FhirClient, planId: string): Promise<PlanData> {
  const plan = await readOrMissing<CarePlan>(client, 'CarePlan', planId, 'plan', true);
  const why = notAGradusPlan(plan);
  if (why !== undefined) throw unprocessable(why);
  const subject = referenceKey(plan.subject?.reference);
  if (subject === undefined || !subject.startsWith('Patient/')) {
    throw unprocessable(`CarePlan/${planId}.subject is not a literal Patient reference`, 'CarePlan.subject');
  }
  const patient = await readOrMissing<Patient>(client, 'Patient', subject.slice('Patient/'.length), `the plan's patient`);
  const orders = await readOrders(client, plan);
  requireVersions([plan, ...orders]);
  const observations = await client.search<Observation>('Observation', { subject: subject });
  const resources: Resource[] = [patient, plan, ...orders, ...observations];
  return {
    plan,
    bundle: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: resources.map((resource) => ({ fullUrl: client.url(`${resource.resourceType}/${resource.id ?? ''}`), resource })),
    },
  };
}
