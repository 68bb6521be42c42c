/**
 * Reading Bundles in tests: resources by type, current orders, sessions per order, and the parts of an
 * engine transaction (implementation-guide.md, "Progression output"). Independent of the engine's own readers.
 */
import type { Bundle, BundleEntry, CarePlan, Observation, Provenance, Resource, ServiceRequest } from 'fhir/r4';
import { CS, EXT, GRADUS_CODE } from '../../src/fhir/codes';
import type { Dose } from '../../src/progression/types';
import { DayClock } from './builder';
import { readDose } from './dose-ext';

export const resources = <T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] =>
  (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as T] : []));

export function byId<T extends Resource>(bundle: Bundle, type: T['resourceType'], id: string): T {
  const found = resources<T>(bundle, type).find((r) => r.id === id);
  if (!found) throw new Error(`${type}/${id} not in the Bundle`);
  return found;
}

export function thePlan(bundle: Bundle): CarePlan {
  const [plan, ...more] = resources<CarePlan>(bundle, 'CarePlan');
  if (!plan || more.length > 0) throw new Error('expected exactly one CarePlan');
  return plan;
}

export const isCurrent = (o: ServiceRequest): boolean => o.status === 'active' || o.status === 'on-hold';

export const exerciseOf = (o: ServiceRequest): string | undefined =>
  o.code?.coding?.find((c) => c.system === CS.exercise)?.code;

export const currentOrders = (bundle: Bundle): ServiceRequest[] => resources<ServiceRequest>(bundle, 'ServiceRequest').filter(isCurrent);

/** The one current order for an exercise (after the engine replaced it, its successor). */
export function currentOrder(bundle: Bundle, exercise: string): ServiceRequest {
  const found = currentOrders(bundle).filter((o) => exerciseOf(o) === exercise);
  if (found.length !== 1) throw new Error(`expected one current ${exercise} order, found ${found.length}`);
  return found[0] as ServiceRequest;
}

export const currentDose = (bundle: Bundle, exercise: string): Dose => readDose(currentOrder(bundle, exercise));

const sessionCode = (o: Observation): boolean =>
  o.code.coding?.some((c) => c.system === CS.gradus && c.code === GRADUS_CODE.exerciseSession) ?? false;

const effectiveStart = (o: Observation): string => o.effectiveDateTime ?? o.effectivePeriod?.start ?? '';

/** Sessions based on an order, oldest first. */
export function sessionsOf(bundle: Bundle, orderId: string): Observation[] {
  return resources<Observation>(bundle, 'Observation')
    .filter((o) => sessionCode(o) && o.basedOn?.some((r) => r.reference === `ServiceRequest/${orderId}`))
    .sort((a, b) => Date.parse(effectiveStart(a)) - Date.parse(effectiveStart(b)));
}

/** References (`Observation/<id>`) of an order's sessions on the given day numbers (relative to `now`). */
export function sessionRefsOn(bundle: Bundle, orderId: string, now: string, days: number[]): string[] {
  const clock = new DayClock(now);
  return sessionsOf(bundle, orderId)
    .filter((o) => days.includes(clock.dayOf(effectiveStart(o))))
    .map((o) => `Observation/${o.id ?? ''}`);
}

/** A reference without its version suffix (`ServiceRequest/x/_history/2` -> `ServiceRequest/x`). */
export const unversioned = (reference: string | undefined): string => (reference ?? '').replace(/\/_history\/[^/]+$/, '');

export interface TransactionParts {
  posts: BundleEntry[];
  puts: BundleEntry[];
  postedOrders: BundleEntry<ServiceRequest>[];
  putOrders: BundleEntry<ServiceRequest>[];
  planPut?: BundleEntry<CarePlan>;
  provenances: BundleEntry<Provenance>[];
}

export function parts(tx: Bundle): TransactionParts {
  const entries = tx.entry ?? [];
  const posts = entries.filter((e) => e.request?.method === 'POST');
  const puts = entries.filter((e) => e.request?.method === 'PUT');
  const ofType = <T extends Resource>(list: BundleEntry[], type: T['resourceType']): BundleEntry<T>[] =>
    list.filter((e) => e.resource?.resourceType === type) as BundleEntry<T>[];
  return {
    posts,
    puts,
    postedOrders: ofType<ServiceRequest>(posts, 'ServiceRequest'),
    putOrders: ofType<ServiceRequest>(puts, 'ServiceRequest'),
    planPut: ofType<CarePlan>(puts, 'CarePlan')[0],
    provenances: ofType<Provenance>(posts, 'Provenance'),
  };
}

export const provenanceReason = (p: Provenance): string | undefined =>
  p.reason?.flatMap((r) => r.coding ?? []).find((c) => c.system === CS.progressionDecision)?.code;

export const provenanceRationale = (p: Provenance): string | undefined =>
  p.extension?.find((e) => e.url === EXT.progressionRationale)?.valueMarkdown;

/** The Provenances whose target includes `reference` (versioned or not). */
export const provenancesFor = (tx: Bundle, reference: string): Provenance[] =>
  parts(tx)
    .provenances.map((e) => e.resource as Provenance)
    .filter((p) => p.target.some((t) => unversioned(t.reference) === reference));

/** The POSTed order that replaces `orderId`, if any. */
export function successorEntry(tx: Bundle, orderId: string): BundleEntry<ServiceRequest> | undefined {
  return parts(tx).postedOrders.find((e) => e.resource?.replaces?.some((r) => unversioned(r.reference) === `ServiceRequest/${orderId}`));
}

/** The dose variables progress/regress/flare/deload act on, without undefined keys. */
export function coreDose(d: Dose): Dose {
  const out: Dose = {};
  if (d.sets !== undefined) out.sets = d.sets;
  if (d.reps !== undefined) out.reps = d.reps;
  if (d.load !== undefined) out.load = d.load;
  if (d.duration !== undefined) out.duration = { value: d.duration.value, unit: d.duration.unit };
  if (d.step !== undefined) out.step = d.step;
  return out;
}
