/**
 * Constructors of the Gradus resources as IG-CONTRACT.md shapes them (profiles, codes, categories, UCUM
 * units, subject and basedOn), used by the history builder. Plain data in, one resource out.
 */
import type {
  CarePlan,
  CodeableConcept,
  Extension,
  Observation,
  ObservationComponent,
  Patient,
  Quantity,
  ServiceRequest,
} from 'fhir/r4';
import { CS, EXERCISE_THERAPY, EXT, GRADUS_CODE, LOINC, LOINC_CODE, OBSERVATION_CATEGORY, PROFILE, SNOMED, UCUM } from '../../src/fhir/codes';
import type { Domain, Dose, Phase, Policy } from '../../src/progression/types';
import { doseExtension } from './dose-ext';

const concept = (system: string, code: string, display?: string): CodeableConcept => ({
  coding: [display === undefined ? { system, code } : { system, code, display }],
});
const qty = (value: number, code: string): Quantity => ({ value, unit: code, system: UCUM, code });
const ref = (type: string, id: string): { reference: string } => ({ reference: `${type}/${id}` });
const category = (code: string): CodeableConcept[] => [concept(OBSERVATION_CATEGORY, code)];

export interface PatientSpec {
  id: string;
  given: string;
  family: string;
  birthDate?: string;
  gender?: Patient['gender'];
}

export function patient(p: PatientSpec): Patient {
  const out: Patient = { resourceType: 'Patient', id: p.id, name: [{ given: [p.given], family: p.family }] };
  if (p.gender !== undefined) out.gender = p.gender;
  if (p.birthDate !== undefined) out.birthDate = p.birthDate;
  return out;
}

export interface PlanSpec {
  id: string;
  patientId: string;
  start: string;
  phase: Phase;
  phaseSince?: string;
  referencePain?: number;
  flareSince?: string;
  policy?: Partial<Policy>;
  orderIds: string[];
}

function policyExtension(policy: Partial<Policy>): Extension {
  const parts: Extension[] = [{ url: 'mode', valueCode: policy.mode ?? 'pain-guided' }];
  if (policy.painCeiling !== undefined) parts.push({ url: 'painCeiling', valueInteger: policy.painCeiling });
  if (policy.stableSessions !== undefined) parts.push({ url: 'stableSessions', valueInteger: policy.stableSessions });
  if (policy.deloadEveryWeeks !== undefined) parts.push({ url: 'deloadEveryWeeks', valueInteger: policy.deloadEveryWeeks });
  if (policy.intensityBy !== undefined) parts.push({ url: 'intensityBy', valueCode: policy.intensityBy });
  return { url: EXT.progressionPolicy, extension: parts };
}

export function plan(p: PlanSpec): CarePlan {
  const extension: Extension[] = [];
  if (p.policy !== undefined) extension.push(policyExtension(p.policy));
  extension.push({ url: EXT.progressionPhase, valueCode: p.phase });
  if (p.phaseSince !== undefined) extension.push({ url: EXT.phaseSince, valueDateTime: p.phaseSince });
  if (p.referencePain !== undefined) extension.push({ url: EXT.referencePain, valueDecimal: p.referencePain });
  if (p.flareSince !== undefined) extension.push({ url: EXT.flareSince, valueDateTime: p.flareSince });
  return {
    resourceType: 'CarePlan',
    id: p.id,
    meta: { versionId: '1', profile: [PROFILE.exercisePlan] },
    extension,
    status: 'active',
    intent: 'plan',
    category: [concept(CS.gradus, GRADUS_CODE.exerciseProgram)],
    subject: ref('Patient', p.patientId),
    period: { start: p.start },
    activity: p.orderIds.map((id) => ({ reference: ref('ServiceRequest', id) })),
  };
}

export interface OrderSpec {
  id: string;
  patientId: string;
  planId: string;
  exercise: string;
  domain: Domain;
  dose: Dose;
  /** Sessions per week. */
  frequency: number;
  authoredOn: string;
  replaces?: string;
  status: ServiceRequest['status'];
}

export function order(o: OrderSpec): ServiceRequest {
  const out: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: o.id,
    meta: { versionId: '1', profile: [PROFILE.exerciseOrder] },
    extension: [doseExtension(o.dose)],
    status: o.status,
    intent: 'order',
    category: [concept(SNOMED, EXERCISE_THERAPY, 'Exercise therapy'), concept(CS.exerciseDomain, o.domain)],
    code: concept(CS.exercise, o.exercise),
    subject: ref('Patient', o.patientId),
    basedOn: [ref('CarePlan', o.planId)],
    authoredOn: o.authoredOn,
    occurrenceTiming: { repeat: { frequency: o.frequency, period: 1, periodUnit: 'wk' } },
  };
  if (o.replaces !== undefined) out.replaces = [ref('ServiceRequest', o.replaces)];
  return out;
}

