/**
 * The plan's exercise orders as typed facts: current orders with domain, exercise, dose, frequency,
 * replaces chain, sessions (with next-morning pain) and tolerance tests. Problems are collected as issues.
 * An exercise order with an element of the wrong JSON type among those the engine reads (shape.ts ORDER and
 * its exercise-dose) is an error at that element and is read no further.
 * See: implementation-guide.md "gradus-exercise-order"; docs/clinical-rules.md "Terms".
 */
import type { CarePlan, OperationOutcomeIssue, ServiceRequest } from 'fhir/r4';
import { CS, DOMAINS, EXERCISE_THERAPY, EXT, PROFILE, SNOMED } from '../../fhir/codes';
import { issue } from '../../fhir/outcome';
import type { BundleIndex, IndexedEntry } from './bundle-index';
import type { Calendar } from './days';
import { readDose } from '../dose';
import type { ChainLink, DailyValue, OrderFacts, ToleranceTest } from './evidence-types';
import { exerciseDisplay } from './exercise-catalogue';
import { asNumber, asString, field, records, strings } from './json';
import type { RawSession } from './observations';
import { checkShape, DOSE_EXTENSION, ORDER } from './shape';
import type { Domain, Dose, IntensityMeasure, Policy } from '../types';

/** The key an order is known by: its id, else its fullUrl (else `#entry[i]`). */
export function orderKeyOf(entry: IndexedEntry): string | undefined {
  if (entry.resource.resourceType !== 'ServiceRequest') return undefined;
  return asString(entry.resource.id) ?? entry.reference;
}

/** A ServiceRequest that claims the exercise-order profile or carries the exercise-therapy category (any JSON read safely). */
function isExerciseOrder(order: ServiceRequest): boolean {
  if (strings(field(order.meta, 'profile')).includes(PROFILE.exerciseOrder)) return true;
  return records(order.category).some(({ item }) =>
    records(item.coding).some(({ item: c }) => (c.system === SNOMED && c.code === EXERCISE_THERAPY) || c.system === CS.exerciseDomain),
  );
}

export interface ReadOrdersOptions {
  index: BundleIndex;
  planEntry: IndexedEntry<CarePlan>;
  isPatient: (subject: string | undefined) => boolean;
  calendar: Calendar;
  policy: Policy;
  dailyPain: readonly DailyValue[];
  sessionsByOrder: ReadonlyMap<string, RawSession[]>;
  testsByOrder: ReadonlyMap<string, ToleranceTest[]>;
  issues: OperationOutcomeIssue[];
}

export interface OrderSet {
  ordersById: ReadonlyMap<string, ServiceRequest>;
  currentOrders: ServiceRequest[];
  orders: OrderFacts[];
}

interface Checked {
  entry: IndexedEntry<ServiceRequest>;
  key: string;
  dose?: Dose;
  authoredOn?: string;
}

/** Reads the plan's orders; issues go to options.issues. */
export function readOrders(options: ReadOrdersOptions): OrderSet {
  const { index, isPatient } = options;
  const activity = activityOrders(options);
  const activityKeys = new Set(activity.map((e) => e.index));

  const checked = new Map<string, Checked>();
  for (const entry of index.entries) {
    if (entry.resource.resourceType !== 'ServiceRequest') continue;
    const order = entry.resource;
    const inActivity = activityKeys.has(entry.index);
    if (!inActivity && !(isExerciseOrder(order) && isPatient(asString(field(order.subject, 'reference'))))) continue;
    const typed = entry as IndexedEntry<ServiceRequest>;
    const key = asString(order.id) ?? entry.reference;
    if (!checked.has(key)) checked.set(key, checkOrder(typed, key, options, inActivity));
  }

  const current: Checked[] = activity
    .map((e) => checked.get(asString(e.resource.id) ?? e.reference))
    .filter((c): c is Checked => c !== undefined && (c.entry.resource.status === 'active' || c.entry.resource.status === 'on-hold'))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const painByDay = new Map(options.dailyPain.map((p) => [p.day, p]));
  const facts: OrderFacts[] = [];
  for (const c of current) {
    const f = orderFacts(c, checked, options, painByDay);
    if (f) facts.push(f);
  }
  return {
    ordersById: new Map([...checked.values()].map((c) => [c.key, c.entry.resource])),
    currentOrders: current.map((c) => c.entry.resource),
    orders: facts,
  };
}

