/**
 * The patient's Observations as typed facts: daily pain, check-ins, sessions, tolerance tests, symptom
 * alerts and resting heart rate. Range, date and structure problems are collected as issues, never thrown.
 *
 * Malformed input: an Observation whose kind cannot be read (no readable code or profile), whose subject
 * is not readably the plan's patient, or whose status is entered-in-error or cancelled is not the patient's
 * data and is skipped. An Observation of a kind the engine reads that has an element of the wrong JSON
 * type among those it reads (effective[x], value[x], component, basedOn, code, ...) is an error at that
 * element, like an unreadable date: skipping it could hide a pain score or a session that decides a regress.
 * See: implementation-guide.md "Profiles", "gradus-exercise-session", "gradus-daily-check-in".
 */
import type { Observation, OperationOutcomeIssue, Quantity } from 'fhir/r4';
import { CS, UCUM } from '../../fhir/codes';
import { issue } from '../../fhir/outcome';
import type { BundleIndex, IndexedEntry } from './bundle-index';
import type { Calendar } from './days';
import { asArray, asNumber, asString, field, isRecord, records } from './json';
import { CHECK_IN, kindOf, lookup, PAIN, SCORED, SESSION, type Coded, type Kind } from './observation-codes';
import { checkShape, OBSERVATION } from './shape';
import type {
  CheckInComponent,
  DailyValue,
  DatedFact,
  DayLog,
  Session,
  SymptomAlert,
  ToleranceTest,
  ToleranceUnit,
} from './evidence-types';

/** A session before its order and next-morning pain are attached. */
export type RawSession = Omit<Session, 'nextMorningPain'>;

export interface ObservationFacts {
  dailyPain: DailyValue[];
  checkIns: DayLog[];
  /** Sessions by the key of the order they are based on, oldest first. */
  sessionsByOrder: ReadonlyMap<string, RawSession[]>;
  /** Tolerance tests by the key of the order they are based on, oldest first. */
  testsByOrder: ReadonlyMap<string, ToleranceTest[]>;
  symptomAlerts: SymptomAlert[];
  restingHeartRate?: DailyValue;
}

export interface ReadObservationsOptions {
  index: BundleIndex;
  /** True when a subject reference denotes the plan's patient. */
  isPatient: (subject: string | undefined) => boolean;
  /** The key of the exercise order an entry is, when it is one. */
  orderKey: (entry: IndexedEntry) => string | undefined;
  calendar: Calendar;
  issues: OperationOutcomeIssue[];
}

type Valued = { valueInteger?: number; valueQuantity?: Quantity };

/** An integer value, or a Quantity's value. */
function numberOf(element: Valued): number | undefined {
  return asNumber(element.valueInteger) ?? asNumber(field(element.valueQuantity, 'value'));
}

function unitOf(q: Quantity | undefined): string | undefined {
  const system = asString(field(q, 'system'));
  if (!q || (system !== undefined && system !== UCUM)) return undefined;
  return asString(q.code) ?? asString(q.unit);
}

function effectiveOf(obs: Observation): string | undefined {
  const period = obs.effectivePeriod;
  return asString(obs.effectiveDateTime) ?? asString(obs.effectiveInstant) ?? asString(field(period, 'start')) ?? asString(field(period, 'end'));
}

/** Statuses whose Observations are not data: they are skipped. */
const NOT_DATA = new Set(['entered-in-error', 'cancelled']);

