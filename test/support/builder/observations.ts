/**
 * The patient's logs as implementation-guide.md shapes them: exercise sessions, daily check-ins, pain
 * scores, symptom alerts, tolerance tests and resting heart rates. Plain data in, one Observation out,
 * with codings and quantities spelled by the style's Coder (vocabulary.ts).
 */
import type { CodeableConcept, Observation, ObservationComponent, Reference } from 'fhir/r4';
import { CS, GRADUS_CODE, LOINC, LOINC_CODE, OBSERVATION_CATEGORY, PROFILE } from '../../../src/fhir/codes';
import type { Coder } from './vocabulary';

/** What one session recorded; every field is optional. */
export interface SessionValues {
  painDuring?: number;
  painAfter?: number;
  rpe?: number;
  reps?: number;
  sets?: number;
  load?: number;
  /** Minutes of exercise. */
  duration?: number;
  /** Mean heart rate, /min. */
  heartRate?: number;
}

/** What one daily check-in recorded; scores are 0-10. */
export interface CheckInValues {
  pain?: number;
  stiffness?: number;
  fatigue?: number;
  mood?: number;
  /** Hours slept. */
  sleep?: number;
  confidence?: number;
  /** Steps in the last 24 hours. */
  steps?: number;
}

interface ObservationBase {
  id: string;
  subject: Reference;
  effective: string;
}

const category = (coder: Coder, code: string): CodeableConcept[] => [coder.concept(OBSERVATION_CATEGORY, code)];

const score = (coder: Coder, system: string, code: string, value: number): ObservationComponent => ({ code: coder.concept(system, code), valueInteger: value });
const measured = (coder: Coder, system: string, code: string, value: number, unit: string): ObservationComponent => ({
  code: coder.concept(system, code),
  valueQuantity: coder.quantity(value, unit),
});

function sessionComponents(coder: Coder, v: SessionValues): ObservationComponent[] {
  const c: ObservationComponent[] = [];
  if (v.sets !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.setsCompleted, v.sets));
  if (v.reps !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.repsFinalSet, v.reps));
  if (v.load !== undefined) c.push(measured(coder, CS.gradus, GRADUS_CODE.loadLifted, v.load, 'kg'));
  if (v.duration !== undefined) c.push(measured(coder, LOINC, LOINC_CODE.exerciseDuration, v.duration, 'min'));
  if (v.heartRate !== undefined) c.push(measured(coder, LOINC, LOINC_CODE.heartRate, v.heartRate, '/min'));
  if (v.rpe !== undefined) c.push(score(coder, LOINC, LOINC_CODE.rpe, v.rpe));
  if (v.painDuring !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.painDuring, v.painDuring));
  if (v.painAfter !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.painAfter, v.painAfter));
  return c;
}

/** A session at `effective`; with `endsAt`, recorded as an effectivePeriod. */
export function session(coder: Coder, o: ObservationBase & { orderId: string; values: SessionValues; endsAt?: string }): Observation {
  const out: Observation = {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.exerciseSession] },
    status: 'final',
    category: category(coder, 'activity'),
    code: coder.concept(CS.gradus, GRADUS_CODE.exerciseSession),
    subject: o.subject,
    basedOn: [{ reference: `ServiceRequest/${o.orderId}` }],
    component: sessionComponents(coder, o.values),
  };
  if (o.endsAt === undefined) out.effectiveDateTime = o.effective;
  else out.effectivePeriod = { start: o.effective, end: o.endsAt };
  return out;
}

function checkInComponents(coder: Coder, v: CheckInValues): ObservationComponent[] {
  const c: ObservationComponent[] = [];
  if (v.pain !== undefined) c.push(score(coder, LOINC, LOINC_CODE.pain, v.pain));
  if (v.stiffness !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.morningStiffness, v.stiffness));
  if (v.fatigue !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.fatigue, v.fatigue));
  if (v.mood !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.mood, v.mood));
  if (v.sleep !== undefined) c.push(measured(coder, LOINC, LOINC_CODE.sleepDuration, v.sleep, 'h'));
  if (v.confidence !== undefined) c.push(score(coder, CS.gradus, GRADUS_CODE.confidence, v.confidence));
  if (v.steps !== undefined) c.push(measured(coder, LOINC, LOINC_CODE.steps, v.steps, '/d'));
  return c;
}

export function checkIn(coder: Coder, o: ObservationBase & { values: CheckInValues }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.dailyCheckIn] },
    status: 'final',
    category: category(coder, 'survey'),
    code: coder.concept(CS.gradus, GRADUS_CODE.dailyCheckIn),
    subject: o.subject,
    effectiveDateTime: o.effective,
    component: checkInComponents(coder, o.values),
  };
}

/** A stand-alone pain rating; `asQuantity` writes it as an EHR might (valueQuantity `{score}`, no profile). */
export function painScore(coder: Coder, o: ObservationBase & { value: number; asQuantity?: boolean }): Observation {
  const out: Observation = {
    resourceType: 'Observation',
    id: o.id,
    status: 'final',
    category: category(coder, 'survey'),
    code: coder.concept(LOINC, LOINC_CODE.pain),
    subject: o.subject,
    effectiveDateTime: o.effective,
  };
  if (o.asQuantity === true) out.valueQuantity = coder.quantity(o.value, '{score}');
  else {
    out.meta = { profile: [PROFILE.painScore] };
    out.valueInteger = o.value;
  }
  return out;
}

export function symptomAlert(coder: Coder, o: ObservationBase & { code: string; value: boolean }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.symptomAlert] },
    status: 'final',
    category: category(coder, 'survey'),
    code: coder.concept(CS.redFlag, o.code),
    subject: o.subject,
    effectiveDateTime: o.effective,
    valueBoolean: o.value,
  };
}

export type ToleranceUnit = 'min' | 's' | '{repetitions}';

export function toleranceTest(coder: Coder, o: ObservationBase & { orderId: string; value: number; unit: ToleranceUnit }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    meta: { profile: [PROFILE.toleranceTest] },
    status: 'final',
    category: category(coder, 'exam'),
    code: coder.concept(CS.gradus, GRADUS_CODE.toleranceTest),
    subject: o.subject,
    basedOn: [{ reference: `ServiceRequest/${o.orderId}` }],
    effectiveDateTime: o.effective,
    valueQuantity: coder.quantity(o.value, o.unit),
  };
}

export function restingHeartRate(coder: Coder, o: ObservationBase & { value: number }): Observation {
  return {
    resourceType: 'Observation',
    id: o.id,
    status: 'final',
    category: category(coder, 'vital-signs'),
    code: coder.concept(LOINC, LOINC_CODE.restingHeartRate),
    subject: o.subject,
    effectiveDateTime: o.effective,
    valueQuantity: coder.quantity(o.value, '/min'),
  };
}
