/**
 * A deterministic builder of synthetic patient histories as FHIR Bundles (IG-CONTRACT.md shapes):
 * `history({ now, planStart, phase }).order(...).checkIn(...).session(...).build()`.
 * Days are numbers before `now` (day 0 = now's date, in now's offset); ids are stable, so the same
 * calls always give the same Bundle. `extendHistory` adds later days' logs to a Bundle after the
 * engine's output was applied to it.
 */
import type { Bundle, BundleEntry, CarePlan, Resource, Observation, ServiceRequest } from 'fhir/r4';
import type { Domain, Dose, Phase, Policy } from '../../src/progression/types';
import { DayClock, type When } from './dates';
import * as R from './resources';

export const FHIR_BASE = 'https://example.org/fhir';

/** The starter catalogue's domains (IG-CONTRACT.md, `exercise` CodeSystem). */
export const EXERCISE_DOMAIN: Readonly<Record<string, Domain>> = {
  'sit-to-stand': 'strength',
  'wall-push-up': 'strength',
  'step-up': 'strength',
  'glute-bridge': 'strength',
  'band-row': 'strength',
  'farmer-carry': 'strength',
  'heel-raise': 'strength',
  'side-plank': 'strength',
  walking: 'endurance',
  'stationary-cycling': 'endurance',
  'aquatic-walking': 'endurance',
  'nordic-walking': 'endurance',
  'cat-camel': 'mobility',
  'hip-flexor-stretch': 'mobility',
  'thoracic-rotation': 'mobility',
  'hamstring-stretch': 'mobility',
  'diaphragmatic-breathing': 'mobility',
  'single-leg-stance': 'neuromotor',
  'tandem-walk': 'neuromotor',
  'bird-dog': 'neuromotor',
};

export interface HistoryOptions {
  now: string;
  /** period.start: a day number or an ISO date/dateTime. */
  planStart: When;
  phase: Phase;
  phaseSince?: When;
  referencePain?: number;
  flareSince?: When;
  policy?: Partial<Policy>;
  planId?: string;
  patient?: Partial<R.PatientSpec>;
  birthDate?: string;
  /** Latest resting heart rate (LOINC 40443-4) in /min, recorded on `day` (default: the plan start). */
  restingHeartRate?: number | { value: number; day: number };
}

export interface OrderInput {
  id: string;
  exercise: string;
  /** Defaults to the catalogue's domain of `exercise`. */
  domain?: Domain;
  dose: Dose;
  /** Sessions per week (default 3). */
  frequency?: number;
  authoredOn: When;
  replaces?: string;
  /** Default: `completed` when a later order replaces it, else `active`. */
  status?: ServiceRequest['status'];
}

export interface SessionOptions extends R.SessionValues {
  /** Local time of day (HH:MM, default 17:30). */
  time?: string;
  /** Record the session as an effectivePeriod of this many minutes instead of a dateTime. */
  asPeriod?: number;
}

type Kind = 'checkin' | 'pain' | 'session' | 'alert' | 'tolerance' | 'rhr';

/** Shared by new and extended histories: adds Observations with stable ids. */
class Log {
  protected readonly clock: DayClock;
  protected readonly observations: Observation[] = [];
  private readonly counters = new Map<Kind, number>();

  constructor(
    now: string,
    protected readonly patientId: string,
    existingIds: string[] = [],
  ) {
    this.clock = new DayClock(now);
    for (const id of existingIds) {
      const m = /^(checkin|pain|session|alert|tolerance|rhr)-(\d+)$/.exec(id);
      if (m) this.counters.set(m[1] as Kind, Math.max(this.counters.get(m[1] as Kind) ?? 0, Number(m[2])));
    }
  }

