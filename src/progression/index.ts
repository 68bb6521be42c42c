/** The progression engine's public surface: `progress()`, its result types, the dose vocabulary and its calendar-day arithmetic. */
export { progress, ENGINE_VERSION, isDateTimeWithOffset } from './progress';
export type { ProgressOptions, ProgressResult, PlanDecision, OrderDecision } from './progress';
export { DEFAULT_POLICY } from './types';
export type { DecisionCode, Domain, Dose, Duration, Evaluation, IntensityMeasure, Mode, OrderEvaluation, Phase, PlanEvaluation, Policy, Range } from './types';
export { describeDose, doseExtension, readDose } from './dose';
export { addDays, calendarDate, daysBetween, exerciseDisplay } from './read';
export { changesTransaction, doseExtensions, doseNarrative, provenanceBatch, provenanceRecord, type ProvenanceRecord } from './write';
