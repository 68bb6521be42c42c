/**
 * The fluent builder of a patient's records as a FHIR collection Bundle: patient, plan, orders, goals and
 * logs, `build()` giving the Bundle. Days are numbers before `now` (day 0 = now's date, in now's offset);
 * ids are stable, so the same calls always give the same Bundle. A new history starts from history() or
 * scenario(); `extendHistory` adds later days' logs to a Bundle after the engine's output was applied to it.
 */
import type { Bundle, BundleEntry, FhirResource, Narrative, Observation, Reference, Resource, ServiceRequest, TimingRepeat } from 'fhir/r4';
import type { Domain, Dose, Phase, Policy } from '../../../src/progression/types';
import { DayClock, parseDateTime, minutesLater, type When } from './clock';
import { FIXTURE, type Conventions, type NewObservation, type ObservationKind, type Style } from './conventions';
import * as Obs from './observations';
import * as Orders from './orders';
import * as Plan from './plan';
import { published } from './published';
import { catalogueDomain, Coder, exerciseName } from './vocabulary';

export const FHIR_BASE = 'https://example.org/fhir';

export const fullUrl = (resource: Resource): string => `${FHIR_BASE}/${resource.resourceType}/${resource.id ?? ''}`;

/** A collection Bundle at `now`; the fixture style names its id after the timestamp (conventions.ts). */
function collection(style: Style, now: string, resources: Resource[], id: string | undefined): Bundle {
  const entry = resources.map((resource): BundleEntry => ({ fullUrl: fullUrl(resource), resource }));
  if (id === undefined) return { resourceType: 'Bundle', type: 'collection', timestamp: now, entry };
  if (style === 'published') return { resourceType: 'Bundle', id, type: 'collection', timestamp: now, entry };
  return { resourceType: 'Bundle', type: 'collection', timestamp: now, id, entry };
}

/** The plan: what a test may set at the start (history()) or later (`.plan()`). */
export interface PlanOptions {
  /** period.start: a day number or an ISO date/dateTime. */
  planStart: When;
  phase: Phase;
  /** Absent (or undefined): no phase-since extension. */
  phaseSince?: When;
  referencePain?: number;
  flareSince?: When;
  policy?: Partial<Policy>;
  title?: string;
  created?: string;
  planNarrative?: Narrative;
}

/** Everything a builder starts from; history() and scenario() fill in their defaults. */
export interface RecordsOptions extends PlanOptions {
  now: string;
  patient: Plan.PatientSpec;
  planId: string;
  /** Latest resting heart rate (LOINC 40443-4) in /min, recorded on `day` (default: the plan start). */
  restingHeartRate?: number | { value: number; day: number };
  /** Bundle.id (default `history-<patient id>`). */
  bundleId?: string;
}

export interface OrderInput {
  id: string;
  /** The exercise code (default: the id). */
  exercise?: string;
  /** The exercise coding's display (default: as the conventions say); null leaves it out. */
  display?: string | null;
  /** code.text, when given. */
  text?: string;
  /** Default: the catalogue's domain of `exercise`, else strength. */
  domain?: Domain;
  dose: Dose;
  /** Sessions per week (default: the number of daysOfWeek, else 3). */
  frequency?: number;
  daysOfWeek?: TimingRepeat['dayOfWeek'];
  /** Default: the conventions' authoredOn, else the plan start. */
  authoredOn?: When;
  replaces?: string;
  /** Default: `completed` when a later order replaces it, else `active`. */
  status?: ServiceRequest['status'];
  /** Listed in the plan's activity (default: when its status is active or on-hold). */
  inPlan?: boolean;
  instruction?: string;
  narrative?: Narrative;
}

export interface GoalInput {
  id: string;
  description: string;
  target: Plan.GoalSpec['target'];
  narrative?: Narrative;
}

export interface SessionOptions extends Obs.SessionValues {
  /** Local time of day (HH:MM; default: the conventions'). */
  time?: string;
  /** Record the session as an effectivePeriod of this many minutes instead of a dateTime. */
  asPeriod?: number;
}

const ID_PATTERN = /^(checkin|pain|session|alert|tolerance|rhr)-(\d+)$/;

