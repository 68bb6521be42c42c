/**
 * The test suite's own reading and writing of the `exercise-dose` and plan extensions (implementation-guide.md,
 * Extensions), kept apart from the engine's readers so the tests check the engine independently.
 */
import type { CarePlan, Extension, Quantity, Range as FhirRange, ServiceRequest } from 'fhir/r4';
import { EXT, UCUM } from '../../src/fhir/codes';
import type { Dose, Phase, Range } from '../../src/progression/types';

const quantity = (value: number, code: string): Quantity => ({ value, unit: code, system: UCUM, code });

const range = (r: Range, code: string): FhirRange => ({ low: quantity(r.low, code), high: quantity(r.high, code) });

/** `exercise-dose` as a complex extension with relative sub-extension urls. */
export function doseExtension(dose: Dose): Extension {
  const parts: Extension[] = [];
  if (dose.sets !== undefined) parts.push({ url: 'sets', valueInteger: dose.sets });
  if (dose.reps !== undefined) parts.push({ url: 'reps', valueInteger: dose.reps });
  if (dose.load !== undefined) parts.push({ url: 'load', valueQuantity: quantity(dose.load, 'kg') });
  if (dose.duration !== undefined) {
    parts.push({ url: 'duration', valueQuantity: quantity(dose.duration.value, dose.duration.unit) });
  }
  if (dose.heartRateZone !== undefined) parts.push({ url: 'heartRateZone', valueRange: range(dose.heartRateZone, '/min') });
  if (dose.rpeTarget !== undefined) parts.push({ url: 'rpeTarget', valueRange: range(dose.rpeTarget, '{score}') });
  if (dose.step !== undefined) parts.push({ url: 'step', valueInteger: dose.step });
  return { url: EXT.exerciseDose, extension: parts };
}

function readRange(r: FhirRange | undefined): Range | undefined {
  const low = r?.low?.value;
  const high = r?.high?.value;
  return low === undefined || high === undefined ? undefined : { low, high };
}

/** The dose an order prescribes, read from its `exercise-dose` extension. */
export function readDose(order: ServiceRequest): Dose {
  const ext = order.extension?.find((e) => e.url === EXT.exerciseDose);
  const dose: Dose = {};
  for (const part of ext?.extension ?? []) {
    switch (part.url) {
      case 'sets':
        dose.sets = part.valueInteger;
        break;
      case 'reps':
        dose.reps = part.valueInteger;
        break;
      case 'load':
        dose.load = part.valueQuantity?.value;
        break;
      case 'duration': {
        const unit = part.valueQuantity?.code ?? part.valueQuantity?.unit;
        const value = part.valueQuantity?.value;
        if (value !== undefined && (unit === 'min' || unit === 's')) dose.duration = { value, unit };
        break;
      }
      case 'heartRateZone':
        dose.heartRateZone = readRange(part.valueRange);
        break;
      case 'rpeTarget':
        dose.rpeTarget = readRange(part.valueRange);
        break;
      case 'step':
        dose.step = part.valueInteger;
        break;
      default:
        break;
    }
  }
  for (const key of Object.keys(dose) as (keyof Dose)[]) if (dose[key] === undefined) delete dose[key];
  return dose;
}

const planExt = (plan: CarePlan, url: string): Extension | undefined => plan.extension?.find((e) => e.url === url);

/** The plan's `progression-phase` (valueCode, or the code of a valueCoding). */
export function readPhase(plan: CarePlan): Phase | undefined {
  const ext = planExt(plan, EXT.progressionPhase);
  return (ext?.valueCode ?? ext?.valueCoding?.code) as Phase | undefined;
}

export const readReferencePain = (plan: CarePlan): number | undefined => planExt(plan, EXT.referencePain)?.valueDecimal;
export const readFlareSince = (plan: CarePlan): string | undefined => planExt(plan, EXT.flareSince)?.valueDateTime;
export const readPhaseSince = (plan: CarePlan): string | undefined => planExt(plan, EXT.phaseSince)?.valueDateTime;
