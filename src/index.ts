/** The Gradus library: FHIR codes, OperationOutcome helpers, validation and the progression engine. */
export * from './fhir/codes';
export * from './fhir/outcome';
