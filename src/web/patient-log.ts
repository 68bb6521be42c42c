/**
 * The patient's two forms as FHIR: today's check-in -> a `gradus-daily-check-in` Observation, a logged
 * session -> a `gradus-exercise-session` Observation based on one order. Pure: the form's text and the
 * context (patient, time, the orders that may be logged) in; field errors or the Observation out.
 * See: implementation-guide.md "gradus-daily-check-in (Observation): the daily self-monitoring log" and "gradus-exercise-session (Observation): one performed session".
 */
import type { Observation, ObservationComponent, Quantity } from 'fhir/r4';
import { CS, GRADUS_CODE, LOINC, LOINC_CODE, OBSERVATION_CATEGORY, PROFILE, UCUM } from '../fhir/codes';
import type { FieldErrors, FormValues, NumberFieldSpec } from './fields';
import { parseNumber, type NumberRule } from './numbers';

const SCORE: NumberRule = { kind: 'integer', min: 0, max: 10 };

/** The check-in's fields, in form order: name, label (the accessible name) and range. */
export const CHECK_IN_FIELDS = [
  { name: 'pain', label: 'Pain now (0-10)', rule: SCORE },
  { name: 'stiffness', label: 'Morning stiffness (0-10)', rule: SCORE },
  { name: 'fatigue', label: 'Fatigue (0-10)', rule: SCORE },
  { name: 'mood', label: 'Mood (0-10, 10 best)', rule: SCORE },
  { name: 'sleep', label: 'Sleep (hours)', rule: { kind: 'decimal', min: 0, max: 24, decimals: 2 }, hint: 'For example 7.5' },
  { name: 'confidence', label: 'Confidence to move (0-10)', rule: SCORE },
] as const satisfies readonly NumberFieldSpec[];

/** The session's number fields, in form order (the exercise is the select `order`). */
export const SESSION_FIELDS = [
  { name: 'sets', label: 'Sets', rule: { kind: 'integer', min: 1, max: 20 } },
  { name: 'reps', label: 'Reps in last set', rule: { kind: 'integer', min: 0, max: 200 } },
  { name: 'load', label: 'Load (kg)', rule: { kind: 'decimal', min: 0, max: 500, decimals: 2 } },
  { name: 'duration', label: 'Duration (min)', rule: { kind: 'decimal', min: 0, max: 600, decimals: 1 } },
  { name: 'exertion', label: 'Exertion (0-10)', rule: SCORE, hint: '0 is rest, 10 is the hardest you can work' },
  { name: 'painDuring', label: 'Pain during (0-10)', rule: SCORE },
  { name: 'painAfter', label: 'Pain after (0-10)', rule: SCORE },
] as const satisfies readonly NumberFieldSpec[];

export type CheckInValues = Partial<Record<(typeof CHECK_IN_FIELDS)[number]['name'], number>>;
export type SessionValues = Partial<Record<(typeof SESSION_FIELDS)[number]['name'], number>>;

export type Parsed<T> = { ok: true; values: T } | { ok: false; errors: FieldErrors };

/** The field name of the check-in's "at least one value" error (shown at the top of its fieldset). */
export const CHECK_IN_EMPTY = 'checkIn';

function parseFields<N extends string>(form: FormValues, fields: readonly { name: N; rule: NumberRule }[]): { values: Partial<Record<N, number>>; errors: Record<string, string> } {
  const values: Partial<Record<N, number>> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const result = parseNumber(form[field.name], field.rule);
    if ('error' in result) errors[field.name] = result.error;
    else if ('value' in result) values[field.name] = result.value;
  }
  return { values, errors };
}

/** The check-in form: each value optional, at least one given. */
export function parseCheckIn(form: FormValues): Parsed<CheckInValues> {
  const { values, errors } = parseFields(form, CHECK_IN_FIELDS);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (Object.keys(values).length === 0) return { ok: false, errors: { [CHECK_IN_EMPTY]: 'Fill in at least one of these before saving.' } };
  return { ok: true, values };
}

/** The session form: an exercise of the patient's current plan (`orders`), each value optional. */
export function parseSession(form: FormValues, orders: ReadonlySet<string>): Parsed<SessionValues & { orderId: string }> {
  const { values, errors } = parseFields(form, SESSION_FIELDS);
  const orderId = (form.order ?? '').trim();
  if (orderId === '') errors.order = 'Choose the exercise you did.';
  else if (!orders.has(orderId)) errors.order = 'Choose one of the exercises of your current plan.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, values: { ...values, orderId } };
}

const coding = (system: string, code: string): Observation['code'] => ({ coding: [{ system, code }] });
const quantity = (value: number, unit: string): Quantity => ({ value, unit, system: UCUM, code: unit });
const score = (system: string, code: string, value: number | undefined): ObservationComponent[] =>
  value === undefined ? [] : [{ code: coding(system, code), valueInteger: value }];
const measured = (system: string, code: string, value: number | undefined, unit: string): ObservationComponent[] =>
  value === undefined ? [] : [{ code: coding(system, code), valueQuantity: quantity(value, unit) }];

/** A `gradus-daily-check-in` for the patient at `effective` (the morning it describes). */
export function checkInObservation(values: CheckInValues, o: { patientId: string; effective: string }): Observation {
  const component = [
    ...score(LOINC, LOINC_CODE.pain, values.pain),
    ...score(CS.gradus, GRADUS_CODE.morningStiffness, values.stiffness),
    ...score(CS.gradus, GRADUS_CODE.fatigue, values.fatigue),
    ...score(CS.gradus, GRADUS_CODE.mood, values.mood),
    ...measured(LOINC, LOINC_CODE.sleepDuration, values.sleep, 'h'),
    ...score(CS.gradus, GRADUS_CODE.confidence, values.confidence),
  ];
  return {
    resourceType: 'Observation',
    meta: { profile: [PROFILE.dailyCheckIn] },
    status: 'final',
    category: [coding(OBSERVATION_CATEGORY, 'survey')],
    code: coding(CS.gradus, GRADUS_CODE.dailyCheckIn),
    subject: { reference: `Patient/${o.patientId}` },
    effectiveDateTime: o.effective,
    ...(component.length > 0 ? { component } : {}),
  };
}

/** A `gradus-exercise-session` of one order, performed at `effective`. */
export function sessionObservation(values: SessionValues, o: { patientId: string; orderId: string; effective: string }): Observation {
  const component = [
    ...score(CS.gradus, GRADUS_CODE.setsCompleted, values.sets),
    ...score(CS.gradus, GRADUS_CODE.repsFinalSet, values.reps),
    ...measured(CS.gradus, GRADUS_CODE.loadLifted, values.load, 'kg'),
    ...measured(LOINC, LOINC_CODE.exerciseDuration, values.duration, 'min'),
    ...score(LOINC, LOINC_CODE.rpe, values.exertion),
    ...score(CS.gradus, GRADUS_CODE.painDuring, values.painDuring),
    ...score(CS.gradus, GRADUS_CODE.painAfter, values.painAfter),
  ];
  return {
    resourceType: 'Observation',
    meta: { profile: [PROFILE.exerciseSession] },
    status: 'final',
    category: [coding(OBSERVATION_CATEGORY, 'activity')],
    code: coding(CS.gradus, GRADUS_CODE.exerciseSession),
    subject: { reference: `Patient/${o.patientId}` },
    basedOn: [{ reference: `ServiceRequest/${o.orderId}` }],
    effectiveDateTime: o.effective,
    ...(component.length > 0 ? { component } : {}),
  };
}
