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

/** The plan's `progression-policy`, with every default filled in (CLINICAL-RULES.md). */
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