/** What one session recorded; every field is optional except what the caller gives. */
export interface SessionValues {
  painDuring?: number;
  painAfter?: number;
  rpe?: number;
  reps?: number;
  sets?: number;
  load?: number;
  /** Minutes of exercise. */
  duration?: number;
  heartRate?: number;
}

const intComponent = (system: string, code: string, value: number): ObservationComponent => ({
  code: concept(system, code),
  valueInteger: value,
});
const qtyComponent = (system: string, code: string, value: number, unit: string): ObservationComponent => ({
  code: concept(system, code),
  valueQuantity: qty(value, unit),
});

function sessionComponents(v: SessionValues): ObservationComponent[] {
  const c: ObservationComponent[] = [];
  if (v.sets !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.setsCompleted, v.sets));
  if (v.reps !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.repsFinalSet, v.reps));
  if (v.load !== undefined) c.push(qtyComponent(CS.gradus, GRADUS_CODE.loadLifted, v.load, 'kg'));
  if (v.duration !== undefined) c.push(qtyComponent(LOINC, LOINC_CODE.exerciseDuration, v.duration, 'min'));
  if (v.heartRate !== undefined) c.push(qtyComponent(LOINC, LOINC_CODE.heartRate, v.heartRate, '/min'));
  if (v.rpe !== undefined) c.push(intComponent(LOINC, LOINC_CODE.rpe, v.rpe));
  if (v.painDuring !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.painDuring, v.painDuring));
  if (v.painAfter !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.painAfter, v.painAfter));
  return c;
}

interface ObservationBase {
  id: string;
  patientId: string;
  effective: string;
}

export function session(o: ObservationBase & { orderId: string; values: SessionValues; endsAt?: string }): Observation {
  const out: Observation = {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.exerciseSession] },
    status: 'final',
    category: category('activity'),
    code: concept(CS.gradus, GRADUS_CODE.exerciseSession),
    subject: ref('Patient', o.patientId),
    basedOn: [ref('ServiceRequest', o.orderId)],
    component: sessionComponents(o.values),
  };
  if (o.endsAt === undefined) out.effectiveDateTime = o.effective;
  else out.effectivePeriod = { start: o.effective, end: o.endsAt };
  return out;
}

export interface CheckInValues {
  pain?: number;
  fatigue?: number;
  stiffness?: number;
  mood?: number;
}

export function checkIn(o: ObservationBase & { values: CheckInValues }): Observation {
  const c: ObservationComponent[] = [];
  if (o.values.pain !== undefined) c.push(intComponent(LOINC, LOINC_CODE.pain, o.values.pain));
  if (o.values.stiffness !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.morningStiffness, o.values.stiffness));
  if (o.values.fatigue !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.fatigue, o.values.fatigue));
  if (o.values.mood !== undefined) c.push(intComponent(CS.gradus, GRADUS_CODE.mood, o.values.mood));
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.dailyCheckIn] },
    status: 'final',
    category: category('survey'),
    code: concept(CS.gradus, GRADUS_CODE.dailyCheckIn),
    subject: ref('Patient', o.patientId),
    effectiveDateTime: o.effective,
    component: c,
  };
}

/** A stand-alone pain rating; `asQuantity` writes it as an EHR might (valueQuantity `{score}`, no profile). */
export function painScore(o: ObservationBase & { value: number; asQuantity?: boolean }): Observation {
  const out: Observation = {
    resourceType: 'Observation',
    id: o.id,
    status: 'final',
    category: category('survey'),
    code: concept(LOINC, LOINC_CODE.pain),
    subject: ref('Patient', o.patientId),
    effectiveDateTime: o.effective,
  };
  if (o.asQuantity === true) out.valueQuantity = qty(o.value, '{score}');
  else {
    out.meta = { profile: [PROFILE.painScore] };
    out.valueInteger = o.value;
  }
  return out;
}

export function symptomAlert(o: ObservationBase & { code: string; value: boolean }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.symptomAlert] },
    status: 'final',
    category: category('survey'),
    code: concept(CS.redFlag, o.code),
    subject: ref('Patient', o.patientId),
    effectiveDateTime: o.effective,
    valueBoolean: o.value,
  };
}

export function toleranceTest(o: ObservationBase & { orderId: string; value: number; unit: 'min' | 's' | '{repetitions}' }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.toleranceTest] },
    status: 'final',
    category: category('exam'),
    code: concept(CS.gradus, GRADUS_CODE.toleranceTest),
    subject: ref('Patient', o.patientId),
    basedOn: [ref('ServiceRequest', o.orderId)],
    effectiveDateTime: o.effective,
    valueQuantity: qty(o.value, o.unit),
  };
}

export function restingHeartRate(o: ObservationBase & { value: number }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    status: 'final',
    category: category('vital-signs'),
    code: concept(LOINC, LOINC_CODE.restingHeartRate),
    subject: ref('Patient', o.patientId),
    effectiveDateTime: o.effective,
    valueQuantity: qty(o.value, '/min'),
  };
}
