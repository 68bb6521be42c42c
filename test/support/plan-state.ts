/**
 * What a FHIR server shows of one plan, read over HTTP as any client would: the safety invariants of a
 * write-back (no half-applied plan) and a comparable summary of the plan's state.
 */
import type { CarePlan, Provenance, ServiceRequest } from 'fhir/r4';
import { FhirClient, referenceKey } from '../../src/client';
import { EVALUATION_KEY_SYSTEM, EXT, PROFILE } from '../../src/fhir/codes';
import { describeDose, readDose } from '../../src/progression';

export interface PlanSnapshot {
  plan: CarePlan;
  orders: ServiceRequest[];
  provenances: Provenance[];
  planVersions: number;
}

const exerciseOf = (o: ServiceRequest): string => o.code?.coding?.[0]?.code ?? '?';
const phaseOf = (plan: CarePlan): string => plan.extension?.find((e) => e.url === EXT.progressionPhase)?.valueCode ?? '?';

/**
 * How many versions the plan has had: its versionId where the server numbers versions (HAPI: 1, 2, 3;
 * HAPI's `_history` of a resource created by PUT can omit early versions), else the length of its
 * `_history` (the embedded server's version ids are UUIDs).
 */
async function versionCount(client: FhirClient, plan: CarePlan): Promise<number> {
  const versionId = plan.meta?.versionId ?? '';
  if (/^\d+$/.test(versionId)) return Number(versionId);
  const history = (await client.request('GET', `CarePlan/${plan.id ?? ''}/_history`)).body as { entry?: unknown[] };
  return history.entry?.length ?? 0;
}

export async function snapshot(client: FhirClient, planId: string): Promise<PlanSnapshot> {
  const plan = await client.read<CarePlan>('CarePlan', planId);
  const orders = await client.search<ServiceRequest>('ServiceRequest', { 'based-on': `CarePlan/${planId}` });
  const targets = [`CarePlan/${planId}`, ...orders.map((o) => `ServiceRequest/${o.id ?? ''}`)];
  const provenances = (await client.search<Provenance>('Provenance', { target: targets.join(',') })).filter(
    (p, i, all) => all.findIndex((q) => q.id === p.id) === i,
  );
  return { plan, orders, provenances, planVersions: await versionCount(client, plan) };
}

/**
 * Every way the server's state breaks the write-back's promise: the plan lists a missing or inactive order,
 * two orders for one exercise, or an order based on the plan is active without being listed by it.
 */
export function violations(s: PlanSnapshot): string[] {
  const found: string[] = [];
  const byKey = new Map(s.orders.map((o) => [`ServiceRequest/${o.id ?? ''}`, o]));
  const referred = phaseOf(s.plan) === 'referred';
  const listed = new Set<string>();
  const exercises = new Map<string, string>();
  for (const activity of s.plan.activity ?? []) {
    const key = referenceKey(activity.reference?.reference);
    const order = key !== undefined ? byKey.get(key) : undefined;
    if (key === undefined || !order) {
      found.push(`plan lists ${activity.reference?.reference ?? '(no reference)'}, which is missing`);
      continue;
    }
    listed.add(key);
    const allowed = referred ? ['on-hold'] : ['active'];
    if (!allowed.includes(order.status)) found.push(`plan lists ${key} with status ${order.status}`);
    const exercise = exerciseOf(order);
    const other = exercises.get(exercise);
    if (other !== undefined) found.push(`plan lists two orders for ${exercise}: ${other} and ${key}`);
    exercises.set(exercise, key);
  }
  for (const [key, order] of byKey) {
    if (!listed.has(key) && (order.status === 'active' || order.status === 'on-hold')) found.push(`${key} is ${order.status} but the plan does not list it`);
  }
  return found;
}

/** The plan as a clinician sees it: phase, the listed orders' exercise and dose, and the Provenance reasons (counted). */
export function summary(s: PlanSnapshot): { phase: string; orders: string[]; reasons: string[] } {
  const byKey = new Map(s.orders.map((o) => [`ServiceRequest/${o.id ?? ''}`, o]));
  const orders = (s.plan.activity ?? [])
    .map((a) => byKey.get(referenceKey(a.reference?.reference) ?? ''))
    .map((o) => {
      const dose = o ? readDose(o) : undefined;
      return o ? `${exerciseOf(o)} ${o.status} ${dose ? describeDose(dose) : 'no dose'}` : 'missing';
    })
    .sort();
  const reasons = s.provenances.map((p) => p.reason?.[0]?.coding?.[0]?.code ?? '?').sort();
  return { phase: phaseOf(s.plan), orders, reasons };
}

/** Evaluation keys recorded more than once (each run's Provenance must be recorded once). */
export function duplicateKeys(s: PlanSnapshot): string[] {
  const keys = s.provenances.flatMap((p) => p.meta?.tag?.filter((t) => t.system === EVALUATION_KEY_SYSTEM).map((t) => t.code ?? '') ?? []);
  return [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
}

export const isGradusProvenance = (p: Provenance): boolean => (p.meta?.profile ?? []).includes(PROFILE.progressionProvenance);
