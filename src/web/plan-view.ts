/**
 * The plan as the clinician page shows it, read from the collection Bundle `readPlan` returns: the patient's
 * name, the phase, the current orders (exercise, domain, dose, sessions per week and days) and each current
 * order's replaces chain, oldest first, so doses can be followed back to the start of the program.
 * Not readEvidence's orders and chains: the engine lists only active and on-hold orders, ends a chain at an order
 * without a readable dose or authoredOn, and refuses a Bundle the page still shows (the page shows the plan even
 * when there is no proposal).
 * See: implementation-guide.md "gradus-exercise-plan", "gradus-exercise-order".
 */
import type { Bundle, CarePlan, HumanName, Observation, Patient, ServiceRequest, Timing } from 'fhir/r4';
import { referenceKey } from '../client';
import { CS, DOMAINS, EXT, type Domain } from '../fhir/codes';
import { readDose, type Dose } from '../progression';
import { calendarDate } from './dates';

export interface OrderView {
  id: string;
  exercise: string;
  domain?: Domain;
  status: ServiceRequest['status'];
  dose?: Dose;
  /** Sessions per week (occurrenceTiming: frequency per period). */
  perWeek?: number;
  /** `mon`, `wed`, ... when the order names days. */
  days: string[];
  /** The calendar date this dose took effect. */
  since?: string;
  replaces: string[];
}

export interface Chain {
  /** The current order's exercise. */
  label: string;
  /** The orders from the first prescribed to the current one. */
  orders: OrderView[];
}

export interface PlanView {
  id: string;
  patientId: string;
  patientName: string;
  status: CarePlan['status'];
  phase?: string;
  /** Calendar dates. */
  phaseSince?: string;
  start?: string;
  /** The orders the plan lists, in its order. */
  current: OrderView[];
  chains: Chain[];
  /** Every Observation read with the plan (the patient's). */
  observations: Observation[];
}

/** "Amara Okafor": the first usable name (its text, else prefix, given and family names). */
export function personName(names: readonly HumanName[] | undefined): string | undefined {
  for (const n of names ?? []) {
    const text = n.text?.trim() || [...(n.prefix ?? []), ...(n.given ?? []), n.family ?? ''].join(' ').trim();
    if (text !== '') return text;
  }
  return undefined;
}

/** "Sit-to-stand" from the code `sit-to-stand` when no display or text names the exercise. */
function exerciseName(order: ServiceRequest): string {
  const coding = order.code?.coding?.find((c) => c.system === CS.exercise) ?? order.code?.coding?.[0];
  const name = coding?.display ?? order.code?.text ?? coding?.code ?? order.id ?? 'Exercise';
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function domainOf(order: ServiceRequest): Domain | undefined {
  const code = order.category?.flatMap((c) => c.coding ?? []).find((c) => c.system === CS.exerciseDomain)?.code;
  return DOMAINS.find((d) => d === code);
}

/** Weeks in one unit of Timing.repeat.periodUnit (a month as 1/12 of a 365.25-day year). */
const WEEKS_PER_UNIT: Partial<Record<string, number>> = { d: 1 / 7, wk: 1, mo: 365.25 / 12 / 7, a: 365.25 / 7 };

/** Sessions per week of a Timing (`frequency` per `period` `periodUnit`). */
function perWeek(timing: Timing | undefined): number | undefined {
  const r = timing?.repeat;
  const weeks = r?.periodUnit !== undefined ? WEEKS_PER_UNIT[r.periodUnit] : undefined;
  if (r?.frequency === undefined || weeks === undefined) return undefined;
  return r.frequency / ((r.period ?? 1) * weeks);
}

/** One order as the page shows it; `names` overrides the exercise name (the engine's catalogue display). */
export function orderView(order: ServiceRequest, names: ReadonlyMap<string, string> = new Map()): OrderView {
  const id = order.id ?? '';
  const dose = readDose(order);
  const week = perWeek(order.occurrenceTiming);
  const domain = domainOf(order);
  const since = calendarDate(order.authoredOn);
  return {
    id,
    exercise: names.get(id) ?? exerciseName(order),
    status: order.status,
    days: order.occurrenceTiming?.repeat?.dayOfWeek ?? [],
    replaces: (order.replaces ?? []).flatMap((r) => referenceKey(r.reference)?.replace(/^ServiceRequest\//, '') ?? []),
    ...(domain !== undefined ? { domain } : {}),
    ...(dose !== undefined ? { dose } : {}),
    ...(week !== undefined ? { perWeek: week } : {}),
    ...(since !== undefined ? { since } : {}),
  };
}

/** The current order and the orders it replaced, oldest first (a loop or a missing link ends the chain). */
function chainOf(current: OrderView, byId: ReadonlyMap<string, OrderView>): Chain {
  const orders = [current];
  const seen = new Set([current.id]);
  for (let at = current; ; ) {
    const previous = at.replaces.map((id) => byId.get(id)).find((o) => o !== undefined && !seen.has(o.id));
    if (previous === undefined) break;
    orders.unshift(previous);
    seen.add(previous.id);
    at = previous;
  }
  return { label: current.exercise, orders };
}

/** The page's view of a plan read by `readPlan`; `names` maps order ids to exercise names. */
export function planView(bundle: Bundle, plan: CarePlan, names: ReadonlyMap<string, string> = new Map()): PlanView {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  const patientId = referenceKey(plan.subject?.reference)?.replace(/^Patient\//, '') ?? '';
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient' && r.id === patientId);
  const orders = resources.filter((r): r is ServiceRequest => r.resourceType === 'ServiceRequest').map((o) => orderView(o, names));
  const byId = new Map(orders.map((o) => [o.id, o]));
  const current = (plan.activity ?? []).flatMap((a) => {
    const key = referenceKey(a.reference?.reference);
    const order = key?.startsWith('ServiceRequest/') === true ? byId.get(key.slice('ServiceRequest/'.length)) : undefined;
    return order ? [order] : [];
  });
  const phase = plan.extension?.find((e) => e.url === EXT.progressionPhase)?.valueCode;
  const phaseSince = calendarDate(plan.extension?.find((e) => e.url === EXT.phaseSince)?.valueDateTime);
  const start = calendarDate(plan.period?.start);
  return {
    id: plan.id ?? '',
    patientId,
    patientName: personName(patient?.name) ?? `Patient ${patientId}`,
    status: plan.status,
    current,
    chains: current.map((o) => chainOf(o, byId)),
    observations: resources.filter((r): r is Observation => r.resourceType === 'Observation'),
    ...(phase !== undefined ? { phase } : {}),
    ...(phaseSince !== undefined ? { phaseSince } : {}),
    ...(start !== undefined ? { start } : {}),
  };
}