  protected nextId(kind: Kind): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}-${n}`;
  }

  /** A dateTime on day k at local time hh:mm (never after now on day 0). */
  at(day: number, hhmm: string): string {
    return this.clock.at(day, hhmm);
  }

  protected when(value: When, hhmm: string): string {
    return typeof value === 'number' ? this.clock.at(value, hhmm) : value;
  }

  checkIn(day: number, values: R.CheckInValues & { time?: string }): this {
    const effective = this.clock.at(day, values.time ?? '07:30');
    this.observations.push(R.checkIn({ id: this.nextId('checkin'), patientId: this.patientId, effective, values }));
    return this;
  }

  /** A check-in at an explicit dateTime, e.g. recorded in another UTC offset while travelling. */
  checkInAt(effective: string, values: R.CheckInValues): this {
    this.observations.push(R.checkIn({ id: this.nextId('checkin'), patientId: this.patientId, effective, values }));
    return this;
  }

  /** One check-in per day from `fromDay` down to `toDay` (inclusive). */
  checkIns(fromDay: number, toDay: number, values: R.CheckInValues | ((day: number) => R.CheckInValues | undefined)): this {
    for (let day = fromDay; day >= toDay; day -= 1) {
      const v = typeof values === 'function' ? values(day) : values;
      if (v !== undefined) this.checkIn(day, v);
    }
    return this;
  }

  painScore(day: number, value: number, options: { asQuantity?: boolean; time?: string } = {}): this {
    const effective = this.clock.at(day, options.time ?? '12:00');
    this.observations.push(
      R.painScore({ id: this.nextId('pain'), patientId: this.patientId, effective, value, asQuantity: options.asQuantity }),
    );
    return this;
  }

  session(orderId: string, day: number, values: SessionOptions): this {
    const effective = this.clock.at(day, values.time ?? '17:30');
    const endsAt =
      values.asPeriod === undefined ? undefined : new Date(Date.parse(effective) + values.asPeriod * 60_000).toISOString();
    this.observations.push(R.session({ id: this.nextId('session'), patientId: this.patientId, effective, orderId, values, endsAt }));
    return this;
  }

  sessions(orderId: string, days: number[], values: SessionOptions): this {
    for (const day of days) this.session(orderId, day, values);
    return this;
  }

  alert(day: number, code: string, value = true): this {
    const effective = this.clock.at(day, '10:00');
    this.observations.push(R.symptomAlert({ id: this.nextId('alert'), patientId: this.patientId, effective, code, value }));
    return this;
  }

  toleranceTest(orderId: string, day: number, value: number, unit: 'min' | 's' | '{repetitions}'): this {
    const effective = this.clock.at(day, '11:00');
    this.observations.push(R.toleranceTest({ id: this.nextId('tolerance'), patientId: this.patientId, effective, orderId, value, unit }));
    return this;
  }

  restingHeartRate(day: number, value: number): this {
    const effective = this.clock.at(day, '07:00');
    this.observations.push(R.restingHeartRate({ id: this.nextId('rhr'), patientId: this.patientId, effective, value }));
    return this;
  }
}

export const fullUrl = (resource: Resource): string => `${FHIR_BASE}/${resource.resourceType}/${resource.id ?? ''}`;

function collection(now: string, resources: Resource[], id?: string): Bundle {
  const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', timestamp: now };
  if (id !== undefined) bundle.id = id;
  bundle.entry = resources.map((resource): BundleEntry => ({ fullUrl: fullUrl(resource), resource }));
  return bundle;
}

/** A new patient history: patient, plan, orders and logs. */
export class HistoryBuilder extends Log {
  private readonly orders: OrderInput[] = [];

  constructor(private readonly options: HistoryOptions) {
    super(options.now, options.patient?.id ?? 'patient-1');
    const rhr = options.restingHeartRate;
    if (rhr !== undefined) {
      const start = typeof options.planStart === 'number' ? options.planStart : this.clock.dayOf(options.planStart);
      this.restingHeartRate(typeof rhr === 'number' ? start : rhr.day, typeof rhr === 'number' ? rhr : rhr.value);
    }
  }

  get planId(): string {
    return this.options.planId ?? 'plan-1';
  }

  order(input: OrderInput): this {
    this.orders.push(input);
    return this;
  }

  build(): Bundle {
    const o = this.options;
    const replaced = new Set(this.orders.flatMap((x) => (x.replaces === undefined ? [] : [x.replaces])));
    const orders = this.orders.map((x) =>
      R.order({
        id: x.id,
        patientId: this.patientId,
        planId: this.planId,
        exercise: x.exercise,
        domain: x.domain ?? EXERCISE_DOMAIN[x.exercise] ?? 'strength',
        dose: x.dose,
        frequency: x.frequency ?? 3,
        authoredOn: this.when(x.authoredOn, '08:00'),
        replaces: x.replaces,
        status: x.status ?? (replaced.has(x.id) ? 'completed' : 'active'),
      }),
    );
    const current = orders.filter((x) => x.status === 'active' || x.status === 'on-hold');
    const plan: CarePlan = R.plan({
      id: this.planId,
      patientId: this.patientId,
      start: this.when(o.planStart, '00:00'),
      phase: o.phase,
      phaseSince: o.phaseSince === undefined ? undefined : this.when(o.phaseSince, '08:00'),
      referencePain: o.referencePain,
      flareSince: o.flareSince === undefined ? undefined : this.when(o.flareSince, '08:00'),
      policy: o.policy,
      orderIds: current.map((x) => x.id ?? ''),
    });
    const patient = R.patient({
      id: this.patientId,
      given: o.patient?.given ?? 'Alex',
      family: o.patient?.family ?? 'Example',
      gender: o.patient?.gender,
      birthDate: o.patient?.birthDate ?? o.birthDate ?? '1972-03-14',
    });
    return collection(o.now, [patient, plan, ...orders, ...this.observations], `history-${this.patientId}`);
  }
}

export function history(options: HistoryOptions): HistoryBuilder {
  return new HistoryBuilder(options);
}

/** Later days' logs added to an existing history (e.g. after applying the engine's output). */
export class HistoryExtension extends Log {
  constructor(
    private readonly base: Bundle,
    now: string,
  ) {
    const resources = (base.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
    const patientId = resources.find((r) => r.resourceType === 'Patient')?.id ?? 'patient-1';
    super(now, patientId, resources.map((r) => r.id ?? ''));
  }

  build(): Bundle {
    const resources = (this.base.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
    return collection(this.clock.now, [...structuredClone(resources), ...this.observations], this.base.id);
  }
}

export function extendHistory(base: Bundle, options: { now: string }): HistoryExtension {
  return new HistoryExtension(base, options.now);
}
