/**
 * One step of dose arithmetic: progress, regress, flare, deload, return-to-load. Each function returns
 * the new dose and one clinician-readable phrase per changed variable; inputs are never mutated.
 * See: docs/clinical-rules.md, "Increments (one step)", "Rounding" and plan-level rules 2-5.
 *
 * Readings of the spec (where it is silent or open):
 * - "reps +1 up to 15, then sets +1 up to 3": reps stop at 15 and stay at 15 when sets go up (the spec
 *   resets nothing). A rep increment that would pass 15 stops at 15 (14 -> 15 on "+2").
 * - An absent `sets` counts as 1 set (so the ladder adds a second set, and deload cuts reps).
 * - Strength with load, 2-for-2 met, but the load rise > 10%: "reps +2 instead" climbs the no-load ladder
 *   (reps +2 up to 15, then sets +1 up to 3); at 15 reps and 3 sets the dose is at the top.
 * - Double progression at the top with load (3 sets of 15 and a load): any progress there raises the load by
 *   the 2-for-2 step (+5%, rounded up to 0.5 kg, at least +0.5 kg), also above 10%, and puts the reps back to
 *   10 (3 x 15 at 2 kg -> 3 x 10 at 2.5 kg), whether or not 2-for-2 was met: the reps ladder is exhausted, so
 *   load is the only way up. A 2-for-2 rise within 10% at the top keeps the reps at 15 (the load rule comes first).
 * - Strength without reps (held positions such as a side plank) moves its hold duration as mobility does.
 * - Endurance without a duration moves reps by 1. Endurance "at least +1 min, at most +5 min" and the
 *   mobility "at least +5 s" apply to the increment before rounding; rounding then keeps one unit.
 * - Regress of a load already at 0.5 kg falls back to reps -2 (min 5): any reduction helps, and the
 *   regress rule orders doses by load, then reps.
 * - `step` is bookkeeping, not a dose variable: it gets no phrase. An absent step counts as 1; progress
 *   writes it (absent -> 2), regress lowers a present step (never below 1), the others keep it.
 * - `atTop`: the variable(s) the rule moves are at their limit, so the dose comes back unchanged with no
 *   phrase (for regress, "at the bottom"). Mobility and neuromotor are unchanged by design on a flare:
 *   `changes` is empty and `atTop` false.
 */
import { copyDose, formatNumber, formatRange, primaryVariable, variableValue, type DoseVariable } from './dose';
import { RPE_LIGHT } from './intensity';
import { ROUNDING_UNIT, roundOn, roundStep, roundUpLoad, type Scale } from './rounding';
import type { Domain, Dose, Range } from '../types';

export interface DoseChange {
  dose: Dose;
  /** One phrase per changed variable, naming the numbers ("reps 10 -> 12 (+2)"). */
  changes: string[];
  /** True when nothing can move: `dose` equals the input and `changes` is empty. */
  atTop: boolean;
}

export interface ProgressOptions {
  /** reps-final-set >= reps + 2 in both qualifying sessions (strength with load only). */
  twoForTwo: boolean;
}

export interface FlareOptions {
  /** The Karvonen light zone, when age and a resting heart rate are on record. */
  lightZone?: Range;
}

export const REPS_TOP = 15;
export const SETS_TOP = 3;
export const REPS_REGRESS_MIN = 5;
/** Reps after a double-progression load rise at the top of the ladder. */
export const REPS_AFTER_LOAD_RISE = 10;
/** Endurance progress: at least +1 min, at most +5 min per step. */
const ENDURANCE_MIN_STEP_MIN = 1;
const ENDURANCE_MAX_STEP_MIN = 5;
/** Mobility and neuromotor hold: at least 5 s per step. */
const HOLD_MIN_STEP_S = 5;
const FLARE_NOTE = 'flare protocol, a design choice';
const EPSILON = 1e-9;

interface Moved {
  dose: Dose;
  change: string;
  /** Phrases of further variables the same step moved (double progression moves load and reps). */
  more?: string[];
}

