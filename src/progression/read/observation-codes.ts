/**
 * The codes the Observation reader recognises, as lookup tables by coding (system, then code), and the kind
 * of an Observation by its profile or code. Lookups read any JSON safely and allocate nothing.
 * See: implementation-guide.md "gradus-exercise-session", "gradus-daily-check-in" (their components); LOINC 72514-3.
 */
import type { CodeableConcept, Observation } from 'fhir/r4';
import { CS, GRADUS_CODE, LOINC, LOINC_CODE, PROFILE } from '../../fhir/codes';
import type { CheckInComponent } from './evidence-types';
import { asArray, field, isRecord } from './json';

export type Coded = { code?: CodeableConcept };

/** Values by coding: system, then code. */
export type CodeTable<T> = ReadonlyMap<string, ReadonlyMap<string, T>>;

function codeTable<T>(rows: readonly (readonly [string, string, T])[]): CodeTable<T> {
  const table = new Map<string, Map<string, T>>();
  for (const [system, code, value] of rows) {
    const codes = table.get(system) ?? new Map<string, T>();
    codes.set(code, value);
    table.set(system, codes);
  }
  return table;
}

/** The value `table` gives the first of an element's codings it knows (any JSON read safely, nothing allocated). */
export function lookup<T>(element: Coded, table: CodeTable<T>): T | undefined {
  const coding = field(element.code, 'coding');
  if (!Array.isArray(coding)) return undefined;
  for (const c of coding as unknown[]) {
    if (!isRecord(c) || typeof c.system !== 'string' || typeof c.code !== 'string') continue;
    const found = table.get(c.system)?.get(c.code);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Components scored 0-10 (out-of-range values are bad input). */
export const SCORED: CodeTable<true> = codeTable([
  [LOINC, LOINC_CODE.pain, true],
  [LOINC, LOINC_CODE.rpe, true],
  ...[
    GRADUS_CODE.painDuring,
    GRADUS_CODE.painAfter,
    GRADUS_CODE.morningStiffness,
    GRADUS_CODE.fatigue,
    GRADUS_CODE.mood,
    GRADUS_CODE.confidence,
  ].map((code) => [CS.gradus, code, true] as const),
]);

export const CHECK_IN: CodeTable<CheckInComponent> = codeTable([
  [LOINC, LOINC_CODE.pain, 'pain'],
  [CS.gradus, GRADUS_CODE.morningStiffness, 'morningStiffness'],
  [CS.gradus, GRADUS_CODE.fatigue, 'fatigue'],
  [CS.gradus, GRADUS_CODE.mood, 'mood'],
  [LOINC, LOINC_CODE.sleepDuration, 'sleepHours'],
  [CS.gradus, GRADUS_CODE.confidence, 'confidence'],
  [LOINC, LOINC_CODE.steps, 'steps'],
]);

export type SessionPart = 'painDuring' | 'painAfter' | 'setsCompleted' | 'repsFinalSet' | 'loadLifted' | 'rpe' | 'heartRate' | 'duration';

export const SESSION: CodeTable<SessionPart> = codeTable([
  [CS.gradus, GRADUS_CODE.painDuring, 'painDuring'],
  [CS.gradus, GRADUS_CODE.painAfter, 'painAfter'],
  [CS.gradus, GRADUS_CODE.setsCompleted, 'setsCompleted'],
  [CS.gradus, GRADUS_CODE.repsFinalSet, 'repsFinalSet'],
  [CS.gradus, GRADUS_CODE.loadLifted, 'loadLifted'],
  [LOINC, LOINC_CODE.rpe, 'rpe'],
  [LOINC, LOINC_CODE.heartRate, 'heartRate'],
  [LOINC, LOINC_CODE.exerciseDuration, 'duration'],
]);

export type Kind = 'session' | 'check-in' | 'pain' | 'alert' | 'tolerance' | 'resting-hr';

export const PAIN: CodeTable<true> = codeTable([[LOINC, LOINC_CODE.pain, true]]);

/** What an Observation's code says it is, by the order kindOf checks them (lower first). */
const KIND_BY_CODE: CodeTable<Kind> = codeTable([
  [CS.gradus, GRADUS_CODE.exerciseSession, 'session'],
  [CS.gradus, GRADUS_CODE.dailyCheckIn, 'check-in'],
  [CS.gradus, GRADUS_CODE.toleranceTest, 'tolerance'],
  [LOINC, LOINC_CODE.pain, 'pain'],
  [LOINC, LOINC_CODE.restingHeartRate, 'resting-hr'],
]);

const KIND_ORDER: readonly Kind[] = ['session', 'check-in', 'tolerance', 'alert', 'pain', 'resting-hr'];
const KIND_PROFILE: ReadonlyMap<string, Kind> = new Map([
  [PROFILE.exerciseSession, 'session'],
  [PROFILE.dailyCheckIn, 'check-in'],
  [PROFILE.toleranceTest, 'tolerance'],
  [PROFILE.symptomAlert, 'alert'],
]);

/** Session, check-in, tolerance test, alert (by profile or code), pain score, resting heart rate (by code): the first of these that fits. */
export function kindOf(obs: Observation): Kind | undefined {
  let best = KIND_ORDER.length;
  const consider = (kind: Kind | undefined): void => {
    if (kind !== undefined) best = Math.min(best, KIND_ORDER.indexOf(kind));
  };
  for (const profile of asArray(field(obs.meta, 'profile'))) if (typeof profile === 'string') consider(KIND_PROFILE.get(profile));
  const coding = field(obs.code, 'coding');
  if (Array.isArray(coding)) {
    for (const c of coding as unknown[]) {
      if (!isRecord(c) || typeof c.system !== 'string') continue;
      consider(c.system === CS.redFlag ? 'alert' : typeof c.code === 'string' ? KIND_BY_CODE.get(c.system)?.get(c.code) : undefined);
    }
  }
  return KIND_ORDER[best];
}
