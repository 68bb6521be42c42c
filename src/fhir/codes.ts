/**
 * Canonical URLs, systems and codes of the Gradus IG, exactly as the contract fixes them
 * (implementation-guide.md "Terminology"). Every other module takes its names from here; nothing else spells a URL.
 */

export const CANONICAL_BASE = 'https://gradus.health/fhir';
export const PACKAGE_ID = 'gradus.fhir.exercise';
export const FHIR_VERSION = '4.0.1';

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const UCUM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const DATA_OPERATION = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';
export const PROVENANCE_PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

const sd = (id: string): string => `${CANONICAL_BASE}/StructureDefinition/${id}`;
const cs = (id: string): string => `${CANONICAL_BASE}/CodeSystem/${id}`;
const vs = (id: string): string => `${CANONICAL_BASE}/ValueSet/${id}`;

/** Profile canonical URLs. */
export const PROFILE = {
  exercisePlan: sd('gradus-exercise-plan'),
  exerciseOrder: sd('gradus-exercise-order'),
  exerciseSession: sd('gradus-exercise-session'),
  dailyCheckIn: sd('gradus-daily-check-in'),
  painScore: sd('gradus-pain-score'),
  symptomAlert: sd('gradus-symptom-alert'),
  toleranceTest: sd('gradus-tolerance-test'),
  exerciseGoal: sd('gradus-exercise-goal'),
  progressionProvenance: sd('gradus-progression-provenance'),
} as const;

/** Extension canonical URLs (and the sub-extension urls of the complex ones). */
export const EXT = {
  exerciseDose: sd('exercise-dose'),
  progressionPolicy: sd('progression-policy'),
  progressionPhase: sd('progression-phase'),
  phaseSince: sd('phase-since'),
  referencePain: sd('reference-pain'),
  flareSince: sd('flare-since'),
  progressionRationale: sd('progression-rationale'),
} as const;

export const DOSE_PART = ['sets', 'reps', 'load', 'duration', 'heartRateZone', 'rpeTarget', 'step'] as const;
export const POLICY_PART = ['mode', 'painCeiling', 'stableSessions', 'deloadEveryWeeks', 'intensityBy'] as const;

/** CodeSystem canonical URLs (each has a ValueSet of all its codes with the same id). */
export const CS = {
  gradus: cs('gradus'),
  exerciseDomain: cs('exercise-domain'),
  progressionMode: cs('progression-mode'),
  intensityMeasure: cs('intensity-measure'),
  progressionPhase: cs('progression-phase'),
  progressionDecision: cs('progression-decision'),
  redFlag: cs('red-flag'),
  exercise: cs('exercise'),
} as const;

export const VS = {
  gradus: vs('gradus'),
  exerciseDomain: vs('exercise-domain'),
  progressionMode: vs('progression-mode'),
  intensityMeasure: vs('intensity-measure'),
  progressionPhase: vs('progression-phase'),
  progressionDecision: vs('progression-decision'),
  redFlag: vs('red-flag'),
  exercise: vs('exercise'),
} as const;

/** The idempotency key system for Provenance meta.tag (a system URI only, not a CodeSystem). */
export const EVALUATION_KEY_SYSTEM = cs('evaluation-key');
/** The Provenance meta.tag of a clinician's rejection: which proposal was rejected (a system URI only, not a CodeSystem). */
export const REJECTED_PROPOSAL_SYSTEM = cs('rejected-proposal');
/** The engine Device is a logical reference: identifier system and value. */
export const DEVICE_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/device`;
export const ENGINE_DEVICE_ID = 'gradus-engine';

/** SNOMED CT 229065009 |Exercise therapy|: the `therapy` category slice of an order. */
export const EXERCISE_THERAPY = '229065009';

/** Codes of the `gradus` CodeSystem. */
export const GRADUS_CODE = {
  exerciseProgram: 'exercise-program',
  exerciseSession: 'exercise-session',
  dailyCheckIn: 'daily-check-in',
  toleranceTest: 'tolerance-test',
  setsCompleted: 'sets-completed',
  repsFinalSet: 'reps-final-set',
  loadLifted: 'load-lifted',
  painDuring: 'pain-during',
  painAfter: 'pain-after',
  morningStiffness: 'morning-stiffness',
  fatigue: 'fatigue',
  mood: 'mood',
  confidence: 'confidence',
} as const;

/** LOINC codes used by the IG. */
export const LOINC_CODE = {
  pain: '72514-3',
  exerciseDuration: '55411-3',
  heartRate: '8867-4',
  rpe: '82289-0',
  sleepDuration: '93832-4',
  steps: '41950-7',
  restingHeartRate: '40443-4',
} as const;

export const DOMAINS = ['strength', 'mobility', 'endurance', 'neuromotor'] as const;
export type Domain = (typeof DOMAINS)[number];

export const MODES = ['pain-guided', 'quota-based'] as const;
export type Mode = (typeof MODES)[number];

export const INTENSITY_MEASURES = ['heart-rate', 'rpe'] as const;
export type IntensityMeasure = (typeof INTENSITY_MEASURES)[number];

export const PHASES = ['baseline', 'build', 'deload', 'flare', 'return-to-load', 'referred'] as const;
export type Phase = (typeof PHASES)[number];

export const DECISIONS = [
  'establish-baseline',
  'progress',
  'hold',
  'regress',
  'deload',
  'resume',
  'flare-protocol',
  'return-to-load',
  'refer',
] as const;
export type DecisionCode = (typeof DECISIONS)[number];

export const RED_FLAGS = [
  'saddle-anaesthesia',
  'bladder-bowel-dysfunction',
  'progressive-neurological-deficit',
  'chest-pain',
  'syncope-or-dizziness',
  'disproportionate-breathlessness',
  'unexplained-weight-loss',
  'fever',
  'night-pain-unrelieved',
  'new-trauma',
] as const;