/** The plan's activity references resolved to ServiceRequests (issues for those that do not resolve). */
function activityOrders({ index, planEntry, issues }: ReadOrdersOptions): IndexedEntry<ServiceRequest>[] {
  const out: IndexedEntry<ServiceRequest>[] = [];
  for (const { item: activity, index: k } of records(planEntry.resource.activity)) {
    const where = `${planEntry.path}.activity[${k}].reference`;
    const ref = asString(field(activity.reference, 'reference'));
    if (ref === undefined) {
      issues.push(issue('error', 'required', `plan activity ${k} has no reference to an exercise order`, where));
      continue;
    }
    const target = index.resolve(ref);
    if (!target) {
      issues.push(issue('error', 'not-found', `plan activity ${k} refers to ${ref}, which is not in the Bundle`, where));
    } else if (target.resource.resourceType !== 'ServiceRequest') {
      issues.push(issue('error', 'invalid', `plan activity ${k} refers to ${ref}, a ${target.resource.resourceType}, not a ServiceRequest`, where));
    } else if (!out.includes(target as IndexedEntry<ServiceRequest>)) {
      out.push(target as IndexedEntry<ServiceRequest>);
    }
  }
  return out;
}

/** Checks one order (dose, authoredOn, basedOn, and for activity orders subject and domain). */
function checkOrder(entry: IndexedEntry<ServiceRequest>, key: string, options: ReadOrdersOptions, inActivity: boolean): Checked {
  const { index, planEntry, isPatient, calendar, issues } = options;
  const order = entry.resource;
  const { path } = entry;
  const name = `order ${entry.reference}`;

  let malformed = checkShape(order, ORDER, { path, name, issues });
  for (const { item, index: k } of records(order.extension)) {
    if (item.url === EXT.exerciseDose) malformed += checkShape(item, DOSE_EXTENSION, { path: `${path}.extension[${k}]`, name, issues });
  }
  if (malformed > 0) return { entry, key };

  const dose = readDose(order);
  if (!dose) {
    const k = records(order.extension).find(({ item }) => item.url === EXT.exerciseDose)?.index ?? -1;
    issues.push(
      k < 0
        ? issue('error', 'required', `${name} has no exercise-dose extension`, `${path}.extension`)
        : issue('error', 'invalid', `${name} has an exercise-dose without sets, reps or duration`, `${path}.extension[${k}]`),
    );
  }

  let authoredOn: string | undefined = asString(order.authoredOn);
  if (authoredOn === undefined) {
    issues.push(issue('error', 'required', `${name} has no authoredOn (when its dose took effect)`, `${path}.authoredOn`));
  } else if (!calendar.stamp(authoredOn)) {
    issues.push(issue('error', 'invalid', `${name} has an unreadable authoredOn '${authoredOn}'`, `${path}.authoredOn`));
    authoredOn = undefined;
  } else if (calendar.isFuture(authoredOn)) {
    issues.push(issue('error', 'invalid', `${name} is authored ${authoredOn}, after now (${calendar.now})`, `${path}.authoredOn`));
  }

  const basedOn = records(order.basedOn).map(({ item }) => asString(item.reference));
  const targets = basedOn.map((ref) => index.resolve(ref));
  if (basedOn.length === 0) {
    issues.push(issue('error', 'required', `${name} has no basedOn (the plan it belongs to)`, `${path}.basedOn`));
  } else if (targets.every((t) => t === undefined)) {
    issues.push(issue('error', 'not-found', `${name} is based on ${basedOn[0] ?? '(no reference)'}, which is not in the Bundle`, `${path}.basedOn[0]`));
  } else if (inActivity && !targets.includes(planEntry)) {
    issues.push(issue('error', 'invalid', `${name} is in the plan's activity but based on ${basedOn[0] ?? '(no reference)'}, not the plan`, `${path}.basedOn[0]`));
  }

  const subject = asString(field(order.subject, 'reference'));
  if (inActivity && !isPatient(subject)) {
    issues.push(issue('error', 'invalid', `${name} is for ${subject ?? 'no subject'}, not the plan's patient`, `${path}.subject`));
  }
  if (inActivity && (order.status === 'active' || order.status === 'on-hold') && domainOf(order) === undefined) {
    issues.push(issue('error', 'required', `${name} has no exercise-domain category (strength, mobility, endurance or neuromotor)`, `${path}.category`));
  }
  return { entry, key, ...(dose ? { dose } : {}), ...(authoredOn !== undefined ? { authoredOn } : {}) };
}