/** Stable order: date, then instant (when both have a time), then source. */
function byTime(a: DatedFact, b: DatedFact): number {
  if (a.day !== b.day) return b.day - a.day;
  if (a.instant !== undefined && b.instant !== undefined && a.instant !== b.instant) return a.instant - b.instant;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/**
 * The earliest value per day number, oldest day first. Grouped by day number, not by date: a value on a later
 * calendar date that is not in the future shares day 0 with today's (days.ts).
 */
function earliestPerDay(values: DailyValue[]): DailyValue[] {
  const byDay = new Map<number, DailyValue>();
  for (const v of values.sort(byTime)) if (!byDay.has(v.day)) byDay.set(v.day, v);
  return [...byDay.values()];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Reads every Observation of the patient; issues go to options.issues. Each dateTime is parsed once (calendar.stamp). */
export function readObservations(options: ReadObservationsOptions): ObservationFacts {
  const { index, isPatient, orderKey, calendar, issues } = options;
  const pain: DailyValue[] = [];
  const components = new Map<CheckInComponent, DailyValue[]>();
  const sessions: RawSession[] = [];
  const tests: ToleranceTest[] = [];
  const alerts: SymptomAlert[] = [];
  const restingHr: DailyValue[] = [];

  for (const entry of index.entries) {
    if (entry.resource.resourceType !== 'Observation') continue;
    const obs = entry.resource;
    const kind = kindOf(obs);
    if (!kind || NOT_DATA.has(asString(obs.status) ?? '') || !isPatient(asString(field(obs.subject, 'reference')))) continue;
    const { path } = entry;
    if (checkShape(obs, OBSERVATION, { path, name: () => `${describe(kind)} ${entry.reference}`, issues }) > 0) continue;

    const problems = scoreProblems(obs, path);
    issues.push(...problems);
    const at = effectiveOf(obs);
    if (at === undefined) {
      if (kind !== 'resting-hr') issues.push(issue('error', 'required', `${describe(kind)} ${entry.reference} has no effective date`, `${path}.effective`));
      continue;
    }
    const stamp = calendar.stamp(at);
    if (!stamp) {
      issues.push(issue('error', 'invalid', `${describe(kind)} ${entry.reference} has an unreadable date '${at}'`, `${path}.effective`));
      continue;
    }
    if (calendar.isFuture(at)) {
      issues.push(issue('error', 'invalid', `${describe(kind)} ${entry.reference} is dated ${at}, after now (${calendar.now})`, `${path}.effective`));
      continue;
    }
    if (problems.length > 0) continue;
    const fact: DatedFact = { source: entry.reference, at, date: stamp.date, day: stamp.day, instant: stamp.instant };

    switch (kind) {
      case 'pain': {
        const value = numberOf(obs);
        if (value !== undefined) pain.push(dailyValue(fact, value));
        break;
      }
      case 'check-in':
        for (const component of asArray(obs.component)) {
          if (!isRecord(component)) continue;
          const value = numberOf(component);
          if (value === undefined) continue;
          const name = lookup(component, CHECK_IN);
          if (name === undefined) continue;
          const daily = dailyValue(fact, value);
          if (name === 'pain') pain.push(daily);
          push(components, name, daily);
        }
        break;
      case 'session': {
        const order = basedOnOrder({ obs, entry, kind, index, orderKey, issues });
        if (order !== undefined) sessions.push(session(fact, order, obs));
        break;
      }
      case 'tolerance': {
        const order = basedOnOrder({ obs, entry, kind, index, orderKey, issues });
        const value = asNumber(field(obs.valueQuantity, 'value'));
        const unit = unitOf(obs.valueQuantity);
        if (value === undefined || (unit !== 'min' && unit !== 's' && unit !== '{repetitions}')) {
          issues.push(issue('error', 'invalid', `tolerance test ${entry.reference} needs a valueQuantity in min, s or {repetitions}`, `${path}.value`));
        } else if (order !== undefined) {
          tests.push({ ...fact, orderId: order, value, unit: unit satisfies ToleranceUnit });
        }
        break;
      }
      case 'alert': {
        const codings = records(field(obs.code, 'coding')).map(({ item }) => item);
        const coding = codings.find((c) => c.system === CS.redFlag) ?? codings[0];
        const display = asString(coding?.display);
        alerts.push({
          ...fact,
          code: asString(coding?.code) ?? 'unknown',
          ...(display !== undefined ? { display } : {}),
          present: obs.valueBoolean === true,
        });
        break;
      }
      case 'resting-hr': {
        const value = asNumber(field(obs.valueQuantity, 'value'));
        if (value !== undefined) restingHr.push(dailyValue(fact, value));
        break;
      }
    }
  }

  const checkIns = new Map<number, DayLog>();
  for (const [name, values] of components) {
    for (const v of earliestPerDay(values)) {
      const log = checkIns.get(v.day) ?? { date: calendar.dateOf(v.day), day: v.day, values: {} };
      log.values[name] = v;
      checkIns.set(v.day, log);
    }
  }
  const latestHr = restingHr.sort(byTime).at(-1);
  return {
    dailyPain: earliestPerDay(pain),
    checkIns: [...checkIns.values()].sort((a, b) => b.day - a.day),
    sessionsByOrder: groupSorted(sessions),
    testsByOrder: groupSorted(tests),
    symptomAlerts: alerts.sort(byTime),
    ...(latestHr ? { restingHeartRate: latestHr } : {}),
  };
}

function groupSorted<T extends DatedFact & { orderId: string }>(items: T[]): ReadonlyMap<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items.sort(byTime)) push(groups, item.orderId, item);
  return groups;
}

