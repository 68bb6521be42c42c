/**
 * Profile validation for FHIR R4 resources: `validate(resource, { profile? })` returns an
 * OperationOutcome with every issue (FHIRPath expressions per the team convention).
 * See: https://hl7.org/fhir/R4/validation.html
 */
import type { OperationOutcome } from 'fhir/r4';
import { Validator, type ValidateOptions } from './validator';

export { Validator, type ValidateOptions } from './validator';

let shared: Validator | undefined;

/** The process-wide validator (definitions loaded lazily, once). */
export function defaultValidator(): Validator {
  shared ??= new Validator();
  return shared;
}

/** Validates a resource (a Bundle entry by entry) against its base definition and profiles. */
export function validate(resource: unknown, options?: ValidateOptions): OperationOutcome {
  return defaultValidator().validate(resource, options);
}
