/**
 * The `exercise-dose` extension as data: read it from an order, write it back, describe it for
 * clinicians, and compare doses the way the regress rule orders them.
 * See: implementation-guide.md "Extensions" (`exercise-dose`); docs/clinical-rules.md "Order-level rules", rule 1.
 */
import type { Extension, Quantity, Range as FhirRange, ServiceRequest } from 'fhir/r4';
import { DOSE_PART, EXT, UCUM } from '../../fhir/codes';
import type { Domain, Dose, Duration, Range } from '../types';

/** A dose variable that the flare, deload and return rules scale. */
export type DoseVariable = 'load' | 'reps' | 'sets' | 'duration';

type DosePart = (typeof DOSE_PART)[number];

const EPSILON = 1e-9;

/** A number for clinicians: at most 2 decimals, no trailing zeros ("5", "5.5", "8.33"). */
export function formatNumber(n: number): string {
  return String(Number(n.toFixed(2)));
}

/** "4-6", or "5" when both ends are equal. */
export function formatRange(r: Range): string {
  return r.low === r.high ? formatNumber(r.low) : `${formatNumber(r.low)}-${formatNumber(r.high)}`;
}

function ucum(value: number, code: string): Quantity {
  return { value, unit: code, system: UCUM, code };
}

function ucumRange(r: Range, code: string): FhirRange {
  return { low: ucum(r.low, code), high: ucum(r.high, code) };
}

/** The UCUM code of a Quantity (or its display unit when it has no code). */
function unitOf(q: Quantity): string | undefined {
  if (q.system !== undefined && q.system !== UCUM) return undefined;
  return q.code ?? q.unit;
}

function readQuantity(q: Quantity | undefined, units: readonly string[]): { value: number; unit: string } | undefined {
  if (q?.value === undefined) return undefined;
  const unit = unitOf(q);
  return unit !== undefined && units.includes(unit) ? { value: q.value, unit } : undefined;
}

function readRange(r: FhirRange | undefined, unit: string): Range | undefined {
  const low = readQuantity(r?.low, [unit]);
  const high = readQuantity(r?.high, [unit]);
  return low && high ? { low: low.value, high: high.value } : undefined;
}

function isDosePart(url: string): url is DosePart {
  return (DOSE_PART as readonly string[]).includes(url);
}

/** Reads the parts of an `exercise-dose` extension; parts with a wrong type or unit are left out. */
function readDoseExtension(ext: Extension): Dose | undefined {
  const dose: Dose = {};
  for (const part of ext.extension ?? []) {
    if (!isDosePart(part.url)) continue;
    switch (part.url) {
      case 'sets':
      case 'reps':
      case 'step':
        if (part.valueInteger !== undefined) dose[part.url] = part.valueInteger;
        break;
      case 'load': {
        const load = readQuantity(part.valueQuantity, ['kg']);
        if (load) dose.load = load.value;
        break;
      }
      case 'duration': {
        const d = readQuantity(part.valueQuantity, ['min', 's']);
        if (d) dose.duration = { value: d.value, unit: d.unit === 's' ? 's' : 'min' };
        break;
      }
      case 'heartRateZone': {
        const zone = readRange(part.valueRange, '/min');
        if (zone) dose.heartRateZone = zone;
        break;
      }
      case 'rpeTarget': {
        const rpe = readRange(part.valueRange, '{score}');
        if (rpe) dose.rpeTarget = rpe;
        break;
      }
    }
  }
  const hasVolume = dose.sets !== undefined || dose.reps !== undefined || dose.duration !== undefined;
  return hasVolume ? dose : undefined;
}

/** The order's dose; undefined when it has no `exercise-dose` or the extension has none of sets/reps/duration. */
export function readDose(order: ServiceRequest): Dose | undefined {
  const ext = order.extension?.find((e) => e.url === EXT.exerciseDose);
  return ext ? readDoseExtension(ext) : undefined;
}

/** The `exercise-dose` extension for a dose: UCUM units, sub-extensions in contract order, absent parts omitted. */
export function doseExtension(dose: Dose): Extension {
  const parts: Extension[] = [];
  for (const url of DOSE_PART) {
    switch (url) {
      case 'sets':
      case 'reps':
      case 'step': {
        const n = dose[url];
        if (n !== undefined) parts.push({ url, valueInteger: n });
        break;
      }
      case 'load':
        if (dose.load !== undefined) parts.push({ url, valueQuantity: ucum(dose.load, 'kg') });
        break;
      case 'duration':
        if (dose.duration) parts.push({ url, valueQuantity: ucum(dose.duration.value, dose.duration.unit) });
        break;
      case 'heartRateZone':
        if (dose.heartRateZone) parts.push({ url, valueRange: ucumRange(dose.heartRateZone, '/min') });
        break;
      case 'rpeTarget':
        if (dose.rpeTarget) parts.push({ url, valueRange: ucumRange(dose.rpeTarget, '{score}') });
        break;
    }
  }
  return { url: EXT.exerciseDose, extension: parts };
}

