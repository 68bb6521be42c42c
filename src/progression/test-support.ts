/**
 * Compact builders of patient Bundles for the engine's unit tests: days are given as day numbers
 * relative to NOW (0 = today), so each test states only what its rule reads.
 */
import type { Bundle, CarePlan, Extension, FhirResource, Observation, ObservationComponent, Patient, ServiceRequest } from 'fhir/r4';
import { CS, EXERCISE_THERAPY, EXT, GRADUS_CODE, LOINC, LOINC_CODE, PROFILE, SNOMED, UCUM } from '../fhir/codes';
import { addDays } from './read';
import { doseExtension } from './dose';
import { evaluate } from './rules';
import { readEvidence } from './read';
import type { Evidence } from './read';
import type { Domain, Dose, Evaluation, Phase, Policy } from './types';

/** The evaluation time of every test: day 0 is 2026-11-20. */
export const NOW = '2026-11-20T20:00:00+01:00';
export const TODAY = '2026-11-20';
export const PATIENT = 'Patient/p1';
export const PLAN_ID = 'plan';

/** The dateTime of day k (k days before NOW's date), at `time`, in NOW's offset. */
export function at(day: number, time = '08:00'): string {
  return `${addDays(TODAY, -day)}T${time}:00+01:00`;
}

export interface PlanSpec {
  phase?: Phase;
  /** Day number of phase-since; null leaves the extension out. */
  phaseSinceDay?: number | null;
  /** Local time of phase-since (default 09:00). */
  phaseSinceTime?: string;
  referencePain?: number;
  flareSinceDay?: number;
  /** Day number of period.start. */
  programStartDay?: number;
  /** Written into the progression-policy extension. */
  policy?: Partial<Policy>;
}

export interface OrderSpec {
  id: string;
  dose: Dose;
  domain?: Domain;
  code?: string;
  /** The coding's display (default: the code); null leaves it out. */
  display?: string | null;
  /** code.text, when given. */
  text?: string;
  /** Day number of authoredOn (default 10). */
  authoredDay?: number;
  authoredTime?: string;
  status?: ServiceRequest['status'];
  replaces?: string;
  /** Sessions per week (default 3). */
  frequency?: number;
  /** Listed in the plan's activity (default: when status is active or on-hold). */
  inPlan?: boolean;
}

export interface SessionSpec {
  painDuring?: number;
  painAfter?: number;
  sets?: number;
  reps?: number;
  load?: number;
  /** Minutes. */
  duration?: number;
  heartRate?: number;
  rpe?: number;
  time?: string;
}

export type CheckInSpec = Partial<Record<'pain' | 'stiffness' | 'fatigue' | 'mood' | 'confidence', number>>;

const subject = { reference: PATIENT };
const gradus = (code: string) => ({ coding: [{ system: CS.gradus, code }] });
const loinc = (code: string) => ({ coding: [{ system: LOINC, code }] });
const qty = (value: number, code: string) => ({ value, unit: code, system: UCUM, code });
const intComponent = (code: ReturnType<typeof gradus>, value: number): ObservationComponent => ({ code, valueInteger: value });

/** A fluent builder: plan, patient, orders and Observations; build() gives the Bundle. */
export class BundleBuilder {
  private planSpec: PlanSpec = {};
  private patient: Patient = { resourceType: 'Patient', id: 'p1', birthDate: '1970-05-01' };
  private orders: OrderSpec[] = [];
  private observations: Observation[] = [];
  private extra: FhirResource[] = [];
  private seq = 0;

  withPlan(spec: PlanSpec): this {
    this.planSpec = { ...this.planSpec, ...spec };
    return this;
  }

  withPatient(patch: Partial<Patient>): this {
    this.patient = { ...this.patient, ...patch };
    return this;
  }

  order(spec: OrderSpec): this {
    this.orders.push(spec);
    return this;
  }

  private observe(obs: Omit<Observation, 'resourceType' | 'id' | 'status' | 'subject'> & { id?: string }): this {
    this.seq += 1;
    this.observations.push({ resourceType: 'Observation', id: `o${this.seq}`, status: 'final', subject, ...obs });
    return this;
  }