/** Shared by new and extended histories: adds Observations with stable ids. */
abstract class Log {
  protected readonly clock: DayClock;
  protected readonly coder: Coder;
  protected readonly observations: Observation[] = [];
  private readonly counters = new Map<ObservationKind, number>();
  private seq = 0;

  constructor(
    now: string,
    protected readonly conventions: Conventions,
    existingIds: string[] = [],
  ) {
    this.clock = new DayClock(now);
    this.coder = new Coder(conventions.style);
    for (const id of existingIds) {
      const m = ID_PATTERN.exec(id);
      if (m) this.counters.set(m[1] as ObservationKind, Math.max(this.counters.get(m[1] as ObservationKind) ?? 0, Number(m[2])));
    }
  }

  /** The reference every log carries to its patient. */
  protected abstract subject(): Reference;

  /** How a published session is titled: the exercise's name. */
  protected exerciseTitle(orderId: string): string {
    return orderId;
  }

  private nextId(o: Omit<NewObservation, 'nth' | 'seq'>): string {
    const nth = (this.counters.get(o.kind) ?? 0) + 1;
    this.counters.set(o.kind, nth);
    this.seq += 1;
    const ids = this.conventions.ids;
    if (ids === 'per-kind') return `${o.kind}-${nth}`;
    if (ids === 'sequence') return `o${this.seq}`;
    return ids({ ...o, nth, seq: this.seq });
  }

  private add(kind: ObservationKind, effective: string, orderId: string | undefined, make: (id: string) => Observation, title: () => string): this {
    const obs = make(this.nextId({ kind, date: parseDateTime(effective).date, ...(orderId !== undefined ? { orderId } : {}) }));
    this.observations.push(this.conventions.style === 'published' ? published(obs, title()) : obs);
    return this;
  }

  /** A dateTime on day k at local time hh:mm (never after now on day 0). */
  at(day: number, hhmm: string): string {
    return this.clock.at(day, hhmm);
  }

  protected when(value: When, hhmm: string): string {
    return typeof value === 'number' ? this.clock.at(value, hhmm) : value;
  }

  checkIn(day: number, values: Obs.CheckInValues & { time?: string }): this {
    const { time, ...scores } = values;
    return this.checkInAt(this.clock.at(day, time ?? this.conventions.times.checkIn), scores);
  }

  /** A check-in at an explicit dateTime, e.g. recorded in another UTC offset while travelling. */
  checkInAt(effective: string, values: Obs.CheckInValues): this {
    const subject = this.subject();
    return this.add('checkin', effective, undefined, (id) => Obs.checkIn(this.coder, { id, subject, effective, values }), () => `Daily check-in ${parseDateTime(effective).date}`);
  }

  /** One check-in per day from `fromDay` down to `toDay` (inclusive). */
  checkIns(fromDay: number, toDay: number, values: Obs.CheckInValues | ((day: number) => Obs.CheckInValues | undefined)): this {
    for (let day = fromDay; day >= toDay; day -= 1) {
      const v = typeof values === 'function' ? values(day) : values;
      if (v !== undefined) this.checkIn(day, v);
    }
    return this;
  }

  painScore(day: number, value: number, options: { asQuantity?: boolean; time?: string } = {}): this {
    const effective = this.clock.at(day, options.time ?? this.conventions.times.painScore);
    const subject = this.subject();
    const make = (id: string): Observation => Obs.painScore(this.coder, { id, subject, effective, value, asQuantity: options.asQuantity });
    return this.add('pain', effective, undefined, make, () => `Pain score ${parseDateTime(effective).date}`);
  }

  /** Pain scores by day number: { 20: 3, 19: 4 }. */
  painScores(byDay: Record<number, number>): this {
    for (const [day, value] of Object.entries(byDay)) this.painScore(Number(day), value);
    return this;
  }

  session(orderId: string, day: number, values: SessionOptions = {}): this {
    const { time, asPeriod, ...recorded } = values;
    const effective = this.clock.at(day, time ?? this.conventions.times.session);
    const endsAt = asPeriod === undefined ? undefined : minutesLater(effective, asPeriod);
    const subject = this.subject();
    const make = (id: string): Observation => Obs.session(this.coder, { id, subject, effective, orderId, values: recorded, endsAt });
    return this.add('session', effective, orderId, make, () => `${this.exerciseTitle(orderId)} session ${parseDateTime(effective).date}`);
  }

