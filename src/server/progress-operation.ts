/**
 * The OperationDefinition of `$progress`, so the canonical the CapabilityStatement names resolves on the
 * embedded server (`GET /fhir/OperationDefinition/CarePlan-progress`) and tools can read its parameters.
 * See: https://hl7.org/fhir/R4/operationdefinition.html
 */
import type { OperationDefinition } from 'fhir/r4';
import { CANONICAL_BASE } from '../fhir/codes';
import { ENGINE_VERSION } from '../progression';

export const PROGRESS_OPERATION = `${CANONICAL_BASE}/OperationDefinition/CarePlan-progress`;

export const progressOperationDefinition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'CarePlan-progress',
  url: PROGRESS_OPERATION,
  version: ENGINE_VERSION,
  name: 'GradusProgress',
  title: 'Apply graded progression to an exercise plan',
  status: 'draft',
  kind: 'operation',
  description:
    'On an instance: reads the gradus-exercise-plan, its patient, orders and Observations, applies graded progression at `now` and writes the result back (one transaction), unless `dryRun`. On the type: applies progression to the patient Bundle given as `bundle` and writes nothing. Returns a collection Bundle: a Parameters with the decisions, then the resources written (or the proposed transaction).',
  code: 'progress',
  resource: ['CarePlan'],
  system: false,
  type: true,
  instance: true,
  parameter: [
    { name: 'now', use: 'in', min: 0, max: '1', type: 'dateTime', documentation: 'The evaluation time, with seconds and a UTC offset; default the server clock (the type-level call: the Bundle timestamp).' },
    { name: 'dryRun', use: 'in', min: 0, max: '1', type: 'boolean', documentation: 'Compute and return the proposal without writing (instance level).' },
    { name: 'bundle', use: 'in', min: 0, max: '1', type: 'Bundle', documentation: "Type level only: the patient's Bundle (plan, orders, Observations, Patient), sent as the request body." },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle', documentation: 'A collection Bundle: first a Parameters (plan, order, dryRun, committed, attempts, and rejectedBy when a clinician rejected this very proposal), then the stored resources or the transaction.' },
  ],
};
