/** The Gradus library: FHIR codes, OperationOutcome helpers, validation and the progression engine. */
export * from './fhir/codes';
export * from './fhir/outcome';
export { validate, Validator, type ValidateOptions } from './validation';
export * from './progression';