  sessions(orderId: string, days: number[], values: SessionOptions = {}): this {
    for (const day of days) this.session(orderId, day, values);
    return this;
  }

  alert(day: number, code = 'chest-pain', value = true): this {
    const effective = this.clock.at(day, this.conventions.times.alert);
    const subject = this.subject();
    return this.add('alert', effective, undefined, (id) => Obs.symptomAlert(this.coder, { id, subject, effective, code, value }), () => `Symptom alert ${parseDateTime(effective).date}`);
  }

  toleranceTest(orderId: string, day: number, value: number, unit: Obs.ToleranceUnit = 'min'): this {
    const effective = this.clock.at(day, this.conventions.times.toleranceTest);
    const subject = this.subject();
    const make = (id: string): Observation => Obs.toleranceTest(this.coder, { id, subject, effective, orderId, value, unit });
    return this.add('tolerance', effective, orderId, make, () => `Tolerance test ${parseDateTime(effective).date}`);
  }

  restingHeartRate(day: number, value: number): this {
    const effective = this.clock.at(day, this.conventions.times.restingHeartRate);
    const subject = this.subject();
    return this.add('rhr', effective, undefined, (id) => Obs.restingHeartRate(this.coder, { id, subject, effective, value }), () => `Resting heart rate ${parseDateTime(effective).date}`);
  }
}

/** A new patient history: patient, plan, orders, goals, logs and any other resources. */
export class HistoryBuilder extends Log {
  private options: RecordsOptions;
  private readonly orders: OrderInput[] = [];
  private readonly goals: GoalInput[] = [];
  private readonly extra: FhirResource[] = [];

  constructor(options: RecordsOptions, conventions: Conventions = FIXTURE) {
    super(options.now, conventions);
    this.options = options;
    const rhr = options.restingHeartRate;
    if (rhr !== undefined) {
      const start = typeof options.planStart === 'number' ? options.planStart : this.clock.dayOf(options.planStart);
      this.restingHeartRate(typeof rhr === 'number' ? start : rhr.day, typeof rhr === 'number' ? rhr : rhr.value);
    }
  }

  get planId(): string {
    return this.options.planId;
  }

  /** Changes the plan (phase, phase-since, policy, ...); a key given as undefined removes that setting. */
  plan(patch: Partial<PlanOptions>): this {
    this.options = { ...this.options, ...patch };
    return this;
  }

  /** Changes the patient; a key given as undefined removes it (e.g. no birthDate). */
  patient(patch: Partial<Omit<Plan.PatientSpec, 'id'>>): this {
    this.options = { ...this.options, patient: { ...this.options.patient, ...patch } };
    return this;
  }

  order(input: OrderInput): this {
    this.orders.push(input);
    return this;
  }

  goal(input: GoalInput): this {
    this.goals.push(input);
    return this;
  }

  /** Any other resource, as is (after the logs). */
  raw(resource: FhirResource): this {
    this.extra.push(resource);
    return this;
  }

  protected subject(): Reference {
    const reference = `Patient/${this.options.patient.id}`;
    const display = this.conventions.style === 'published' ? Plan.displayName(this.options.patient) : undefined;
    return display === undefined ? { reference } : { reference, display };
  }

  private exerciseDisplay(input: OrderInput): string | undefined {
    if (input.display !== undefined) return input.display ?? undefined;
    const exercise = input.exercise ?? input.id;
    const rule = this.conventions.exerciseDisplay;
    return rule === 'code' ? exercise : rule === 'catalogue' ? exerciseName(exercise) : undefined;
  }

  protected override exerciseTitle(orderId: string): string {
    const input = this.orders.find((o) => o.id === orderId);
    return (input && this.exerciseDisplay(input)) ?? orderId;
  }

