/**
 * Rounding of dose values: loads to 0.5 kg, minutes to 1 min, seconds to 5 s, counts to 1; halves up;
 * never below one rounding unit. A step always moves by at least one unit, so rounding never cancels it.
 * See: docs/clinical-rules.md "Rounding".
 *
 * Reading: "never below 1 (0.5 kg for loads)" is applied as "never below one rounding unit", so the
 * floor for hold times in seconds is 5 s (1 s is not on the 5 s grid).
 */
import type { Duration } from '../types';

/** The scale a dose value is rounded on. */
export type Scale = 'kg' | 'min' | 's' | 'count';

/** One rounding unit per scale: the grid step and the smallest value a dose may hold. */
export const ROUNDING_UNIT: Readonly<Record<Scale, number>> = Object.freeze({ kg: 0.5, min: 1, s: 5, count: 1 });

/** Tolerance for binary floating point (0.1 x 103 is not exactly 10.3). */
const EPSILON = 1e-9;

/** Removes floating-point noise from a value computed on a grid (3 x 0.1 -> 0.3). */
function clean(value: number): number {
  return Number(value.toFixed(6));
}

/** `value` to the nearest multiple of `unit`, halves up. */
export function roundHalfUp(value: number, unit = 1): number {
  return clean(Math.floor(value / unit + 0.5 + EPSILON) * unit);
}

function ceilTo(value: number, unit: number): number {
  return clean(Math.ceil(value / unit - EPSILON) * unit);
}

function floorTo(value: number, unit: number): number {
  return clean(Math.floor(value / unit + EPSILON) * unit);
}

/** `value` rounded on `scale` (nearest, halves up), never below one rounding unit. */
export function roundOn(scale: Scale, value: number): number {
  const unit = ROUNDING_UNIT[scale];
  return Math.max(unit, roundHalfUp(value, unit));
}

/** A load to the nearest 0.5 kg, halves up, never below 0.5 kg. */
export function roundLoad(kg: number): number {
  return roundOn('kg', kg);
}

/** A load rounded up to the next 0.5 kg (the progress load rule), never below 0.5 kg. */
export function roundUpLoad(kg: number): number {
  return Math.max(ROUNDING_UNIT.kg, ceilTo(kg, ROUNDING_UNIT.kg));
}

/** Minutes to whole minutes, halves up, never below 1 min. */
export function roundMinutes(min: number): number {
  return roundOn('min', min);
}

/** Seconds to 5 s, halves up (2.5 s rounds up), never below 5 s. */
export function roundSeconds(s: number): number {
  return roundOn('s', s);
}

/** A count (sets, repetitions) to a whole number, halves up, never below 1. */
export function roundCount(n: number): number {
  return roundOn('count', n);
}

/** A duration rounded in its own unit. */
export function roundDuration(d: Duration): Duration {
  return { value: roundOn(d.unit, d.value), unit: d.unit };
}

export interface StepOptions {
  scale: Scale;
  /** The current value. */
  from: number;
  /** The unrounded target; its side of `from` gives the direction. */
  to: number;
  /** Never past this value in the direction of travel (a cap going up, a minimum going down). */
  bound?: number;
}

export interface RoundedStep {
  /** The new value; equals `from` when the step cannot move (at a bound or at one rounding unit). */
  value: number;
  /** True when rounding would have moved less than one unit, so the step was widened to one unit. */
  widened: boolean;
  /** True when the bound stopped the step short of its rounded target. */
  bounded: boolean;
}

/**
 * Rounds a step so that it moves by at least one rounding unit toward `to`, never past `bound` and
 * never below one rounding unit. From an off-grid value the widened step lands on the grid beyond it.
 */
export function roundStep({ scale, from, to, bound }: StepOptions): RoundedStep {
  const unit = ROUNDING_UNIT[scale];
  if (Math.abs(to - from) < EPSILON) return { value: from, widened: false, bounded: false };
  const up = to > from;
  let value = roundHalfUp(to, unit);
  const widened = (up ? value - from : from - value) < unit - EPSILON;
  if (widened) value = up ? ceilTo(from + unit, unit) : floorTo(from - unit, unit);
  let bounded = false;
  if (bound !== undefined && (up ? value > bound : value < bound)) {
    value = bound;
    bounded = true;
  }
  if (value < unit) {
    value = unit;
    bounded = true;
  }
  const moved = up ? value > from + EPSILON : value < from - EPSILON;
  return moved ? { value, widened, bounded } : { value: from, widened: false, bounded: false };
}
