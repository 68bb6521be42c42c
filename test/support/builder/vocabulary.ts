/**
 * The codes the builder writes and how a style spells them: displays from the IG's own CodeSystems
 * (profiles/fsh-generated) and of the few external codes it uses, the starter catalogue's domains, and
 * codings and UCUM quantities with or without their displays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeableConcept, Coding, Quantity } from 'fhir/r4';
import { CS, DOMAINS, EXERCISE_THERAPY, LOINC, LOINC_CODE, OBSERVATION_CATEGORY, SNOMED, UCUM } from '../../../src/fhir/codes';
import type { Domain } from '../../../src/progression/types';
import type { Style } from './conventions';

const IG_RESOURCES = join(__dirname, '../../../profiles/fsh-generated/resources');

interface Concept {
  code: string;
  display?: string;
  concept?: Concept[];
  property?: { code: string; valueCoding?: { code?: string } }[];
}

/** Every concept of an IG CodeSystem (nested ones too). */
function igConcepts(id: string): Concept[] {
  const cs = JSON.parse(readFileSync(join(IG_RESOURCES, `CodeSystem-${id}.json`), 'utf8')) as { concept?: Concept[] };
  const flat = (list: Concept[]): Concept[] => list.flatMap((c) => [c, ...flat(c.concept ?? [])]);
  return flat(cs.concept ?? []);
}

const key = (system: string, code: string): string => `${system}|${code}`;

/** Displays of external codes, as their terminologies give them. */
const EXTERNAL: [string, string, string][] = [
  [LOINC, LOINC_CODE.pain, 'Pain severity - 0-10 verbal numeric rating [Score] - Reported'],
  [LOINC, LOINC_CODE.exerciseDuration, 'Exercise duration'],
  [LOINC, LOINC_CODE.heartRate, 'Heart rate'],
  [LOINC, LOINC_CODE.rpe, 'Rating of perceived exertion [Score]'],
  [LOINC, LOINC_CODE.sleepDuration, 'Sleep duration'],
  [LOINC, LOINC_CODE.steps, 'Number of steps in 24 hour Measured'],
  [LOINC, LOINC_CODE.restingHeartRate, 'Heart rate --resting'],
  [SNOMED, EXERCISE_THERAPY, 'Exercise therapy'],
  [OBSERVATION_CATEGORY, 'survey', 'Survey'],
  [OBSERVATION_CATEGORY, 'activity', 'Activity'],
  [OBSERVATION_CATEGORY, 'exam', 'Exam'],
  [OBSERVATION_CATEGORY, 'vital-signs', 'Vital Signs'],
];

let displays: Map<string, string> | undefined;
let domains: Map<string, Domain> | undefined;

function loadIg(): void {
  displays = new Map(EXTERNAL.map(([system, code, display]) => [key(system, code), display]));
  domains = new Map();
  for (const [system, id] of [
    [CS.gradus, 'gradus'],
    [CS.exerciseDomain, 'exercise-domain'],
    [CS.exercise, 'exercise'],
    [CS.redFlag, 'red-flag'],
  ] as const) {
    for (const c of igConcepts(id)) {
      if (c.display !== undefined) displays.set(key(system, c.code), c.display);
      const domain = c.property?.find((p) => p.code === 'domain')?.valueCoding?.code;
      if (system === CS.exercise && DOMAINS.includes(domain as Domain)) domains.set(c.code, domain as Domain);
    }
  }
}

/** The display of a code, when the IG or the table above has one. */
export function displayOf(system: string, code: string): string | undefined {
  if (!displays) loadIg();
  return displays?.get(key(system, code));
}

/** The domain the starter catalogue gives an exercise code (the IG's `exercise` CodeSystem), if any. */
export function catalogueDomain(exercise: string): Domain | undefined {
  if (!domains) loadIg();
  return domains?.get(exercise);
}

/** The catalogue's name of an exercise code (e.g. `Sit-to-stand`), if it has one. */
export const exerciseName = (exercise: string): string | undefined => displayOf(CS.exercise, exercise);

/** Unit texts a published Observation shows instead of the UCUM code. */
const UNIT_TEXT: Readonly<Record<string, string>> = { '/min': 'beats/minute', '/d': 'steps/day' };

/** Codings and quantities as a style writes them: `published` with displays and unit texts, `fixture` bare. */
export class Coder {
  private readonly published: boolean;

  constructor(style: Style) {
    this.published = style === 'published';
  }

  coding(system: string, code: string): Coding {
    const display = this.published ? displayOf(system, code) : undefined;
    return display === undefined ? { system, code } : { system, code, display };
  }

  concept(system: string, code: string): CodeableConcept {
    return { coding: [this.coding(system, code)] };
  }

  quantity(value: number, code: string): Quantity {
    return { value, unit: (this.published ? UNIT_TEXT[code] : undefined) ?? code, system: UCUM, code };
  }
}

/** A UCUM quantity whose unit text is its code (doses, goals). */
export const ucum = (value: number, code: string): Quantity => ({ value, unit: code, system: UCUM, code });