interface MoveSpec {
  variable: DoseVariable;
  /** The unrounded target. */
  to: number;
  /** Overrides the current value (absent sets count as 1). */
  from?: number;
  /** The rule's own words for the move ("+10%", "at least +5 s"). */
  notes: string[];
  bound?: number;
  /** Said when the bound stops the move ("up to 15"). */
  boundNote?: string;
  /** Said when rounding had to be widened to one unit; defaults to "at least +1 unit". */
  widenNote?: string;
  /** Extra reason appended after the notes ("load ... would be +12.5% > 10%"). */
  why?: string;
  /** Flare phrases end in "-50% (flare protocol, a design choice)". */
  flare?: boolean;
}

function scaleOf(dose: Dose, variable: DoseVariable): Scale {
  if (variable === 'load') return 'kg';
  if (variable === 'duration') return dose.duration?.unit ?? 'min';
  return 'count';
}

function withValue(dose: Dose, variable: DoseVariable, value: number): Dose {
  const out = copyDose(dose);
  if (variable === 'duration') {
    if (out.duration) out.duration = { value, unit: out.duration.unit };
  } else {
    out[variable] = value;
  }
  return out;
}

/** "load 5 kg -> 5.5 kg", "reps 10 -> 12", "duration 20 -> 22 min", "hold 30 -> 35 s". */
function movePhrase(dose: Dose, variable: DoseVariable, from: number, to: number): string {
  const [a, b] = [formatNumber(from), formatNumber(to)];
  switch (variable) {
    case 'load':
      return `load ${a} kg -> ${b} kg`;
    case 'reps':
    case 'sets':
      return `${variable} ${a} -> ${b}`;
    case 'duration':
      return dose.duration?.unit === 's' ? `hold ${a} -> ${b} s` : `duration ${a} -> ${b} min`;
  }
}

