/**
 * The typed facts the rules read from a patient's Bundle (evidence.ts builds them, evaluate() and the
 * output read them). Every list is sorted by a stable key, so evaluation is deterministic.
 * See: docs/clinical-rules.md "Terms"; implementation-guide.md "Profiles".
 */
import type { CarePlan, Patient, ServiceRequest } from 'fhir/r4';
import type { BundleIndex } from './bundle-index';
import type { Calendar } from './days';
import type { Domain, Dose, Duration, IntensityMeasure, Phase, Policy } from '../types';

/** Something recorded at a point in time by one Observation. */
export interface DatedFact {
  /** The Observation's reference as the output cites it: `Observation/<id>`, else its fullUrl. */
  source: string;
  /** The dateTime as recorded (effectiveDateTime, else effectivePeriod.start, else effectivePeriod.end). */
  at: string;
  /** Calendar date `YYYY-MM-DD` of `at` in its own UTC offset. */
  date: string;
  /**
   * Day number: 0 = now's date, 1 = the day before, ...; never negative: a fact on a later calendar date that is
   * not after now as an instant (recorded in an offset east of now's) is day 0 (days.ts).
   */
  day: number;
  /** Milliseconds since the epoch of `at` when it has a time (parsed once, for ordering). */
  instant?: number;
}

/** One value per calendar day (the earliest of that day). */
export interface DailyValue extends DatedFact {
  value: number;
}

/** Daily check-in components by name (implementation-guide.md "gradus-daily-check-in"). */
export type CheckInComponent = 'pain' | 'morningStiffness' | 'fatigue' | 'mood' | 'sleepHours' | 'confidence' | 'steps';

/** The check-in values of one day; per component the earliest value of that day. */
export interface DayLog {
  /** The calendar date of the day number (now's date for day 0); each value keeps its own `date`. */
  date: string;
  day: number;
  values: Partial<Record<CheckInComponent, DailyValue>>;
}

/** One `gradus-exercise-session` of a current order; components it does not record are absent. */
export interface Session extends DatedFact {
  /** Id of the order it is based on. */
  orderId: string;
  painDuring?: number;
  painAfter?: number;
  setsCompleted?: number;
  repsFinalSet?: number;
  /** Load lifted in kg. */
  loadLifted?: number;
  /** Exercise duration (LOINC 55411-3), as recorded (`min`, or `s`). */
  duration?: Duration;
  /** Mean heart rate during the session, /min (LOINC 8867-4). */
  heartRate?: number;
  /** Rating of perceived exertion 0-10 (LOINC 82289-0). */
  rpe?: number;
  /** M: daily pain on the next calendar day (day - 1), when on record. */
  nextMorningPain?: DailyValue;
}

export type ToleranceUnit = 'min' | 's' | '{repetitions}';

/** One `gradus-tolerance-test` value. */
export interface ToleranceTest extends DatedFact {
  /** Id of the order it is based on (the order itself or one in its replaces chain). */
  orderId: string;
  value: number;
  unit: ToleranceUnit;
}

/** One `gradus-symptom-alert` (red-flag symptom report). */
export interface SymptomAlert extends DatedFact {
  /** The red-flag code (e.g. `chest-pain`). */
  code: string;
  display?: string;
  /** valueBoolean: true = the symptom is present. */
  present: boolean;
}

/** One order of a replaces chain. */
export interface ChainLink {
  /** The order's key: its id, else its fullUrl. */
  id: string;
  /** `ServiceRequest/<id>`, else its fullUrl. */
  reference: string;
  order: ServiceRequest;
  dose: Dose;
  /** When this dose took effect. */
  authoredOn: string;
}