/** Compact clinician text: "3 x 12 at 5 kg", "3 x 10", "20 min", "3 x 30 s hold", with " (RPE 4-6, HR 110-130/min)". */
export function describeDose(dose: Dose): string {
  const counts = [dose.sets, dose.reps].filter((n): n is number => n !== undefined).map(formatNumber);
  let text: string;
  if (dose.duration) {
    const d = `${formatNumber(dose.duration.value)} ${dose.duration.unit}${dose.duration.unit === 's' ? ' hold' : ''}`;
    text = [...counts, d].join(' x ');
  } else if (counts.length === 2) {
    text = counts.join(' x ');
  } else if (dose.reps !== undefined) {
    text = `${formatNumber(dose.reps)} reps`;
  } else if (dose.sets !== undefined) {
    text = `${formatNumber(dose.sets)} sets`;
  } else {
    text = 'no volume';
  }
  if (dose.load !== undefined) text += ` at ${formatNumber(dose.load)} kg`;
  const intensity: string[] = [];
  if (dose.rpeTarget) intensity.push(`RPE ${formatRange(dose.rpeTarget)}`);
  if (dose.heartRateZone) intensity.push(`HR ${formatRange(dose.heartRateZone)}/min`);
  return intensity.length > 0 ? `${text} (${intensity.join(', ')})` : text;
}

/**
 * The variable that flare and return-to-load scale: strength: load, else reps;
 * endurance: duration; mobility and neuromotor: duration, else reps. Beyond the spec, a dose without the
 * named variable falls back to the next one present (strength: duration, then sets; others: reps, then sets).
 */
export function primaryVariable(dose: Dose, domain: Domain): DoseVariable {
  const order: readonly DoseVariable[] =
    domain === 'strength' ? ['load', 'reps', 'duration', 'sets'] : ['duration', 'reps', 'sets'];
  return order.find((v) => variableValue(dose, v) !== undefined) ?? order[0] ?? 'sets';
}

/** The value of one dose variable (duration in its own unit). */
export function variableValue(dose: Dose, variable: DoseVariable): number | undefined {
  return variable === 'duration' ? dose.duration?.value : dose[variable];
}

/** A Duration in seconds (1 min = 60 s); undefined when there is none. */
export function durationSeconds(d: Duration | undefined): number | undefined {
  return d && (d.unit === 'min' ? d.value * 60 : d.value);
}

function seconds(d: Duration | undefined): number {
  return durationSeconds(d) ?? 0;
}

/**
 * Comparison keys in the regress rule's order; absent load, reps and duration count as 0, absent sets as 1.
 * Beyond the spec, the variables the fallbacks move come last as tie-breakers (strength: hold duration;
 * endurance: reps), so every step of increments.ts is ordered.
 */
function keys(dose: Dose, domain: Domain): number[] {
  switch (domain) {
    case 'strength':
      return [dose.load ?? 0, dose.reps ?? 0, dose.sets ?? 1, seconds(dose.duration)];
    case 'endurance':
      return [seconds(dose.duration), dose.reps ?? 0];
    case 'mobility':
    case 'neuromotor':
      return [seconds(dose.duration), dose.reps ?? 0];
  }
}

/**
 * True when `a` is a lower dose than `b`, compared lexicographically as the regress rule orders them
 * (strength: load, then reps, then sets; endurance: duration; mobility and neuromotor: duration, then reps).
 */
export function isLower(a: Dose, b: Dose, domain: Domain): boolean {
  const ka = keys(a, domain);
  const kb = keys(b, domain);
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] ?? 0;
    const y = kb[i] ?? 0;
    if (x < y - EPSILON) return true;
    if (x > y + EPSILON) return false;
  }
  return false;
}

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Math.abs(a - b) < EPSILON;
}

function sameRange(a: Range | undefined, b: Range | undefined): boolean {
  if (!a || !b) return a === b;
  return sameNumber(a.low, b.low) && sameNumber(a.high, b.high);
}

/** True when both doses prescribe the same thing; an absent step counts as step 1, 1 min equals 60 s. */
export function sameDose(a: Dose, b: Dose): boolean {
  return (
    sameNumber(a.sets, b.sets) &&
    sameNumber(a.reps, b.reps) &&
    sameNumber(a.load, b.load) &&
    sameNumber(durationSeconds(a.duration), durationSeconds(b.duration)) &&
    sameRange(a.heartRateZone, b.heartRateZone) &&
    sameRange(a.rpeTarget, b.rpeTarget) &&
    sameNumber(a.step ?? 1, b.step ?? 1)
  );
}

/** A deep copy of a dose, so results never share nested objects with inputs. */
export function copyDose(dose: Dose): Dose {
  const out: Dose = { ...dose };
  if (dose.duration) out.duration = { ...dose.duration };
  if (dose.heartRateZone) out.heartRateZone = { ...dose.heartRateZone };
  if (dose.rpeTarget) out.rpeTarget = { ...dose.rpeTarget };
  return out;
}
