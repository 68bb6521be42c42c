/**
 * One builder of patient records as FHIR Bundles, for every caller that needs test data:
 * - history(options): test histories in the contract's shapes (integration and property tests, the
 *   clinical-rules audit, the demo patients of fixtures/demo via scripts/make-demo-fixtures.mjs);
 * - scenario(): the engine's unit tests beside its code (src/progression, *.test.ts), at a fixed NOW with numbered ids;
 * - history(options, published conventions): the published example (examples/patient-bundle.json via
 *   scripts/make-example-bundle.mjs, see ../example-patient.ts);
 * - extendHistory(bundle, { now }): later days' logs after the engine's output was applied.
 * The same calls always give the same Bundle. Shapes follow implementation-guide.md; the builder reads the
 * IG's CodeSystems for displays and catalogue domains and nothing of the engine.
 *
 * Files: clock.ts (day numbers), conventions.ts (styles, ids, default times), vocabulary.ts (codes and
 * displays), plan.ts (Patient, CarePlan, Goal), orders.ts (ServiceRequest), observations.ts (the logs),
 * published.ts (narratives), records.ts (the fluent builder), scenario.ts (the unit tests' world).
 */
export { addDays, DayClock, daysBetween, parseDateTime, type When } from './clock';
export { FIXTURE, PUBLISHED, type Conventions, type IdScheme, type NewObservation, type Style, type Times } from './conventions';
export type { CheckInValues, SessionValues, ToleranceUnit } from './observations';
export { policyExtension, type PatientSpec } from './plan';
export { narrative } from './published';
export {
  extendHistory,
  FHIR_BASE,
  fullUrl,
  history,
  HistoryBuilder,
  HistoryExtension,
  type GoalInput,
  type HistoryOptions,
  type OrderInput,
  type PlanOptions,
  type SessionOptions,
} from './records';
export { at, flat, NOW, scenario, UNIT_TEST } from './scenario';
export { catalogueDomain, exerciseName } from './vocabulary';
