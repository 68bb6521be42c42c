/**
 * Endurance intensity targets: Tanaka HRmax, Karvonen heart-rate-reserve zones and RPE bands.
 * See: docs/clinical-rules.md "Intensity for endurance" (Tanaka 2001; ACSM, Garber 2011).
 */
import { roundHalfUp } from './rounding';
import type { Range } from '../types';

/** RPE 0-10, light effort. */
export const RPE_LIGHT: Readonly<Range> = Object.freeze({ low: 2, high: 3 });
/** RPE 0-10, moderate effort. */
export const RPE_MODERATE: Readonly<Range> = Object.freeze({ low: 4, high: 6 });

export type HeartRateZoneName = 'light' | 'moderate';

/** Fractions of the heart-rate reserve per zone (light 30-39% HRR, moderate 40-59% HRR). */
export const HRR_FRACTION: Readonly<Record<HeartRateZoneName, Readonly<Range>>> = Object.freeze({
  light: Object.freeze({ low: 0.3, high: 0.39 }),
  moderate: Object.freeze({ low: 0.4, high: 0.59 }),
});

/** Predicted maximal heart rate, 208 - 0.7 x age (Tanaka 2001); not rounded (age 45 -> 176.5). */
export function heartRateMax(age: number): number {
  return 208 - 0.7 * age;
}

export interface KarvonenOptions {
  /** Age in years. */
  age: number;
  /** The latest resting heart rate (LOINC 40443-4), /min. */
  restingHeartRate: number;
  zone: HeartRateZoneName;
}

/**
 * A Karvonen zone: rest + fraction x (HRmax - rest), each bound rounded to the nearest whole beat per
 * minute, halves up (so light and moderate stay contiguous). Throws RangeError when age is not positive
 * or the resting heart rate is not positive and below HRmax (no reserve to take a fraction of).
 */
export function karvonenZone({ age, restingHeartRate, zone }: KarvonenOptions): Range {
  const max = heartRateMax(age);
  if (!(age > 0) || !(restingHeartRate > 0) || !(restingHeartRate < max)) {
    throw new RangeError(`no heart-rate reserve for age ${age} and resting heart rate ${restingHeartRate}/min`);
  }
  const reserve = max - restingHeartRate;
  const fraction = HRR_FRACTION[zone];
  return {
    low: roundHalfUp(restingHeartRate + fraction.low * reserve),
    high: roundHalfUp(restingHeartRate + fraction.high * reserve),
  };
}