  build(): Bundle {
    const o = this.options;
    const { style, times } = this.conventions;
    const subject = this.subject();
    const replaced = new Set(this.orders.flatMap((x) => (x.replaces === undefined ? [] : [x.replaces])));
    const orders = this.orders.map((x) => {
      const exercise = x.exercise ?? x.id;
      return Orders.order(style, {
        id: x.id,
        subject,
        planId: o.planId,
        exercise,
        display: this.exerciseDisplay(x),
        codeText: x.text,
        domain: x.domain ?? catalogueDomain(exercise) ?? 'strength',
        dose: x.dose,
        frequency: x.frequency ?? x.daysOfWeek?.length ?? 3,
        daysOfWeek: x.daysOfWeek,
        authoredOn: this.when(x.authoredOn ?? this.conventions.authoredOn ?? o.planStart, times.authoredOn),
        replaces: x.replaces,
        status: x.status ?? (replaced.has(x.id) ? 'completed' : 'active'),
        instruction: x.instruction,
        narrative: x.narrative,
      });
    });
    const activity = this.orders
      .filter((x, i) => x.inPlan ?? ['active', 'on-hold'].includes(orders[i]?.status ?? ''))
      .map((x): Reference => {
        const display = style === 'published' ? this.exerciseDisplay(x) : undefined;
        return display === undefined ? { reference: `ServiceRequest/${x.id}` } : { reference: `ServiceRequest/${x.id}`, display };
      });
    const start = this.when(o.planStart, times.planStart);
    const plan = Plan.plan(style, {
      id: o.planId,
      subject,
      start,
      phase: o.phase,
      phaseSince: o.phaseSince === undefined ? undefined : this.when(o.phaseSince, times.phaseChange),
      referencePain: o.referencePain,
      flareSince: o.flareSince === undefined ? undefined : this.when(o.flareSince, times.phaseChange),
      policy: o.policy,
      activity,
      goalIds: this.goals.map((g) => g.id),
      title: o.title,
      created: o.created,
      narrative: o.planNarrative,
    });
    const startDate = start.length === 10 ? start : parseDateTime(start).date;
    const goals = this.goals.map((g) => Plan.goal(style, { ...g, subject, startDate }));
    const resources = [Plan.patient(style, o.patient), plan, ...orders, ...goals, ...structuredClone(this.observations), ...structuredClone(this.extra)];
    return collection(style, o.now, resources, o.bundleId ?? `history-${o.patient.id}`);
  }
}

/** Test histories and demo fixtures: the options the property tests, clinical rules and demo patients give. */
export interface HistoryOptions extends PlanOptions {
  now: string;
  planId?: string;
  /** Default: Alex Example (`patient-1`), born 1972-03-14. */
  patient?: Partial<Plan.PatientSpec>;
  birthDate?: string;
  restingHeartRate?: RecordsOptions['restingHeartRate'];
  bundleId?: string;
}

/** A new patient history (fixture style unless other conventions are given). */
export function history(options: HistoryOptions, conventions: Conventions = FIXTURE): HistoryBuilder {
  const { patient, birthDate, planId, ...rest } = options;
  const spec: Plan.PatientSpec = { id: 'patient-1', given: 'Alex', family: 'Example', birthDate: birthDate ?? '1972-03-14', ...patient };
  return new HistoryBuilder({ ...rest, patient: spec, planId: planId ?? 'plan-1' }, conventions);
}

/** Later days' logs added to an existing history (e.g. after applying the engine's output). */
export class HistoryExtension extends Log {
  private readonly patientId: string;

  constructor(
    private readonly base: Bundle,
    now: string,
  ) {
    const resources = (base.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
    super(now, FIXTURE, resources.map((r) => r.id ?? ''));
    this.patientId = resources.find((r) => r.resourceType === 'Patient')?.id ?? 'patient-1';
  }

  protected subject(): Reference {
    return { reference: `Patient/${this.patientId}` };
  }

  build(): Bundle {
    const resources = (this.base.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
    return collection(this.conventions.style, this.clock.now, [...structuredClone(resources), ...structuredClone(this.observations)], this.base.id);
  }
}

export function extendHistory(base: Bundle, options: { now: string }): HistoryExtension {
  return new HistoryExtension(base, options.now);
}