  session(orderId: string, day: number, spec: SessionSpec = {}): this {
    const component: ObservationComponent[] = [];
    if (spec.sets !== undefined) component.push(intComponent(gradus(GRADUS_CODE.setsCompleted), spec.sets));
    if (spec.reps !== undefined) component.push(intComponent(gradus(GRADUS_CODE.repsFinalSet), spec.reps));
    if (spec.load !== undefined) component.push({ code: gradus(GRADUS_CODE.loadLifted), valueQuantity: qty(spec.load, 'kg') });
    if (spec.duration !== undefined) component.push({ code: loinc(LOINC_CODE.exerciseDuration), valueQuantity: qty(spec.duration, 'min') });
    if (spec.heartRate !== undefined) component.push({ code: loinc(LOINC_CODE.heartRate), valueQuantity: qty(spec.heartRate, '/min') });
    if (spec.rpe !== undefined) component.push(intComponent(loinc(LOINC_CODE.rpe), spec.rpe));
    if (spec.painDuring !== undefined) component.push(intComponent(gradus(GRADUS_CODE.painDuring), spec.painDuring));
    if (spec.painAfter !== undefined) component.push(intComponent(gradus(GRADUS_CODE.painAfter), spec.painAfter));
    return this.observe({
      meta: { profile: [PROFILE.exerciseSession] },
      code: gradus(GRADUS_CODE.exerciseSession),
      basedOn: [{ reference: `ServiceRequest/${orderId}` }],
      effectivePeriod: { start: at(day, spec.time ?? '17:00') },
      component,
    });
  }

  /** A stand-alone pain score (LOINC 72514-3) on day k. */
  pain(day: number, value: number, options: { time?: string; quantity?: boolean } = {}): this {
    const valued = options.quantity ? { valueQuantity: qty(value, '{score}') } : { valueInteger: value };
    return this.observe({ code: loinc(LOINC_CODE.pain), effectiveDateTime: at(day, options.time ?? '07:30'), ...valued });
  }

  /** Pain scores by day number: { 20: 3, 19: 4 }. */
  pains(byDay: Record<number, number>): this {
    for (const [day, value] of Object.entries(byDay)) this.pain(Number(day), value);
    return this;
  }

  checkIn(day: number, values: CheckInSpec, time = '07:00'): this {
    const codes = {
      pain: loinc(LOINC_CODE.pain),
      stiffness: gradus(GRADUS_CODE.morningStiffness),
      fatigue: gradus(GRADUS_CODE.fatigue),
      mood: gradus(GRADUS_CODE.mood),
      confidence: gradus(GRADUS_CODE.confidence),
    };
    const component = (Object.keys(values) as (keyof CheckInSpec)[]).flatMap((k) => {
      const v = values[k];
      return v === undefined ? [] : [intComponent(codes[k], v)];
    });
    return this.observe({ code: gradus(GRADUS_CODE.dailyCheckIn), effectiveDateTime: at(day, time), component });
  }

  alert(day: number, code = 'chest-pain', present = true): this {
    return this.observe({ code: { coding: [{ system: CS.redFlag, code }] }, effectiveDateTime: at(day, '12:00'), valueBoolean: present });
  }

  tolerance(orderId: string, day: number, value: number, unit: 'min' | 's' | '{repetitions}' = 'min'): this {
    return this.observe({
      code: gradus(GRADUS_CODE.toleranceTest),
      basedOn: [{ reference: `ServiceRequest/${orderId}` }],
      effectiveDateTime: at(day, '10:00'),
      valueQuantity: qty(value, unit),
    });
  }

  restingHeartRate(day: number, value: number): this {
    return this.observe({ code: loinc(LOINC_CODE.restingHeartRate), effectiveDateTime: at(day, '06:30'), valueQuantity: qty(value, '/min') });
  }

  /** Any other resource, as is. */
  raw(resource: FhirResource): this {
    this.extra.push(resource);
    return this;
  }

  build(): Bundle {
    const plan = this.buildPlan();
    const resources: FhirResource[] = [this.patient, plan, ...this.orders.map(buildOrder), ...this.observations, ...this.extra];
    return {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: NOW,
      entry: resources.map((resource) => ({ fullUrl: `https://example.org/fhir/${resource.resourceType}/${resource.id ?? ''}`, resource })),
    };
  }