/** "10 kg", "12 reps", "3 sets", "30 min", "30 s". */
function amountText(dose: Dose, variable: DoseVariable, value: number): string {
  const n = formatNumber(value);
  if (variable === 'load') return `${n} kg`;
  if (variable === 'duration') return `${n} ${dose.duration?.unit ?? 'min'}`;
  return `${n} ${variable}`;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '-'}${formatNumber(Math.abs(n))}`;
}

function unitLabel(scale: Scale): string {
  return scale === 'count' ? '' : ` ${scale}`;
}

/** Moves one variable toward `to` by at least one rounding unit; undefined when it cannot move. */
function move(dose: Dose, spec: MoveSpec): Moved | undefined {
  const from = spec.from ?? variableValue(dose, spec.variable);
  if (from === undefined) return undefined;
  const scale = scaleOf(dose, spec.variable);
  const step = roundStep({ scale, from, to: spec.to, bound: spec.bound });
  if (step.value === from) return undefined;
  const notes = [...spec.notes];
  const sign = spec.to > from ? 1 : -1;
  if (step.widened) notes.push(spec.widenNote ?? `at least ${signed(sign * ROUNDING_UNIT[scale])}${unitLabel(scale)}`);
  if (step.bounded) {
    notes.push(spec.boundNote ?? `never below ${formatNumber(ROUNDING_UNIT[scale])}${unitLabel(scale)}`);
  }
  const unique = [...new Set(notes)];
  const head = movePhrase(dose, spec.variable, from, step.value);
  const why = spec.why ? `; ${spec.why}` : '';
  const change = spec.flare
    ? `${head}: ${unique.join(', ')} (${FLARE_NOTE}${why})`
    : `${head} (${unique.join(', ')}${why})`;
  return { dose: withValue(dose, spec.variable, step.value), change };
}

/** Moves a variable by a fraction of its own value (-0.5 for -50%). */
function scaleBy(dose: Dose, variable: DoseVariable, fraction: number, options: { flare?: boolean } = {}): Moved | undefined {
  const from = variableValue(dose, variable);
  if (from === undefined) return undefined;
  const note = `${fraction >= 0 ? '+' : '-'}${formatNumber(Math.abs(fraction) * 100)}%`;
  return move(dose, { variable, to: from * (1 + fraction), notes: [note], flare: options.flare });
}

/** A hold (or any duration) +/-10%, with a floor on the increment: 5 s for holds, 1 min otherwise. */
function holdStep(dose: Dose, direction: 1 | -1, options: { maxMinutes?: number } = {}): Moved | undefined {
  const d = dose.duration;
  if (!d) return undefined;
  const floor = d.unit === 's' ? HOLD_MIN_STEP_S : ENDURANCE_MIN_STEP_MIN;
  const ceiling = options.maxMinutes === undefined ? Infinity : d.unit === 's' ? options.maxMinutes * 60 : options.maxMinutes;
  const raw = d.value * 0.1;
  const increment = Math.min(Math.max(raw, floor), ceiling);
  const notes = [direction > 0 ? '+10%' : '-10%'];
  if (raw < floor - EPSILON) notes.push(`at least ${signed(direction * floor)} ${d.unit}`);
  if (options.maxMinutes === undefined || direction < 0) {
    return move(dose, { variable: 'duration', to: d.value + direction * increment, notes });
  }
  const atMost = `at most +${formatNumber(options.maxMinutes)} min`;
  if (raw > ceiling + EPSILON) notes.push(atMost);
  return move(dose, { variable: 'duration', to: d.value + increment, notes, bound: d.value + ceiling, boundNote: atMost });
}

/** reps +inc up to 15, then sets +1 up to 3 (absent sets = 1); a repless strength dose moves its hold. */
function volumeUp(dose: Dose, repsIncrement: number, why?: string): Moved | undefined {
  if (dose.reps !== undefined) {
    const reps = move(dose, {
      variable: 'reps',
      to: dose.reps + repsIncrement,
      notes: [`+${repsIncrement}`],
      bound: REPS_TOP,
      boundNote: `up to ${REPS_TOP}`,
      why,
    });
    if (reps) return reps;
  } else if (dose.duration) {
    return holdStep(dose, 1);
  }
  const sets = dose.sets ?? 1;
  return move(dose, { variable: 'sets', from: sets, to: sets + 1, notes: ['+1'], bound: SETS_TOP, why });
}

/** The 2-for-2 load step: +5%, rounded up to 0.5 kg, at least +0.5 kg. */
function loadStep(dose: Dose, load: number): { to: number; percent: string; head: string; withinTenPercent: boolean } {
  let to = roundUpLoad(load * 1.05);
  if (to - load < ROUNDING_UNIT.kg - EPSILON) to = roundUpLoad(load + ROUNDING_UNIT.kg);
  const rise = to - load;
  return {
    to,
    percent: formatNumber(Number(((rise / load) * 100).toFixed(1))),
    head: movePhrase(dose, 'load', load, to),
    withinTenPercent: rise <= 0.1 * load + EPSILON,
  };
}

/** 15 reps and 3 sets: the volume ladder has no rung left. */
const atLadderTop = (dose: Dose): boolean => dose.reps !== undefined && dose.reps >= REPS_TOP && (dose.sets ?? 1) >= SETS_TOP;

function progressStrength(dose: Dose, twoForTwo: boolean): Moved | undefined {
  if (dose.load === undefined) return volumeUp(dose, 2);
  const step = loadStep(dose, dose.load);
  if (twoForTwo && step.withinTenPercent) {
    return { dose: withValue(dose, 'load', step.to), change: `${step.head} (+${step.percent}%, rounded up to 0.5 kg)` };
  }
  if (atLadderTop(dose)) {
    const heavier = withValue(withValue(dose, 'load', step.to), 'reps', REPS_AFTER_LOAD_RISE);
    return {
      dose: heavier,
      change: `${step.head} (+${step.percent}%, rounded up to 0.5 kg; at the top of the ladder, ${dose.sets ?? 1} x ${REPS_TOP}, the load rises even past 10%: double progression)`,
      more: [`${movePhrase(dose, 'reps', dose.reps ?? REPS_TOP, REPS_AFTER_LOAD_RISE)} (back to ${REPS_AFTER_LOAD_RISE} with the heavier load)`],
    };
  }
  if (!twoForTwo) return volumeUp(dose, 1);
  return volumeUp(dose, 2, `${step.head} would be +${step.percent}% > 10%`);
}

/** The outcome of a rule that moved (or could not move) the dose. */
function result(dose: Dose, moved: Moved | undefined, step: (d: Dose) => Dose = (d) => d): DoseChange {
  if (!moved) return { dose: copyDose(dose), changes: [], atTop: true };
  return { dose: step(moved.dose), changes: [moved.change, ...(moved.more ?? [])], atTop: false };
}

/** One increment up per the Increments table; `step` +1 (an absent step counts as 1). */
export function progressDose(dose: Dose, domain: Domain, { twoForTwo }: ProgressOptions): DoseChange {
  let moved: Moved | undefined;
  switch (domain) {
    case 'strength':
      moved = progressStrength(dose, twoForTwo);
      break;
    case 'endurance':
      moved = dose.duration
        ? holdStep(dose, 1, { maxMinutes: ENDURANCE_MAX_STEP_MIN })
        : move(dose, { variable: 'reps', to: (dose.reps ?? 0) + 1, notes: ['+1'] });
      break;
    case 'mobility':
    case 'neuromotor':
      moved = dose.duration ? holdStep(dose, 1) : move(dose, { variable: 'reps', to: (dose.reps ?? 0) + 1, notes: ['+1'] });
      break;
  }
  return result(dose, moved, (d) => ({ ...d, step: (dose.step ?? 1) + 1 }));
}

function regressStrength(dose: Dose): Moved | undefined {
  if (dose.load !== undefined) {
    const load = scaleBy(dose, 'load', -0.1);
    if (load) return load;
  }
  if (dose.reps !== undefined) {
    const why = dose.load !== undefined ? `load already at ${formatNumber(dose.load)} kg` : undefined;
    const min = REPS_REGRESS_MIN;
    return move(dose, { variable: 'reps', to: dose.reps - 2, notes: ['-2'], bound: min, boundNote: `min ${min}`, why });
  }
  return holdStep(dose, -1);
}

/** One increment down per the Increments table; a present `step` -1, never below 1. */
export function regressDose(dose: Dose, domain: Domain): DoseChange {
  let moved: Moved | undefined;
  switch (domain) {
    case 'strength':
      moved = regressStrength(dose);
      break;
    case 'endurance':
      moved = dose.duration
        ? scaleBy(dose, 'duration', -0.1)
        : move(dose, { variable: 'reps', to: (dose.reps ?? 0) - 1, notes: ['-1'] });
      break;
    case 'mobility':
    case 'neuromotor':
      moved = dose.duration ? holdStep(dose, -1) : move(dose, { variable: 'reps', to: (dose.reps ?? 0) - 1, notes: ['-1'] });
      break;
  }
  return result(dose, moved, (d) => (dose.step === undefined ? d : { ...d, step: Math.max(1, dose.step - 1) }));
}

function zoneText(r: Range): string {
  return `${formatRange(r)}/min`;
}

/** Endurance intensity on a flare: RPE 2-3; the heart-rate zone becomes the light zone, or goes. */
function flareIntensity(dose: Dose, lightZone: Range | undefined): { dose: Dose; changes: string[] } {
  const out = copyDose(dose);
  const changes: string[] = [];
  const rpe = dose.rpeTarget;
  if (!rpe || rpe.low !== RPE_LIGHT.low || rpe.high !== RPE_LIGHT.high) {
    out.rpeTarget = { ...RPE_LIGHT };
    const from = rpe ? `RPE target ${formatRange(rpe)} -> ` : 'RPE target set to ';
    changes.push(`${from}${formatRange(RPE_LIGHT)} (light: ${FLARE_NOTE})`);
  }
  const zone = dose.heartRateZone;
  if (zone && lightZone) {
    if (zone.low !== lightZone.low || zone.high !== lightZone.high) {
      out.heartRateZone = { ...lightZone };
      changes.push(`heart-rate zone ${zoneText(zone)} -> ${zoneText(lightZone)} (light zone: ${FLARE_NOTE})`);
    }
  } else if (zone) {
    delete out.heartRateZone;
    changes.push(`heart-rate zone ${zoneText(zone)} removed (no light zone without age and a resting heart rate)`);
  }
  return { dose: out, changes };
}

/** The flare protocol: strength load (or reps) -50%; endurance duration -50% at light intensity; others unchanged. */
export function flareDose(dose: Dose, domain: Domain, { lightZone }: FlareOptions = {}): DoseChange {
  switch (domain) {
    case 'strength':
      return result(dose, scaleBy(dose, primaryVariable(dose, domain), -0.5, { flare: true }));
    case 'endurance': {
      const moved = scaleBy(dose, primaryVariable(dose, domain), -0.5, { flare: true });
      const intensity = flareIntensity(moved?.dose ?? dose, lightZone);
      const changes = [...(moved ? [moved.change] : []), ...intensity.changes];
      return changes.length === 0 ? result(dose, undefined) : { dose: intensity.dose, changes, atTop: false };
    }
    case 'mobility':
    case 'neuromotor':
      return { dose: copyDose(dose), changes: [], atTop: false };
  }
}

/** A deload: strength sets -40% (reps -40% at 1 set); endurance duration -40%; others hold (or reps) -40%. */
export function deloadDose(dose: Dose, domain: Domain): DoseChange {
  if (domain === 'strength') {
    const sets = dose.sets ?? 1;
    if (sets > 1) return result(dose, scaleBy(dose, 'sets', -0.4));
    const variable: DoseVariable = dose.reps !== undefined ? 'reps' : 'duration';
    return result(dose, scaleBy(dose, variable, -0.4));
  }
  return result(dose, scaleBy(dose, primaryVariable(dose, domain), -0.4));
}

/** `value` of the pre-flare duration expressed in the unit of `dose`'s duration. */
function inUnitOf(dose: Dose, preFlare: Dose, variable: DoseVariable): number | undefined {
  const value = variableValue(preFlare, variable);
  if (variable !== 'duration' || value === undefined) return value;
  const [to, from] = [dose.duration?.unit, preFlare.duration?.unit];
  if (to === from || to === undefined) return value;
  return to === 's' ? value * 60 : value / 60;
}

/**
 * The pre-flare dose with its primary variable at `fraction` of its pre-flare value (rounded, never above
 * it), intensity and step as before the flare. `atTop` when that is the pre-flare dose itself.
 * Throws RangeError unless 0 < fraction <= 1.
 */
export function returnDose(preFlare: Dose, domain: Domain, fraction: number): DoseChange {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`return fraction ${fraction} is not in (0, 1]`);
  const variable = primaryVariable(preFlare, domain);
  const full = variableValue(preFlare, variable);
  if (full === undefined) return result(preFlare, undefined);
  const value = Math.min(full, roundOn(scaleOf(preFlare, variable), full * fraction));
  if (Math.abs(value - full) < EPSILON) return result(preFlare, undefined);
  const percent = formatNumber(fraction * 100);
  const change = `${movePhrase(preFlare, variable, full, value)} (${percent}% of the pre-flare dose)`;
  return { dose: withValue(preFlare, variable, value), changes: [change], atTop: false };
}

/**
 * One return-to-load step: the primary variable +10% of its pre-flare value, at least one rounding unit,
 * never past the pre-flare value. `atTop` when the primary variable is already at its pre-flare value.
 */
export function returnStepDose(current: Dose, preFlare: Dose, domain: Domain): DoseChange {
  const variable = primaryVariable(preFlare, domain);
  const cap = inUnitOf(current, preFlare, variable);
  const from = variableValue(current, variable);
  if (cap === undefined || from === undefined || from >= cap - EPSILON) return result(current, undefined);
  const amount = amountText(current, variable, cap);
  return result(
    current,
    move(current, {
      variable,
      to: from + 0.1 * cap,
      notes: [`+10% of the pre-flare ${amount}`],
      bound: cap,
      boundNote: `capped at the pre-flare ${amount}`,
    }),
  );
}