function domainOf(order: ServiceRequest): Domain | undefined {
  for (const { item: cc } of records(order.category)) {
    for (const { item: c } of records(cc.coding)) {
      const code = asString(c.code) ?? '';
      if (c.system === CS.exerciseDomain && (DOMAINS as readonly string[]).includes(code)) return code as Domain;
    }
  }
  return undefined;
}

/** Sessions per week from occurrenceTiming.repeat (frequency per period of d or wk). */
function frequencyPerWeek(order: ServiceRequest): number | undefined {
  const repeat = field(order.occurrenceTiming, 'repeat');
  const frequency = asNumber(field(repeat, 'frequency'));
  if (frequency === undefined) return undefined;
  const period = asNumber(field(repeat, 'period')) ?? 1;
  const perUnit = { d: 7, wk: 1 } as Record<string, number | undefined>;
  const factor = perUnit[asString(field(repeat, 'periodUnit')) ?? 'wk'];
  return factor === undefined || period <= 0 ? undefined : (frequency / period) * factor;
}

/** The replaces chain from `start`, newest first; stops at an unresolved or looping reference. */
function chainOf(start: Checked, checked: ReadonlyMap<string, Checked>, index: BundleIndex): ChainLink[] {
  const links: ChainLink[] = [];
  const seen = new Set<string>();
  let at: Checked | undefined = start;
  while (at && at.dose && at.authoredOn !== undefined && !seen.has(at.key)) {
    seen.add(at.key);
    links.push({ id: at.key, reference: at.entry.reference, order: at.entry.resource, dose: at.dose, authoredOn: at.authoredOn });
    let next: Checked | undefined;
    for (const { item: ref } of records(at.entry.resource.replaces)) {
      const target = index.resolve(asString(ref.reference));
      const key = target ? orderKeyOf(target) : undefined;
      next = key !== undefined ? checked.get(key) : undefined;
      if (next) break;
    }
    at = next;
  }
  return links;
}

/** How an order's intensity is judged: the policy's intensityBy, else heart-rate when the dose has a heartRateZone, else rpe. */
export function intensityMeasure(policy: Pick<Policy, 'intensityBy'>, dose: Dose): IntensityMeasure {
  return policy.intensityBy ?? (dose.heartRateZone ? 'heart-rate' : 'rpe');
}

function orderFacts(c: Checked, checked: ReadonlyMap<string, Checked>, options: ReadOrdersOptions, painByDay: ReadonlyMap<number, DailyValue>): OrderFacts | undefined {
  const { index, calendar, policy, sessionsByOrder, testsByOrder } = options;
  const order = c.entry.resource;
  const domain = domainOf(order);
  if (!c.dose || c.authoredOn === undefined || domain === undefined) return undefined;
  const authoredOn = c.authoredOn;
  const authoredDay = calendar.day(authoredOn);
  const sessions = (sessionsByOrder.get(c.key) ?? [])
    .filter((s) => s.day <= authoredDay)
    .map((s) => {
      const m = painByDay.get(s.day - 1);
      return m ? { ...s, nextMorningPain: m } : { ...s };
    });
  const chain = chainOf(c, checked, index);
  const chainIds = new Set(chain.map((l) => l.id));
  chainIds.add(c.key);
  const toleranceTests = [...chainIds]
    .flatMap((id) => testsByOrder.get(id) ?? [])
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const codings = records(field(order.code, 'coding')).map(({ item }) => item);
  const found = codings.find((x) => x.system === CS.exercise) ?? codings[0];
  const coding = found ? { system: asString(found.system), code: asString(found.code), display: asString(found.display) } : undefined;
  const display = coding?.display ?? asString(field(order.code, 'text')) ?? exerciseDisplay(coding?.system, coding?.code);
  const frequency = frequencyPerWeek(order);
  return {
    id: c.key,
    reference: c.entry.reference,
    ...(c.entry.fullUrl !== undefined ? { fullUrl: c.entry.fullUrl } : {}),
    order,
    status: order.status === 'on-hold' ? 'on-hold' : 'active',
    domain,
    exercise: {
      ...(coding?.system !== undefined ? { system: coding.system } : {}),
      ...(coding?.code !== undefined ? { code: coding.code } : {}),
      ...(display !== undefined ? { display } : {}),
    },
    dose: c.dose,
    authoredOn,
    authoredDay,
    ...(frequency !== undefined ? { frequencyPerWeek: frequency } : {}),
    intensityBy: intensityMeasure(policy, c.dose),
    chain,
    sessions,
    toleranceTests,
  };
}