/** Everything the order rules need about one current order. */
export interface OrderFacts {
  /** The order's key: its id, else its fullUrl (= OrderEvaluation.orderId). */
  id: string;
  /** `ServiceRequest/<id>`, else its fullUrl. */
  reference: string;
  fullUrl?: string;
  order: ServiceRequest;
  status: 'active' | 'on-hold';
  /** From the `domain` category slice (exercise-domain CodeSystem). */
  domain: Domain;
  /**
   * The exercise (code.coding, preferring the Gradus exercise CodeSystem); display falls back to code.text,
   * then to the display of the code in our exercise CodeSystem.
   */
  exercise: { system?: string; code?: string; display?: string };
  dose: Dose;
  /** Its last change: when this dose took effect. */
  authoredOn: string;
  /** Day number of authoredOn. */
  authoredDay: number;
  /** Prescribed sessions per week (occurrenceTiming.repeat frequency / period, as per week), when stated. */
  frequencyPerWeek?: number;
  /** The policy's intensityBy, else heart-rate when the dose has a heartRateZone, else rpe. */
  intensityBy: IntensityMeasure;
  /**
   * The replaces chain, newest first: chain[0] is this order, chain[1] the order it replaces, ...
   * Ends at the first reference that is not in the Bundle (or would loop). With several `replaces`,
   * the first that resolves is followed.
   */
  chain: ChainLink[];
  /** Its sessions: sessions based on it, dated on or after the calendar date of its authoredOn; oldest first. */
  sessions: Session[];
  /** Tolerance tests based on it or on any order in its chain, every date; oldest first. */
  toleranceTests: ToleranceTest[];
}

/** The plan's patient. */
export interface PatientFacts {
  /** The plan's subject reference as written (e.g. `Patient/123`). */
  reference: string;
  resource: Patient;
  fullUrl?: string;
  birthDate?: string;
  /** Completed years on now's date, when birthDate is known. */
  age?: number;
}

/** A patient's plan, orders and logs as typed facts, read at `now`. */
export interface Evidence {
  /** The evaluation time (input, ISO dateTime with offset). */
  now: string;
  /** now's calendar date in its own offset: day 0. */
  today: string;

  plan: CarePlan;
  /** The plan's key: its id, else its fullUrl. */
  planId: string;
  /** `CarePlan/<id>`, else its fullUrl. */
  planReference: string;
  planFullUrl?: string;
  patient: PatientFacts;

  /** `progression-phase`. */
  phase: Phase;
  /** `phase-since`, when present. */
  phaseSince?: string;
  /** Phase start: phase-since, else the latest authoredOn among current orders (absent with neither). */
  phaseStart?: string;
  /** Day number of the phase start. */
  phaseStartDay?: number;
  /** `reference-pain`, when present. */
  referencePain?: number;
  /** `flare-since`, when present. */
  flareSince?: string;
  /** period.start: program week 1 starts here. */
  programStart: string;
  /** 1 + whole weeks between period.start and now (calendar days). */
  programWeek: number;

  /** DEFAULT_POLICY < plan `progression-policy` < caller overrides. */
  policy: Policy;

  /** Every exercise order of the patient in the Bundle (current, replaced, completed), by key. */
  ordersById: ReadonlyMap<string, ServiceRequest>;
  /** The plan's activity orders with status active or on-hold, sorted by key. */
  currentOrders: ServiceRequest[];
  /** Facts per current order, in the same order as currentOrders. */
  orders: OrderFacts[];

  /** Daily pain (LOINC 72514-3 from check-ins and any Observation so coded): earliest per day, oldest first. */
  dailyPain: DailyValue[];
  /** Daily check-in components per day, oldest first. */
  checkIns: DayLog[];
  /** Symptom alerts of any value, oldest first. */
  symptomAlerts: SymptomAlert[];
  /** The latest resting heart rate (LOINC 40443-4), /min. */
  restingHeartRate?: DailyValue;

  /** fullUrl of every resource in the Bundle that has one, by its reference (`Type/id`, else fullUrl). */
  fullUrls: ReadonlyMap<string, string>;
  /** Day numbers relative to now's date, each dateTime parsed once (the calendar this evidence was read with). */
  calendar: Calendar;
  /** The index of the input Bundle's entries, built once while reading (the output resolves references with it). */
  index: BundleIndex;
}