  private buildPlan(): CarePlan {
    const s = this.planSpec;
    const extension: Extension[] = [{ url: EXT.progressionPhase, valueCode: s.phase ?? 'build' }];
    const sinceDay = s.phaseSinceDay === undefined ? 30 : s.phaseSinceDay;
    if (sinceDay !== null) extension.push({ url: EXT.phaseSince, valueDateTime: at(sinceDay, s.phaseSinceTime ?? '09:00') });
    if (s.referencePain !== undefined) extension.push({ url: EXT.referencePain, valueDecimal: s.referencePain });
    if (s.flareSinceDay !== undefined) extension.push({ url: EXT.flareSince, valueDateTime: at(s.flareSinceDay, '09:00') });
    if (s.policy) {
      const parts: Extension[] = [{ url: 'mode', valueCode: s.policy.mode ?? 'pain-guided' }];
      for (const key of ['painCeiling', 'stableSessions', 'deloadEveryWeeks'] as const) {
        const v = s.policy[key];
        if (v !== undefined) parts.push({ url: key, valueInteger: v });
      }
      if (s.policy.intensityBy) parts.push({ url: 'intensityBy', valueCode: s.policy.intensityBy });
      extension.push({ url: EXT.progressionPolicy, extension: parts });
    }
    return {
      resourceType: 'CarePlan',
      id: PLAN_ID,
      meta: { profile: [PROFILE.exercisePlan] },
      extension,
      status: 'active',
      intent: 'plan',
      category: [gradus(GRADUS_CODE.exerciseProgram)],
      subject,
      period: { start: addDays(TODAY, -(s.programStartDay ?? 30)) },
      activity: this.orders
        .filter((o) => o.inPlan ?? (o.status === undefined || o.status === 'active' || o.status === 'on-hold'))
        .map((o) => ({ reference: { reference: `ServiceRequest/${o.id}` } })),
    };
  }
}

function buildOrder(spec: OrderSpec): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: spec.id,
    meta: { profile: [PROFILE.exerciseOrder] },
    extension: [doseExtension(spec.dose)],
    status: spec.status ?? 'active',
    intent: 'order',
    category: [
      { coding: [{ system: SNOMED, code: EXERCISE_THERAPY }] },
      { coding: [{ system: CS.exerciseDomain, code: spec.domain ?? 'strength' }] },
    ],
    code: {
      coding: [{ system: CS.exercise, code: spec.code ?? spec.id, ...(spec.display === null ? {} : { display: spec.display ?? spec.code ?? spec.id }) }],
      ...(spec.text !== undefined ? { text: spec.text } : {}),
    },
    subject,
    basedOn: [{ reference: `CarePlan/${PLAN_ID}` }],
    authoredOn: at(spec.authoredDay ?? 10, spec.authoredTime ?? '09:00'),
    occurrenceTiming: { repeat: { frequency: spec.frequency ?? 3, period: 1, periodUnit: 'wk' } },
    ...(spec.replaces !== undefined ? { replaces: [{ reference: `ServiceRequest/${spec.replaces}` }] } : {}),
  };
}

export function scenario(): BundleBuilder {
  return new BundleBuilder();
}

/** Evidence of a scenario at NOW. */
export function evidenceOf(builder: BundleBuilder, policy?: Partial<Policy>): Evidence {
  return readEvidence(builder.build(), { now: NOW, ...(policy ? { policy } : {}) });
}

/** readEvidence then evaluate, as progress() does. */
export function run(builder: BundleBuilder, policy?: Partial<Policy>): Evaluation {
  const evidence = evidenceOf(builder, policy);
  return evaluate(evidence, evidence.policy);
}

/** The evaluation of one order. */
export function orderOf(evaluation: Evaluation, orderId: string): Evaluation['orders'][number] {
  const found = evaluation.orders.find((o) => o.orderId === orderId);
  if (!found) throw new Error(`no evaluation for order ${orderId}`);
  return found;
}

/** Daily pain `value` on each of the given days. */
export function flat(value: number, fromDay: number, toDay: number): Record<number, number> {
  const out: Record<number, number> = {};
  for (let d = fromDay; d <= toDay; d++) out[d] = value;
  return out;
}