function describe(kind: Kind): string {
  const names: Record<Kind, string> = {
    session: 'exercise session',
    'check-in': 'daily check-in',
    pain: 'pain score',
    alert: 'symptom alert',
    tolerance: 'tolerance test',
    'resting-hr': 'resting heart rate',
  };
  return names[kind];
}

/** 0-10 scores outside 0-10 (the Observation's own value when coded 72514-3, and every scored component). */
function scoreProblems(obs: Observation, path: string): OperationOutcomeIssue[] {
  const out: OperationOutcomeIssue[] = [];
  const check = (element: Valued, where: string, what: string) => {
    const value = numberOf(element);
    if (value !== undefined && (value < 0 || value > 10)) {
      out.push(issue('error', 'value', `${what} is ${value}, outside the 0-10 scale`, `${where}.value`));
    }
  };
  if (lookup(obs, PAIN)) check(obs, path, 'pain score (LOINC 72514-3)');
  asArray(obs.component).forEach((component, j) => {
    if (!isRecord(component)) return;
    if (lookup(component, SCORED)) {
      const code = asString(field(records(field(component.code, 'coding'))[0]?.item, 'code'));
      check(component, `${path}.component[${j}]`, `component ${code ?? ''}`.trim());
    }
  });
  return out;
}

interface BasedOnInput {
  obs: Observation;
  entry: IndexedEntry;
  kind: Kind;
  index: BundleIndex;
  orderKey: (entry: IndexedEntry) => string | undefined;
  issues: OperationOutcomeIssue[];
}

/** The key of the exercise order an Observation is based on; an issue when basedOn does not resolve to one. */
function basedOnOrder({ obs, entry, kind, index, orderKey, issues }: BasedOnInput): string | undefined {
  const refs = records(obs.basedOn).map(({ item }) => asString(item.reference));
  for (const ref of refs) {
    const target = index.resolve(ref);
    const key = target ? orderKey(target) : undefined;
    if (key !== undefined) return key;
  }
  const first = refs[0];
  issues.push(
    issue(
      'error',
      first === undefined ? 'required' : 'not-found',
      first === undefined
        ? `${describe(kind)} ${entry.reference} has no basedOn (the exercise order it belongs to)`
        : `${describe(kind)} ${entry.reference} is based on ${first}, which is not an exercise order in the Bundle`,
      `${entry.path}.basedOn[0]`,
    ),
  );
  return undefined;
}

function dailyValue(fact: DatedFact, value: number): DailyValue {
  return { source: fact.source, at: fact.at, date: fact.date, day: fact.day, instant: fact.instant, value };
}

/** A session with the components it records (those it does not record are absent). */
function session(fact: DatedFact, orderId: string, obs: Observation): RawSession {
  const out: RawSession = { source: fact.source, at: fact.at, date: fact.date, day: fact.day, instant: fact.instant, orderId };
  for (const item of asArray(obs.component)) {
    if (!isRecord(item)) continue;
    const c = item as Valued & Coded;
    const value = numberOf(c);
    const part = value === undefined ? undefined : lookup(c, SESSION);
    if (value === undefined || part === undefined) continue;
    switch (part) {
      case 'loadLifted':
        if (unitOf(c.valueQuantity) === 'kg') out.loadLifted = value;
        break;
      case 'duration': {
        const unit = unitOf(c.valueQuantity);
        if (unit === 'min' || unit === 's') out.duration = { value, unit };
        else if (unit === 'h') out.duration = { value: value * 60, unit: 'min' };
        break;
      }
      case 'painDuring':
      case 'painAfter':
      case 'setsCompleted':
      case 'repsFinalSet':
      case 'rpe':
      case 'heartRate':
        out[part] = value;
        break;
    }
  }
  return out;
}
