/**
 * The engine's domain vocabulary: doses, policy and decisions. Shared by every module in
 * src/progression; FHIR shapes are read into these types (evidence, dose) and written back (output).
 */
import type { DecisionCode, Domain, IntensityMeasure, Mode, Phase } from '../fhir/codes';

export type { DecisionCode, Domain, IntensityMeasure, Mode, Phase };

/** An inclusive numeric range (heart-rate zone in /min, RPE target on the 0-10 scale). */
export interface Range {
  low: number;
  high: number;
}

/** Time per session (`min`, endurance) or hold time per repetition (`s`, stretches and balance). */
export interface Duration {
  value: number;
  unit: 'min' | 's';
}

/** The prescribed dose of one order: the `exercise-dose` extension as data. */
export interface Dose {
  sets?: number;
  reps?: number;
  /** External load in kg. */
  load?: number;
  duration?: Duration;
  heartRateZone?: Range;
  rpeTarget?: Range;
  /** Position on the progression ladder, starting at 1. */
  step?: number;
}

/** The plan's `progression-policy`, with every default filled in (docs/clinical-rules.md "Defaults at a glance"). */
export interface Policy {
  mode: Mode;
  painCeiling: number;
  stableSessions: number;
  deloadEveryWeeks: number;
  /** Absent: heart-rate for an order that has a heartRateZone, else rpe. */
  intensityBy?: IntensityMeasure;
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  mode: 'pain-guided',
  painCeiling: 5,
  stableSessions: 2,
  deloadEveryWeeks: 4,
});

/** What the rules decided for one current order (evaluate() -> output). */
export interface OrderEvaluation {
  /** The current order's id. */
  orderId: string;
  decision: DecisionCode;
  /** Clinician-readable reason naming the rule and its numbers. */
  rationale: string;
  /** The new dose when the decision changes it: a new order replaces the current one. */
  newDose?: Dose;
  /** On refer: the current order is put on hold (no new order). */
  newStatus?: 'on-hold';
  /** References (`Observation/<id>`) of the Observations the decision used. */
  evidence: string[];
}

/** What the rules decided for the plan. */
export interface PlanEvaluation {
  phaseFrom: Phase;
  phaseTo: Phase;
  /** The plan-level rule that fired, if any (it decided for every order). */
  decision?: DecisionCode;
  /** Why the phase changed (the plan Provenance's rationale). */
  rationale?: string;
  /** `reference-pain` after this run: undefined leaves it as is, null removes it. */
  referencePain?: number | null;
  /** `flare-since` after this run: undefined leaves it as is, null removes it. */
  flareSince?: string | null;
}

export interface Evaluation {
  plan: PlanEvaluation;
  orders: OrderEvaluation[];
}
